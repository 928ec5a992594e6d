"""The API's certificates and cascades: a session's certificates for its roster readers,
issuing and revoking for its managers, the public check with no login, and cascade
sessions with the session's reach (names only for roster readers)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.accounts.enums import Role
from mizan.training.models import CascadeSession, Certificate
from mizan.training.services.certificates import issue_certificates, revoke_certificate
from tests.api.assertions import assert_error_shape
from tests.factories import InstitutionFactory, UserFactory, user_with_role
from tests.training import builders
from tests.training.cascade_builders import give_cascade, relay_in
from tests.training.certificate_builders import completed_session_with

pytestmark = pytest.mark.django_db

CERTIFICATES = "/api/v1/certificates/"
CASCADES = "/api/v1/cascades/"


@pytest.fixture
def by(db):
    return builders.organiser()


@pytest.fixture
def guest_trainer(db):
    return user_with_role(Role.TRAINER, InstitutionFactory(code="academy"), username="guest")


@pytest.fixture
def customs(db):
    """A coordinator of an institution that organises nothing: a member, no roster."""
    return builders.outsider()


@pytest.fixture
def completed(by, guest_trainer):
    session, done, not_done = completed_session_with(by, done=2, not_done=1)
    session.trainers.add(guest_trainer)
    return session, done, not_done


@pytest.fixture
def session(completed):
    return completed[0]


@pytest.fixture
def certificate(session, by):
    return issue_certificates(session=session, by=by).issued[0]


# --- A session's certificates -----------------------------------------------------------


def test_the_organiser_lists_the_session_certificates(as_user, by, certificate, session):
    response = as_user(by).get(CERTIFICATES, {"session": session.pk})

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    first = next(r for r in results if r["id"] == certificate.pk)
    assert first["code"] == certificate.code
    assert first["state"] == "valid"
    assert first["session"] == session.pk


def test_a_trainer_of_the_session_lists_them_too(as_user, guest_trainer, certificate, session):
    assert as_user(guest_trainer).get(CERTIFICATES, {"session": session.pk}).status_code == 200


def test_the_list_needs_a_session(as_user, by, certificate):
    assert_error_shape(as_user(by).get(CERTIFICATES), 400)


def test_a_member_who_may_not_see_the_roster_is_refused_the_list(as_user, customs, certificate):
    response = as_user(customs).get(CERTIFICATES, {"session": certificate.enrolment.session_id})

    assert_error_shape(response, 403)


def test_an_unknown_session_is_not_found(as_user, by, certificate):
    assert_error_shape(as_user(by).get(CERTIFICATES, {"session": 999999}), 404)


def test_an_account_without_membership_is_refused(as_user, certificate):
    response = as_user(UserFactory(username="nobody")).get(
        CERTIFICATES, {"session": certificate.enrolment.session_id}
    )

    assert_error_shape(response, 403)


def test_an_anonymous_client_must_authenticate(api, certificate):
    assert_error_shape(api.get(CERTIFICATES, {"session": certificate.enrolment.session_id}), 401)


def test_one_certificate_is_read_by_a_roster_reader_only(as_user, by, customs, certificate):
    url = f"{CERTIFICATES}{certificate.pk}/"

    assert as_user(by).get(url).json()["holder_name_latin"] == certificate.holder_name_latin
    assert_error_shape(as_user(customs).get(url), 404)


def count_queries(client, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CERTIFICATES, {"session": session.pk}).status_code == 200
    return len(queries)


def test_the_list_takes_the_same_queries_for_one_or_three(as_user, by):
    one, _, _ = completed_session_with(by, done=1, not_done=0)
    three, _, _ = completed_session_with(by, done=3, not_done=0, code="other-course")
    issue_certificates(session=one, by=by)
    issue_certificates(session=three, by=by)
    client = as_user(by)
    count_queries(client, one)  # the user's memberships are read once, then kept

    assert count_queries(client, one) == count_queries(client, three)


# --- Issuing, revoking, reissuing ---------------------------------------------------------


def test_the_organiser_issues_one_certificate(as_user, by, completed):
    _, done, _ = completed

    response = as_user(by).post(CERTIFICATES, {"enrolment": done[0].pk}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["code"] == Certificate.objects.get(enrolment=done[0]).code


def test_issuing_to_who_did_not_complete_is_refused_with_the_reason(as_user, by, completed):
    _, _, not_done = completed

    response = as_user(by).post(CERTIFICATES, {"enrolment": not_done[0].pk}, format="json")

    error = assert_error_shape(response, 400)
    assert error["code"] == "not_eligible"
    assert "1 of 6" in error["message"]


def test_a_trainer_may_not_issue(as_user, guest_trainer, completed):
    _, done, _ = completed

    response = as_user(guest_trainer).post(CERTIFICATES, {"enrolment": done[0].pk}, format="json")

    assert_error_shape(response, 403)
    assert not Certificate.objects.exists()


def test_issuing_to_all_says_who_did_not_complete(as_user, by, completed):
    session, done, not_done = completed

    response = as_user(by).post(f"{CERTIFICATES}issue/", {"session": session.pk}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert {c["enrolment"] for c in body["issued"]} == {e.pk for e in done}
    assert [row["enrolment"] for row in body["not_eligible"]] == [not_done[0].pk]
    assert body["not_eligible"][0]["reasons"]


def test_issuing_to_all_is_refused_to_a_member_outside(as_user, customs, session):
    response = as_user(customs).post(
        f"{CERTIFICATES}issue/", {"session": session.pk}, format="json"
    )

    assert_error_shape(response, 403)


def test_revoking_needs_a_reason(as_user, by, certificate):
    response = as_user(by).post(f"{CERTIFICATES}{certificate.pk}/revoke/", {}, format="json")

    assert_error_shape(response, 400)


def test_the_organiser_revokes_then_reissues(as_user, by, certificate):
    client = as_user(by)

    revoked = client.post(
        f"{CERTIFICATES}{certificate.pk}/revoke/", {"reason": "Wrong person"}, format="json"
    )
    reissued = client.post(f"{CERTIFICATES}{certificate.pk}/reissue/")

    assert revoked.json()["state"] == "revoked"
    assert revoked.json()["revocation_reason"] == "Wrong person"
    assert reissued.json()["state"] == "valid"
    assert reissued.json()["code"] != certificate.code


def test_a_trainer_may_not_revoke(as_user, guest_trainer, certificate):
    response = as_user(guest_trainer).post(
        f"{CERTIFICATES}{certificate.pk}/revoke/", {"reason": "No"}, format="json"
    )

    assert_error_shape(response, 403)


def test_a_member_outside_may_not_revoke(as_user, customs, certificate):
    response = as_user(customs).post(
        f"{CERTIFICATES}{certificate.pk}/revoke/", {"reason": "No"}, format="json"
    )

    assert_error_shape(response, 404)


# --- The public check --------------------------------------------------------------------


def test_anyone_checks_a_code_and_gets_only_the_public_fields(api, certificate):
    response = api.get(f"{CERTIFICATES}verify/{certificate.code.lower()}/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid"
    assert body["holder_name_arabic"] == "" or body["holder_name_latin"]
    assert body["city"] == "Oujda"
    assert body["course"] == "Rights of persons in migration situations"
    assert set(body) == {
        "status",
        "code",
        "holder_name_latin",
        "holder_name_arabic",
        "course",
        "starts_on",
        "ends_on",
        "city",
        "institutions",
        "issued_at",
        "revoked_at",
    }


def test_a_revoked_code_says_when_and_names_no_one(api, certificate, by):
    revoke_certificate(certificate=certificate, reason="Fraud", by=by)

    body = api.get(f"{CERTIFICATES}verify/{certificate.code}/").json()

    assert body["status"] == "revoked"
    assert body["revoked_at"]
    assert body["holder_name_latin"] is None and body["city"] is None
    assert "Fraud" not in str(body)


def test_an_unknown_code_is_not_found(api, certificate):
    assert_error_shape(api.get(f"{CERTIFICATES}verify/AAAA-BBBB-CCCC/"), 404)


# --- Cascades -------------------------------------------------------------------------------


@pytest.fixture
def lineage(completed, by):
    _, done, _ = completed
    cascade = give_cascade(done[0].participant, women=4, men=6, by=by)
    relay = relay_in(cascade, "Karim Relay", by)
    give_cascade(relay, women=1, men=1, by=by)
    return done[0].participant, cascade, relay


def test_a_member_lists_cascades_without_names(as_user, customs, session, lineage):
    response = as_user(customs).get(CASCADES, {"session": session.pk})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["generation"] for r in results] == [1, 2]
    assert all(r["reported_by"] is None and r["notes"] is None for r in results)
    assert "Karim" not in response.content.decode()


def test_a_roster_reader_sees_who_gave_each_cascade(as_user, guest_trainer, session, lineage):
    giver, _, relay = lineage

    results = as_user(guest_trainer).get(CASCADES, {"session": session.pk}).json()["results"]

    assert [r["reported_by"]["id"] for r in results] == [giver.pk, relay.pk]


def test_the_cascade_list_needs_a_session(as_user, by, lineage):
    assert_error_shape(as_user(by).get(CASCADES), 400)


def test_the_cascade_list_is_refused_without_membership(as_user, session, lineage):
    response = as_user(UserFactory(username="nobody")).get(CASCADES, {"session": session.pk})

    assert_error_shape(response, 403)


def test_the_reach_counts_every_generation(as_user, customs, session, lineage):
    response = as_user(customs).get(f"{CASCADES}reach/", {"session": session.pk})

    assert response.status_code == 200
    body = response.json()
    assert body["direct"] == {"women": 2, "men": 1, "total": 3}
    assert body["cascaded"] == {"women": 5, "men": 7, "total": 12}
    assert body["cascade_sessions"] == 2
    assert [g["generation"] for g in body["by_generation"]] == [1, 2]


def new_cascade(reporter, session, **extra):
    return {
        "source_session": session.pk,
        "reporter": reporter.pk,
        "held_on": "2026-04-20",
        "place": "Berkane",
        "audience": [{"institution": "police", "women": 2, "men": 3}],
        **extra,
    }


def test_the_organiser_records_a_cascade_on_behalf_of_a_participant(as_user, by, completed):
    session, done, _ = completed

    response = as_user(by).post(CASCADES, new_cascade(done[1].participant, session), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["generation"] == 1
    assert body["audience"] == [{"institution": "police", "women": 2, "men": 3}]
    assert body["reported_by"]["id"] == done[1].participant.pk


@pytest.mark.parametrize("who", ["trainer", "customs"])
def test_recording_is_refused_to_who_does_not_manage(
    as_user, guest_trainer, customs, completed, who
):
    session, done, _ = completed
    user = guest_trainer if who == "trainer" else customs

    response = as_user(user).post(
        CASCADES, new_cascade(done[1].participant, session), format="json"
    )

    assert_error_shape(response, 403)
    assert not CascadeSession.objects.exists()


def test_a_reporter_from_another_session_is_refused(as_user, by, completed):
    session, _, _ = completed
    _other, others, _ = completed_session_with(by, done=1, not_done=0, code="other-course")

    response = as_user(by).post(
        CASCADES, new_cascade(others[0].participant, session), format="json"
    )

    error = assert_error_shape(response, 400)
    assert "reporter" in error["fields"]


def test_removing_a_cascade_needs_the_right_and_a_reason(as_user, by, customs, completed):
    _session, done, _ = completed
    cascade = give_cascade(done[1].participant, by=by)
    url = f"{CASCADES}{cascade.pk}/remove/"

    assert_error_shape(as_user(customs).post(url, {"reason": "No"}, format="json"), 403)
    assert_error_shape(as_user(by).post(url, {}, format="json"), 400)
    assert as_user(by).post(url, {"reason": "Twice"}, format="json").status_code == 204
    assert not CascadeSession.objects.filter(pk=cascade.pk).exists()


def count_cascade_queries(client, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CASCADES, {"session": session.pk}).status_code == 200
    return len(queries)


def test_the_cascade_list_takes_the_same_queries_for_one_or_three(as_user, by):
    one, (first,), _ = completed_session_with(by, done=1, not_done=0)
    three, (second,), _ = completed_session_with(by, done=1, not_done=0, code="other-course")
    give_cascade(first.participant, by=by)
    for place in ("Nador", "Berkane", "Taourirt"):
        give_cascade(second.participant, place=place, by=by)
    client = as_user(by)
    count_cascade_queries(client, one)  # the user's memberships are read once, then kept

    assert count_cascade_queries(client, one) == count_cascade_queries(client, three)
