"""Importing from the web: a preview with every problem, and nothing saved before confirming."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mizan.recommendations.models import Recommendation
from tests.factories import MechanismFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "document,mechanism,paragraph,text,language,state_under_review\n"
    "CMW/C/XYZ/CO/1,CMW,12(a),Train border officials on the rights of migrants,en,Morocco\n"
    "CMW/C/XYZ/CO/1,CMW,12(b),Guarantee access to consular assistance,en,Morocco\n"
)
BAD = (
    "document,mechanism,paragraph,text,language,state_under_review\n"
    "CMW/C/XYZ/CO/1,CMW,12(a),Train border officials on the rights of migrants,en,Morocco\n"
    "CMW/C/XYZ/CO/1,CMW,12(b),,en,Morocco\n"
)


def upload(client, content, name="recommendations.csv", **extra):
    return client.post(
        reverse("staff:import"),
        {"file": SimpleUploadedFile(name, content.encode()), "format": ""},
        **extra,
    )


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    MechanismFactory(code="CMW")


def test_bad_file_shows_line_and_reason_and_saves_nothing(coordinator_client):
    response = upload(coordinator_client, BAD)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert [(p.line, p.column) for p in problems] == [(3, "text")]
    assert "Nothing was imported" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_good_file_is_previewed_then_imported_on_confirmation(coordinator_client, coordinator):
    response = upload(coordinator_client, GOOD)
    assert response.status_code == 200
    assert response.context["summary"].created == 2
    assert not Recommendation.objects.exists()
    response = coordinator_client.post(reverse("staff:import_confirm"))
    assert response.status_code == 302
    assert Recommendation.objects.count() == 2
    assert Recommendation.objects.first().history.first().history_user == coordinator


def test_confirmation_without_preview_imports_nothing(coordinator_client):
    response = coordinator_client.post(reverse("staff:import_confirm"), follow=True)
    assert "upload the file again" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_text_renamed_as_xlsx_is_refused_by_content(coordinator_client):
    response = upload(coordinator_client, GOOD, name="recommendations.xlsx")
    assert response.status_code == 400
    assert response.context["problems"]
    assert not Recommendation.objects.exists()


def test_problems_are_reported_in_arabic(coordinator_client):
    response = upload(coordinator_client, BAD, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.parametrize("client_fixture", ["viewer_client", "outsider_client"])
def test_only_coordinators_may_import(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    assert upload(client, GOOD).status_code == 403
    assert client.post(reverse("staff:import_confirm")).status_code == 403
    assert not Recommendation.objects.exists()


def test_export_downloads_what_the_list_shows(coordinator_client):
    upload(coordinator_client, GOOD)
    coordinator_client.post(reverse("staff:import_confirm"))
    response = coordinator_client.get(reverse("staff:export"), {"format": "csv", "q": "consular"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "consular" in body
    assert "border officials" not in body


def test_export_refused_to_users_without_membership(outsider_client):
    assert outsider_client.get(reverse("staff:export"), {"format": "csv"}).status_code == 403
