"""The public portal leaks nothing personal: with participants who have distinctive
names, e-mail addresses, service numbers and evaluation comments, everything published,
a crawl of every public page, open data file and public API endpoint (following links)
finds none of those strings, nor the names of the staff, nor the working notes."""

from __future__ import annotations

import datetime
import json
import re
from html import unescape
from urllib.parse import urljoin, urlparse

import pytest
from django.core.cache import cache

from mizan.accounts.enums import Role
from mizan.recommendations.enums import AssessmentVoice
from mizan.recommendations.models import Assessment, Recommendation
from mizan.reports import publication
from mizan.training.models import Evaluation, Participant
from tests.actions.factories import IndicatorFactory, IndicatorValueFactory, ProgressReportFactory
from tests.factories import InstitutionFactory, RecommendationFactory, user_with_role
from tests.public.builders import trained_action

pytestmark = pytest.mark.django_db

#: Where the crawl may go: everything else (the back office, log in, the admin, the
#: participants' personal links) is for people with a reason to be there.
OUTSIDE = ("/staff/", "/accounts/", "/admin/", "/p/", "/i18n/", "/jsi18n/", "/static/", "/media/")
START = [
    "/",
    "/open-data/",
    "/api/public/v1/recommendations/",
    "/api/public/v1/actions/",
    "/api/public/v1/training-figures/",
    "/api/public/schema/?format=json",
    "/api/public/docs/",
]
INTERNAL_NOTES = [
    "ZqRationaleOfTheNhri",
    "ZqDescriptionInternal",
    "ZqCancellationReason",
    "ZqProgressSummary",
    "ZqIndicatorSource",
]


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MIZAN_PUBLIC_API_RATE = "10000/minute"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def everything_published():
    """Two training actions (one large enough for figures, one not), recommendations with
    assessments, indicators and a progress report, all published by a coordinator with
    a distinctive name."""
    coordinator = user_with_role(
        Role.COORDINATOR,
        InstitutionFactory(code="nhri", kind="nhri"),
        username="zqcoordinatorlogin",
        email="zqcoordinator@example.org",
        first_name="Zqfirstname",
        last_name="Zqlastname",
    )
    big = trained_action({"Oriental": 15, "Souss-Massa": 11, "Draa": 4}, code="big")
    small = trained_action({"Oriental": 5}, code="small", title="A small pilot session")
    big.description = "ZqDescriptionInternal"
    big.save()
    small.status = "cancelled"
    small.cancellation_reason = "ZqCancellationReason"
    small.save()
    recommendations = [RecommendationFactory() for _ in range(3)]
    big.recommendations.add(*recommendations)
    Assessment.objects.create(
        recommendation=recommendations[0],
        voice=AssessmentVoice.NHRI,
        status="in_progress",
        assessed_on=datetime.date(2026, 1, 5),
        rationale="ZqRationaleOfTheNhri",
        recorded_by=coordinator,
    )
    Recommendation.objects.filter(pk=recommendations[0].pk).update(nhri_status="in_progress")
    indicator = IndicatorFactory(action=big)
    IndicatorValueFactory(indicator=indicator, source="ZqIndicatorSource", recorded_by=coordinator)
    ProgressReportFactory(action=big, summary="ZqProgressSummary", author=coordinator)
    publication.publish_recommendations(coordinator, [r.pk for r in recommendations])
    publication.publish_action(coordinator, big, with_figures=True)
    publication.publish_action(coordinator, small, with_figures=True)
    secrets = [
        *INTERNAL_NOTES,
        "zqcoordinatorlogin",
        "zqcoordinator@example.org",
        "Zqfirstname",
        "Zqlastname",
    ]
    for person in Participant.objects.all():
        secrets += [person.name_latin, person.email, person.service_number, person.pseudonym]
    secrets += list(Evaluation.objects.exclude(comment="").values_list("comment", flat=True))
    return [s for s in secrets if s]


def links(url: str, response) -> list[str]:
    """Every address a page, file or API answer points to."""
    text = response.content.decode("utf-8", errors="replace")
    found = [unescape(href) for href in re.findall(r'(?:href|src)="([^"]+)"', text)]
    if (
        response["Content-Type"].startswith("application/json")
        or "openapi" in response["Content-Type"]
    ):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            if data.get("next"):
                found.append(data["next"])
            for item in data.get("results", []):
                if "id" in item:
                    found.append(f"{urlparse(url).path}{item['id']}/")
                if "action_id" in item:
                    found.append(f"/api/public/v1/training-figures/{item['action_id']}/")
                for pk in item.get("actions", []):
                    found.append(f"/api/public/v1/actions/{pk}/")
                for pk in item.get("recommendations", []):
                    found.append(f"/api/public/v1/recommendations/{pk}/")
    return [urljoin(url, link) for link in found]


def crawl(client) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(START)
    while queue:
        url = queue.pop()
        parsed = urlparse(url)
        if parsed.netloc not in ("", "testserver") or parsed.path.startswith(OUTSIDE):
            continue
        key = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if key in seen or len(seen) > 400:
            continue
        response = client.get(key)
        assert response.status_code in (200, 404), (key, response.status_code)
        content = b"".join(response) if response.streaming else response.content
        seen[key] = content.decode("utf-8", errors="replace")
        if response.status_code == 200:
            queue.extend(links(key, response))
    return seen


def test_nothing_personal_on_any_public_page_file_or_endpoint(client, everything_published):
    secrets = everything_published
    assert len(secrets) > 100
    pages = crawl(client)
    # The crawl reached every kind of public address.
    for expected in (
        "/recommendations/",
        "/actions/",
        "/open-data/recommendations.csv",
        "/open-data/actions.json",
        "/open-data/training-figures.csv",
        "/open-data/training-figures.json",
        "/api/public/v1/recommendations/",
    ):
        assert expected in pages, expected
    assert any(re.fullmatch(r"/actions/\d+/", page) for page in pages)
    assert any(re.fullmatch(r"/api/public/v1/training-figures/\d+/", page) for page in pages)
    leaks = [
        (page, secret)
        for page, content in pages.items()
        for secret in secrets
        if secret.lower() in content.lower()
    ]
    assert leaks == []


def test_the_small_pilot_shows_no_figure_anywhere(client, everything_published):
    pages = crawl(client)
    figures = json.loads(pages["/open-data/training-figures.json"])["items"]
    pilot = next(item for item in figures if item["action_title"] == "A small pilot session")
    assert pilot["suppressed"] and pilot["officers_trained"] is None
    assert pilot["breakdowns"] == []
