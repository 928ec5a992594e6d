"""The back office's certificate and cascade pages of a session: who may open and use
them, and what they show (no names to those who may not see the roster)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.training.models import CascadeSession, Certificate, Participant, PersonalLink
from mizan.training.services.certificates import issue_certificates, revoke_certificate
from tests.factories import InstitutionFactory, UserFactory, user_with_role
from tests.training import builders
from tests.training.cascade_builders import give_cascade, relay_in
from tests.training.certificate_builders import completed_session_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def by(db):
    return builders.organiser()


@pytest.fixture
def guest_trainer(db):
    """A trainer from an academy that organises nothing, teaching the session."""
    return user_with_role(Role.TRAINER, InstitutionFactory(code="academy"), username="guest")


@pytest.fixture
def completed(by, guest_trainer):
    """A completed session: two completed the course, one attended one half-day."""
    session, done, not_done = completed_session_with(by, done=2, not_done=1)
    session.trainers.add(guest_trainer)
    return session, done, not_done


@pytest.fixture
def session(completed):
    return completed[0]


def login(client, user):
    client.force_login(user)
    return client


def page(session) -> str:
    return reverse("staff:session_certificates", args=[session.pk])


def cascades_page(session) -> str:
    return reverse("staff:session_cascades", args=[session.pk])


# --- The certificates page -------------------------------------------------------------------


def test_the_organiser_sees_who_completed_and_why_not(client, by, completed):
    session, done, not_done = completed
    response = login(client, by).get(page(session))

    assert response.status_code == 200
    assert done[0].participant.name_latin in response.text
    assert not_done[0].participant.name_latin in response.text
    assert "Attended 1 of 6 half-days" in response.text
    assert reverse("staff:session_certificates_issue", args=[session.pk]) in response.text


def test_a_trainer_of_the_session_sees_the_page_without_the_buttons(client, guest_trainer, session):
    response = login(client, guest_trainer).get(page(session))

    assert response.status_code == 200
    assert reverse("staff:session_certificates_issue", args=[session.pk]) not in response.text


def test_a_member_who_may_not_see_the_roster_is_refused(client, session):
    assert login(client, builders.outsider()).get(page(session)).status_code == 403


def test_an_account_without_membership_is_refused(client, session):
    assert login(client, UserFactory(username="nobody")).get(page(session)).status_code == 403


def test_a_visitor_is_sent_to_log_in(client, session):
    response = client.get(page(session))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_session_is_not_found(client, by, session):
    assert (
        login(client, by).get(page(session).replace(str(session.pk), "999999")).status_code == 404
    )


def test_issuing_to_all_certifies_those_who_completed(client, by, completed):
    session, done, _ = completed

    response = login(client, by).post(
        reverse("staff:session_certificates_issue", args=[session.pk]), follow=True
    )

    assert set(Certificate.objects.values_list("enrolment_id", flat=True)) == {e.pk for e in done}
    assert "2 certificates issued." in response.text
    assert "1 participant did not complete" in response.text
    code = Certificate.objects.first().code
    assert code in response.text


@pytest.mark.parametrize("who", ["trainer", "outsider"])
def test_issuing_is_refused_to_who_does_not_manage_the_session(client, guest_trainer, session, who):
    user = guest_trainer if who == "trainer" else builders.outsider()

    response = login(client, user).post(
        reverse("staff:session_certificates_issue", args=[session.pk])
    )

    assert response.status_code == 403
    assert not Certificate.objects.exists()


def count_queries(client, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(session)).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_queries_for_one_or_three_participants(client, by):
    one, _, _ = completed_session_with(by, done=1, not_done=0)
    three, _, _ = completed_session_with(by, done=2, not_done=1, code="other-course")
    issue_certificates(session=one, by=by)
    issue_certificates(session=three, by=by)
    login(client, by)

    assert count_queries(client, one) == count_queries(client, three)


# --- PDF, revoking, reissuing --------------------------------------------------------------


@pytest.fixture
def certificate(session, by):
    return issue_certificates(session=session, by=by).issued[0]


def pdf_url(certificate, language="ar") -> str:
    return reverse("staff:certificate_pdf", args=[certificate.pk, language])


def test_the_organiser_downloads_the_pdf(client, by, certificate):
    response = login(client, by).get(pdf_url(certificate, "fr"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert certificate.code in response["Content-Disposition"]


def test_a_member_who_may_not_see_the_roster_gets_no_pdf(client, certificate):
    assert login(client, builders.outsider()).get(pdf_url(certificate)).status_code == 404


def test_a_language_outside_the_interface_gets_no_pdf(client, by, certificate):
    assert login(client, by).get(pdf_url(certificate, "es")).status_code == 404


def test_a_revoked_certificate_is_not_downloaded(client, by, certificate):
    revoke_certificate(certificate=certificate, reason="Mistake", by=by)

    response = login(client, by).get(pdf_url(certificate), follow=True)

    assert response.redirect_chain
    assert "cannot be printed" in response.text


def revoke_url(certificate) -> str:
    return reverse("staff:certificate_revoke", args=[certificate.pk])


def test_revoking_without_a_reason_is_refused_with_a_message(client, by, certificate):
    response = login(client, by).post(revoke_url(certificate), {"reason": ""}, follow=True)

    certificate.refresh_from_db()
    assert not certificate.is_revoked
    assert "Say why the certificate is revoked." in response.text


def test_revoking_with_a_reason_shows_the_certificate_revoked(client, by, certificate):
    response = login(client, by).post(
        revoke_url(certificate), {"reason": "Issued to the wrong person"}, follow=True
    )

    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert "Issued to the wrong person" in response.text
    assert reverse("staff:certificate_reissue", args=[certificate.pk]) in response.text


def test_a_trainer_may_not_revoke(client, guest_trainer, certificate):
    response = login(client, guest_trainer).post(revoke_url(certificate), {"reason": "No"})

    assert response.status_code == 403
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_an_outsider_may_not_revoke(client, certificate):
    response = login(client, builders.outsider()).post(revoke_url(certificate), {"reason": "No"})

    assert response.status_code == 404


def test_reissuing_gives_a_new_code(client, by, certificate):
    old = certificate.code
    revoke_certificate(certificate=certificate, reason="Name misspelt", by=by)

    login(client, by).post(reverse("staff:certificate_reissue", args=[certificate.pk]))

    certificate.refresh_from_db()
    assert not certificate.is_revoked and certificate.code != old


# --- The cascades page -----------------------------------------------------------------------


@pytest.fixture
def lineage(completed, by):
    """One of the participants gave a cascade session; a relay trainer trained there."""
    _, done, _ = completed
    cascade = give_cascade(done[0].participant, women=4, men=6, by=by)
    relay = relay_in(cascade, "Karim Relay", by)
    return done[0].participant, cascade, relay


def test_a_member_sees_the_reach_in_numbers_but_no_names(client, session, lineage):
    giver, _, relay = lineage

    response = login(client, builders.outsider()).get(cascades_page(session))

    assert response.status_code == 200
    assert ">10<" in response.text.replace(" ", "")  # reached in cascade
    assert giver.name_latin not in response.text
    assert relay.name_latin not in response.text
    assert reverse("staff:session_cascade_record", args=[session.pk]) not in response.text


def test_a_trainer_sees_who_trained_whom_but_no_forms(client, guest_trainer, session, lineage):
    giver, _, relay = lineage

    response = login(client, guest_trainer).get(cascades_page(session))

    assert giver.name_latin in response.text
    assert relay.name_latin in response.text
    assert reverse("staff:session_cascade_record", args=[session.pk]) not in response.text


def test_the_organiser_sees_the_forms(client, by, session, lineage):
    response = login(client, by).get(cascades_page(session))

    assert reverse("staff:session_cascade_record", args=[session.pk]) in response.text
    assert reverse("staff:relay_trainer_register", args=[session.pk]) in response.text


def test_the_cascades_page_is_refused_without_membership(client, session):
    response = login(client, UserFactory(username="nobody")).get(cascades_page(session))

    assert response.status_code == 403


def record(client, session, reporter, **extra):
    data = {
        "cascade-reporter": reporter.pk,
        "cascade-held_on": "2026-04-15",
        "cascade-place": "Berkane",
        "cascade-notes": "",
        "audience-TOTAL_FORMS": "3",
        "audience-INITIAL_FORMS": "0",
        "audience-MIN_NUM_FORMS": "0",
        "audience-MAX_NUM_FORMS": "30",
        "audience-0-institution": builders.police().pk,
        "audience-0-women": "3",
        "audience-0-men": "9",
        **extra,
    }
    return client.post(reverse("staff:session_cascade_record", args=[session.pk]), data)


def test_the_organiser_records_a_cascade_on_behalf_of_a_participant(client, by, completed):
    session, done, _ = completed

    response = record(login(client, by), session, done[1].participant)

    assert response.status_code == 302
    cascade = CascadeSession.objects.get(reported_by=done[1].participant)
    assert (cascade.place, cascade.generation, cascade.recorded_by) == ("Berkane", 1, by)
    assert [(a.women, a.men) for a in cascade.audience.all()] == [(3, 9)]


def test_a_cascade_without_an_audience_is_refused_on_the_form(client, by, completed):
    session, done, _ = completed

    response = record(
        login(client, by),
        session,
        done[1].participant,
        **{"audience-0-women": "", "audience-0-men": ""},
    )

    assert response.status_code == 200
    assert "Say how many women and men attended." in response.text
    assert not CascadeSession.objects.exists()


def test_a_trainer_may_not_record_a_cascade(client, guest_trainer, completed):
    session, done, _ = completed

    assert record(login(client, guest_trainer), session, done[1].participant).status_code == 403
    assert not CascadeSession.objects.exists()


def test_registering_a_relay_trainer_shows_their_new_link(client, by, session, lineage):
    _, cascade, _ = lineage

    response = login(client, by).post(
        reverse("staff:relay_trainer_register", args=[session.pk]),
        {
            "relay-cascade": cascade.pk,
            "relay-name_latin": "Nadia Tazi",
            "relay-sex": "female",
            "relay-consent": "on",
        },
        follow=True,
    )

    nadia = Participant.objects.get(name_latin="Nadia Tazi")
    assert nadia.trained_in_cascade == cascade
    assert nadia.consent_given_at is not None
    link = PersonalLink.objects.get(participant=nadia)
    assert f"/p/{link.token}/" in response.text
    assert "<svg" in response.text


def test_the_relay_link_page_is_refused_to_a_trainer(client, guest_trainer, session, lineage):
    _, _, relay = lineage
    url = reverse("staff:relay_trainer_link", args=[session.pk, relay.pk])

    assert login(client, guest_trainer).get(url).status_code == 403


def test_removing_a_cascade_with_a_reason(client, by, completed):
    session, done, _ = completed
    cascade = give_cascade(done[1].participant, held_on=datetime.date(2026, 5, 1), by=by)

    login(client, by).post(
        reverse("staff:session_cascade_remove", args=[session.pk, cascade.pk]),
        {"reason": "Reported twice"},
    )

    assert not CascadeSession.objects.filter(pk=cascade.pk).exists()


def count_cascade_page_queries(client, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(cascades_page(session)).status_code == 200
    return len(queries)


def test_the_cascades_page_takes_the_same_queries_for_one_or_three_generations(client, by):
    one, (first,), _ = completed_session_with(by, done=1, not_done=0)
    three, (second,), _ = completed_session_with(by, done=1, not_done=0, code="other-course")
    give_cascade(first.participant, by=by)
    cascade = give_cascade(second.participant, by=by)
    give_cascade(relay_in(give_cascade(relay_in(cascade, "Karim", by), by=by), "Nadia", by), by=by)
    login(client, by)

    assert count_cascade_page_queries(client, one) == count_cascade_page_queries(client, three)
