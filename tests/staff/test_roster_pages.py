"""The roster pages: upload, preview, confirmation; the template; the probable duplicates
and the merge page. Only the session's managers import, and nobody sees people outside
``participants_visible_to``."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.training.enums import EnrolmentStatus
from mizan.training.models import Enrolment, Participant
from tests.factories import UserFactory
from tests.training import builders
from tests.training.roster_builders import csv_bytes, enrolled, gendarmerie_session

pytestmark = pytest.mark.django_db

BAD = [
    ("Samira Bennani", "", "female", "", "", "", ""),
    ("Youssef Tazi", "", "unknown", "", "", "", ""),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager():
    return builders.organiser()


@pytest.fixture
def session(manager):
    return builders.make_session(manager, capacity=10)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def upload(client, session, data, name="roster.csv"):
    return client.post(
        reverse("staff:roster_import", args=[session.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def confirm(client, session, **choices):
    return client.post(reverse("staff:roster_import_confirm", args=[session.pk]), choices)


# --- Importing ----------------------------------------------------------------------------


def test_upload_previews_then_confirmation_imports(manager_client, session, manager):
    page = manager_client.get(reverse("staff:roster_import", args=[session.pk]))
    assert page.status_code == 200

    preview = upload(manager_client, session, csv_bytes())
    assert preview.status_code == 200
    assert "Samira Bennani" in preview.text and "يوسف التازي" in preview.text
    assert not Participant.objects.exists()

    done = confirm(manager_client, session)
    assert done.status_code == 302
    assert done.url == reverse("staff:session_detail", args=[session.pk]) + "#roster"
    enrolments = Enrolment.objects.filter(session=session, status=EnrolmentStatus.APPROVED)
    assert enrolments.count() == 3
    assert Participant.objects.get(service_number="P-1001").history.get().history_user == manager


def test_a_bad_file_shows_each_problem_and_imports_nothing(manager_client, session):
    response = upload(manager_client, session, csv_bytes(BAD))
    assert response.status_code == 400
    assert [(p.line, p.column) for p in response.context["problems"]] == [(3, "sex")]
    assert "Nobody was imported" in response.text
    assert confirm(manager_client, session).status_code == 302
    assert not Participant.objects.exists()


def test_a_web_page_named_csv_is_refused(manager_client, session):
    response = upload(manager_client, session, b"<html><body><p>roster</p></body></html>")
    assert response.status_code == 400
    assert "text/html" in response.text
    assert not Participant.objects.exists()


def test_a_known_person_is_shown_and_the_organiser_chooses(manager_client, session, manager):
    earlier = builders.make_session(manager, title="Earlier session", code="earlier")
    known = enrolled(earlier, manager, name_latin="Samira Benani", name_arabic="", rank="")

    preview = upload(manager_client, session, csv_bytes())
    assert preview.status_code == 200
    assert "Samira Benani" in preview.text and "Earlier session" in preview.text
    assert 'name="row-2"' in preview.text

    undecided = confirm(manager_client, session)
    assert undecided.status_code == 400
    assert "say whether it is the same person" in undecided.text
    assert not Enrolment.objects.filter(session=session).exists()

    done = confirm(manager_client, session, **{"row-2": str(known.pk), "fill-2": "on"})
    assert done.status_code == 302
    known.refresh_from_db()
    assert known.enrolments.filter(session=session).exists()
    assert known.rank == "Inspector"
    assert Participant.objects.count() == 3


def test_the_preview_shows_no_one_the_user_cannot_see(manager_client, session):
    other_session, other = gendarmerie_session()
    enrolled(other_session, other, name_latin="Samira Benani", service_number="P-1001")

    preview = upload(manager_client, session, csv_bytes())

    assert preview.status_code == 200
    assert "Samira Benani" not in preview.text
    assert "gendarmerie session" not in preview.text
    assert 'name="row-2"' not in preview.text


@pytest.mark.parametrize(
    ("file_format", "language", "first_header"),
    [("csv", "en", "name_latin"), ("xlsx", "ar", "الاسم بالحروف اللاتينية")],
)
def test_templates_download_with_their_headers(
    manager_client, session, file_format, language, first_header
):
    response = manager_client.get(
        reverse("staff:roster_template", args=[session.pk, file_format]), {"language": language}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if file_format == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
    assert header[0] == first_header and len(header) == 11


def test_unknown_template_format_is_not_found(manager_client, session):
    url = reverse("staff:roster_template", args=[session.pk, "pdf"])
    assert manager_client.get(url).status_code == 404


# --- Who may import -----------------------------------------------------------------------


def roster_urls(session):
    return [
        ("get", reverse("staff:roster_import", args=[session.pk])),
        ("post", reverse("staff:roster_import", args=[session.pk])),
        ("post", reverse("staff:roster_import_confirm", args=[session.pk])),
        ("get", reverse("staff:roster_template", args=[session.pk, "csv"])),
    ]


@pytest.mark.parametrize("who", ["outsider", "trainer", "no_membership"])
def test_only_the_sessions_managers_may_import(client, manager, who):
    trainer = builders.make_trainer("session-trainer")
    session = builders.make_session(manager, trainers=[trainer])
    user = {
        "outsider": builders.outsider,
        "trainer": lambda: trainer,
        "no_membership": lambda: UserFactory(username="nobody"),
    }[who]()
    client.force_login(user)
    for method, url in roster_urls(session):
        data = {"file": SimpleUploadedFile("r.csv", csv_bytes())} if method == "post" else {}
        assert getattr(client, method)(url, data).status_code == 403, url
    assert not Participant.objects.exists()


def test_an_unknown_session_is_not_found(manager_client):
    assert manager_client.get(reverse("staff:roster_import", args=[999999])).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, session):
    response = client.get(reverse("staff:roster_import", args=[session.pk]))
    assert response.status_code == 302 and "login" in response.url


# --- Probable duplicates and merging ------------------------------------------------------


@pytest.fixture
def two_sessions(manager, session):
    second = builders.make_session(manager, title="Nador, May", code="second-course")
    return session, second


def test_duplicates_page_lists_only_visible_people(manager_client, manager, two_sessions):
    first, second = two_sessions
    enrolled(first, manager, name_latin="Youssef Bennani", name_arabic="", sex="male")
    enrolled(second, manager, name_latin="Yusuf Bennani", name_arabic="", sex="male")
    other_session, other = gendarmerie_session()
    enrolled(other_session, other, name_latin="Youssef Benani", name_arabic="", sex="male")
    enrolled(other_session, other, name_latin="Nadia Hidden", name_arabic="")
    enrolled(other_session, other, name_latin="Nadia Hidden", name_arabic="")

    response = manager_client.get(reverse("staff:participant_duplicates"))

    assert response.status_code == 200
    assert len(response.context["pairs"]) == 1
    assert "Yusuf Bennani" in response.text
    assert "Youssef Benani" not in response.text and "Nadia Hidden" not in response.text


def test_duplicates_page_queries_do_not_grow_with_pairs(manager_client, manager, two_sessions):
    first, second = two_sessions
    url = reverse("staff:participant_duplicates")

    def add_pair(n: int) -> None:
        name = ["Karim Idrissi", "Omar Fassi", "Hind Sqalli"][n]
        enrolled(first, manager, name_latin=name, name_arabic="", service_number=f"S-{n}")
        enrolled(second, manager, name_latin=name, name_arabic="", service_number=f"s{n}")

    add_pair(0)
    with CaptureQueriesContext(connection) as one:
        assert len(manager_client.get(url).context["pairs"]) == 1
    add_pair(1)
    add_pair(2)
    with CaptureQueriesContext(connection) as three:
        assert len(manager_client.get(url).context["pairs"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_trainers_may_not_see_duplicates(client, manager):
    trainer = builders.make_trainer("session-trainer")
    client.force_login(trainer)
    assert client.get(reverse("staff:participant_duplicates")).status_code == 403


def test_merge_page_compares_then_merges(manager_client, manager, two_sessions):
    first, second = two_sessions
    keep = enrolled(first, manager, name_latin="Youssef Bennani", name_arabic="", rank="")
    duplicate = enrolled(second, manager, name_latin="Yusuf Bennani", rank="Inspector")
    url = reverse("staff:participant_merge", args=[keep.pk, duplicate.pk])

    page = manager_client.get(url)
    assert page.status_code == 200
    assert "Youssef Bennani" in page.text and "Yusuf Bennani" in page.text
    assert "Nador, May" in page.text

    done = manager_client.post(url)
    assert done.status_code == 302
    assert not Participant.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert keep.rank == "Inspector"
    assert keep.enrolments.count() == 2


def test_merge_page_refuses_people_in_the_same_session(manager_client, manager, session):
    keep = enrolled(session, manager, name_latin="Youssef Bennani", name_arabic="")
    duplicate = enrolled(session, manager, name_latin="Yusuf Bennani", name_arabic="")
    url = reverse("staff:participant_merge", args=[keep.pk, duplicate.pk])

    assert "cannot be merged" in manager_client.get(url).text
    response = manager_client.post(url)
    assert response.status_code == 400
    assert session.title in response.text
    assert Participant.objects.filter(pk=duplicate.pk).exists()


def test_merge_page_is_not_found_for_people_the_user_cannot_see(manager_client, manager, session):
    keep = enrolled(session, manager, name_latin="Youssef Bennani")
    other_session, other = gendarmerie_session()
    hidden = enrolled(other_session, other, name_latin="Yusuf Bennani")
    url = reverse("staff:participant_merge", args=[keep.pk, hidden.pk])

    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url).status_code == 404
    assert Participant.objects.filter(pk=hidden.pk).exists()


def test_only_coordinators_and_focal_points_may_merge(client, manager, session):
    keep = enrolled(session, manager, name_latin="Youssef Bennani")
    duplicate = enrolled(session, manager, name_latin="Yusuf Bennani")
    trainer = builders.make_trainer("session-trainer")
    client.force_login(trainer)
    url = reverse("staff:participant_merge", args=[keep.pk, duplicate.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
