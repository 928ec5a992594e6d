"""The public check of a certificate: anyone, with no account, types the code printed on
it and learns whether it is valid and for whom, and nothing more."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.training.services import sessions as session_services
from mizan.training.services.certificates import (
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from tests.training.builders import organiser
from tests.training.certificate_builders import attend as attend_all
from tests.training.certificate_builders import finish, post_test, running_session

pytestmark = pytest.mark.django_db

UNKNOWN = "AAAA-BBBB-CCCC"


@pytest.fixture
def by(db):
    return organiser()


@pytest.fixture
def certificate(by):
    session = running_session(by)
    participant = session_services.create_participant(
        name_latin="Samira Bennani",
        name_arabic="سميرة بناني",
        sex="female",
        service_number="PN-448812",
        email="samira@example.org",
        phone="+212600000000",
        by=by,
    )
    enrolment = session_services.enrol(session=session, participant=participant, by=by)
    attend_all(enrolment)
    post_test(enrolment, "87.5")
    finish(session, by)
    return issue_certificate(enrolment=enrolment, by=by)


def verify(client, code):
    return client.get(reverse("public:verify_code", args=[code]))


def test_the_form_is_open_to_everyone(client):
    response = client.get(reverse("public:verify"))

    assert response.status_code == 200
    assert 'name="code"' in response.text
    assert "<label" in response.text


def test_a_code_typed_in_the_form_leads_to_its_page(client):
    response = client.get(reverse("public:verify"), {"code": " k7qm r2xd 9hnp "})

    assert response.status_code == 302
    assert response["Location"] == reverse("public:verify_code", args=["K7QM-R2XD-9HNP"])


def test_an_empty_code_is_refused_on_the_form(client):
    response = client.get(reverse("public:verify"), {"code": "--"})

    assert response.status_code == 200
    assert "Type the code printed on the certificate." in response.text


def test_a_valid_certificate_shows_holder_course_dates_city_and_issuers(client, certificate):
    response = verify(client, certificate.code)

    assert response.status_code == 200
    text = response.text
    assert "This certificate is valid." in text
    assert "Samira Bennani" in text
    assert "سميرة بناني" in text
    assert "Rights of persons in migration situations" in text
    assert "Oujda" in text
    assert "Institution police" in text and "Institution nhri" in text


def test_a_valid_certificate_shows_no_other_personal_data(client, certificate):
    text = verify(client, certificate.code).text

    for private in ("PN-448812", "samira@example.org", "+212600000000", "87.5", "87,5"):
        assert private not in text


def test_a_revoked_certificate_says_so_without_the_reason_or_the_holder(client, certificate, by):
    revoke_certificate(certificate=certificate, reason="Attendance was forged", by=by)

    response = verify(client, certificate.code)

    assert response.status_code == 200
    assert "This certificate was revoked." in response.text
    assert "Attendance was forged" not in response.text
    assert "Samira Bennani" not in response.text


def test_the_old_code_of_a_reissued_certificate_is_revoked(client, certificate, by):
    old = certificate.code
    revoke_certificate(certificate=certificate, reason="Name misspelt", by=by)
    reissue_certificate(certificate=certificate, by=by)

    assert "This certificate was revoked." in verify(client, old).text


def test_an_unknown_code_is_not_found(client, certificate):
    response = verify(client, UNKNOWN)

    assert response.status_code == 404
    assert "No certificate has this code." in response.text
    assert "Samira" not in response.text


def test_a_lower_case_code_is_found(client, certificate):
    assert verify(client, certificate.code.lower()).status_code == 200


def test_the_answer_is_not_cached_nor_indexed(client, certificate):
    response = verify(client, certificate.code)

    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"


def queries(client, code) -> int:
    with CaptureQueriesContext(connection) as captured:
        verify(client, code)
    return len(captured)


def test_a_known_and_an_unknown_code_cost_the_same_queries(client, certificate):
    assert queries(client, certificate.code) == queries(client, UNKNOWN)


def test_the_page_is_right_to_left_in_arabic(client, certificate):
    response = client.get(
        reverse("public:verify_code", args=[certificate.code]), HTTP_ACCEPT_LANGUAGE="ar"
    )

    assert 'dir="rtl"' in response.text


def test_the_home_page_still_works(client):
    assert client.get(reverse("public:home")).status_code == 200
