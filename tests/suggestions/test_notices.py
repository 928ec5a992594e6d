"""The notice staff get when a committee releases its decisions: who gets it, in which
language, and that it names no author."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.suggestions import notices
from mizan.suggestions.enums import Outcome
from mizan.suggestions.services import rounds
from mizan.suggestions.services.decisions import record_decisions, release_decisions
from tests.factories import user_with_role
from tests.suggestions.builders import from_participant, from_staff, open_round

COMMITTEE = {"chair", "secretary", "member", "session.trainer", "reviewer"}


@pytest.fixture
def decided(case):
    """A blind round with an officer's suggestion and one of a ministry's staff, closed
    and decided: one accepted, one rejected."""
    officer = from_participant(case.enrolments[0], "A case study at the border.")
    ministry = from_staff(case.outsider, "Send the guide in Arabic.", session=case.session)
    review_round = rounds.close_round(
        review_round=open_round(case, [officer, ministry]), by=case.coordinator
    )
    for suggestion, outcome in ((officer, Outcome.ACCEPTED), (ministry, Outcome.REJECTED)):
        record_decisions(
            review_round=review_round,
            suggestions=[suggestion],
            outcome=outcome,
            rationale="Discussed at the meeting.",
            meeting=case.meeting,
            by=case.partnership.chair,
        )
    return review_round


def _release(case, review_round, capture) -> dict[str, mail.EmailMessage]:
    with capture(execute=True):
        release_decisions(review_round=review_round, by=case.partnership.chair)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(by_address) == len(mail.outbox), "one notice per person"
    return by_address


def _usernames(messages) -> set[str]:
    return {address.split("@")[0] for address in messages}


def test_the_committee_the_organisers_managers_and_staff_authors_are_told(
    case, decided, django_capture_on_commit_callbacks
):
    police_focal = user_with_role(
        Role.FOCAL_POINT, case.partnership.police, username="police.focal"
    )
    user_with_role(Role.VIEWER, case.partnership.police, username="police.viewer")
    user_with_role(Role.FOCAL_POINT, case.partnership.unrelated, username="health.focal")
    messages = _release(case, decided, django_capture_on_commit_callbacks)
    assert _usernames(messages) == COMMITTEE | {
        "coordinator",  # manager at the NHRI, which organised the session
        police_focal.username,  # manager at the police directorate, which did too
        "outsider",  # wrote one of the suggestions
    }
    assert "stranger" not in _usernames(messages)


def test_people_without_an_address_or_an_open_account_are_skipped(
    case, decided, django_capture_on_commit_callbacks
):
    case.partnership.member.email = ""
    case.partnership.member.save()
    case.reviewer.is_active = False
    case.reviewer.save()
    messages = _release(case, decided, django_capture_on_commit_callbacks)
    assert "member" not in _usernames(messages)
    assert "reviewer" not in _usernames(messages)
    assert "chair" in _usernames(messages)


def test_each_notice_is_in_its_readers_language(case, decided, django_capture_on_commit_callbacks):
    for user, language in ((case.partnership.chair, "fr"), (case.reviewer, "ar")):
        user.preferred_language = language
        user.save()
    messages = _release(case, decided, django_capture_on_commit_callbacks)
    arabic = messages[case.reviewer.email]
    assert arabic.extra_headers["Content-Language"] == "ar"
    [(html, _type)] = arabic.alternatives
    assert 'lang="ar" dir="rtl"' in html
    assert "ميزان" in html
    french = messages[case.partnership.chair.email]
    assert french.extra_headers["Content-Language"] == "fr"
    assert 'lang="fr" dir="ltr"' in french.alternatives[0][0]
    english = messages[case.partnership.secretary.email]
    assert english.extra_headers["Content-Language"] == "en", "no preference: the default"


def test_the_notice_gives_the_outcomes_and_the_link_but_no_author(
    case, decided, django_capture_on_commit_callbacks
):
    messages = _release(case, decided, django_capture_on_commit_callbacks)
    notice = messages[case.reviewer.email]
    assert notice.subject == f"Decisions released: {decided.title}"
    assert notice.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "Accepted: 1" in notice.body
    assert "Rejected: 1" in notice.body
    assert "Deferred" not in notice.body
    url = settings.MIZAN_SITE_URL + reverse("staff:review_round", args=[decided.pk])
    assert url in notice.body
    officer = case.enrolments[0].participant.name_latin
    for address, message in messages.items():
        html = message.alternatives[0][0]
        for text in (message.subject, message.body, html):
            assert officer not in text
            if address != case.outsider.email:
                assert "outsider" not in text, "the ministry's author is not named"


def test_a_failed_sending_does_not_stop_the_others(case, decided, monkeypatch):
    original = notices.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [case.partnership.secretary.email]:
            raise OSError("mail server gone")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(notices.EmailMultiAlternatives, "send", send)
    outcome = notices.notify_release(decided.pk)
    # Seven people are told (the committee, the coordinator, the ministry's author); one
    # message could not go.
    assert outcome == {"sent": 6, "failed": 1}
    assert case.partnership.secretary.email not in {m.to[0] for m in mail.outbox}
