"""The daily reminder job: digests, escalations, languages, and sending nothing twice."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.reminders.models import ReminderKind, SentReminder
from mizan.reminders.services import send_reminders
from mizan.reminders.tasks import send_daily_reminders
from tests.factories import InstitutionFactory, UserFactory, user_with_role
from tests.reminders.conftest import TODAY, assign, make_action, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reminder_settings(settings):
    settings.MIZAN_SITE_URL = "https://mizan.example.org"
    settings.MIZAN_REMINDER_HORIZON_DAYS = 14
    settings.MIZAN_ESCALATE_AFTER_DAYS = 14
    return settings


def of_kind(outbox, kind):
    return [m for m in outbox if m.extra_headers["X-Mizan-Reminder"] == kind]


def recipients(messages):
    return sorted(address for m in messages for address in m.to)


def html_of(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


# --- Digests ------------------------------------------------------------------------------


def test_digest_lists_overdue_and_due_soon_work_with_absolute_links(
    mailoutbox, focal_point, police
):
    late = make_action(police, TODAY - timedelta(days=2), title="Late action")
    make_action(police, TODAY + timedelta(days=14), title="Soon action")
    make_action(police, TODAY + timedelta(days=15), title="Far action")
    summary = send_reminders(today=TODAY)
    assert summary.digests == 1
    [message] = of_kind(mailoutbox, "digest")
    assert message.to == [focal_point.email]
    assert "Late action" in message.body and "Soon action" in message.body
    assert "Far action" not in message.body
    assert "2 days overdue" in message.body
    link = "https://mizan.example.org" + reverse("staff:action_detail", args=[late.pk])
    assert link in message.body
    assert "https://mizan.example.org/staff/my-work/" in html_of(message)


def test_digest_has_a_text_and_an_html_version(mailoutbox, focal_point, police):
    make_action(police, TODAY, title="Due today")
    send_reminders(today=TODAY)
    [message] = of_kind(mailoutbox, "digest")
    assert "Due today" in message.body
    html = html_of(message)
    assert "Due today" in html and "<table" in html and "<caption" in html


def test_nothing_due_in_the_horizon_sends_no_digest(mailoutbox, focal_point, police):
    make_action(police, TODAY + timedelta(days=15))
    make_action(police, None)
    assert send_reminders(today=TODAY).digests == 0
    assert mailoutbox == []


def test_no_digest_to_inactive_users_or_users_without_email(mailoutbox, justice):
    inactive = user_with_role(Role.FOCAL_POINT, justice, username="gone")
    inactive.is_active = False
    inactive.save()
    user_with_role(Role.FOCAL_POINT, justice, username="no-mail", email="")
    make_action(justice, TODAY)
    assert send_reminders(today=TODAY).digests == 0


def test_digest_is_written_in_the_recipient_s_language(mailoutbox, police):
    for username, language in [("fr-user", "fr"), ("ar-user", "ar"), ("en-user", "")]:
        user_with_role(Role.FOCAL_POINT, police, username=username, preferred_language=language)
    make_action(police, TODAY)
    send_reminders(today=TODAY)
    by_recipient = {m.to[0]: m for m in of_kind(mailoutbox, "digest")}
    french, arabic, english = (
        by_recipient[f"{name}@example.org"] for name in ("fr-user", "ar-user", "en-user")
    )
    # Dates are formatted in the recipient's language (Django's own translations).
    assert "mars 2026" in french.subject
    assert "March 10, 2026" in english.subject
    assert '<html lang="fr" dir="ltr">' in html_of(french)
    assert '<html lang="ar" dir="rtl">' in html_of(arabic)
    assert '<html lang="en" dir="ltr">' in html_of(english)


def test_follow_up_tasks_reach_their_owner_s_digest(mailoutbox, viewer):
    make_task(viewer, TODAY + timedelta(days=1), description="Send the visit schedule")
    send_reminders(today=TODAY)
    [message] = of_kind(mailoutbox, "digest")
    assert message.to == [viewer.email]
    assert "Send the visit schedule" in message.body


# --- Escalations ----------------------------------------------------------------------------


def test_overdue_exactly_the_limit_is_not_escalated(mailoutbox, focal_point, police):
    make_action(police, TODAY - timedelta(days=14))
    assert send_reminders(today=TODAY).escalations == 0
    assert of_kind(mailoutbox, "escalation") == []


def test_overdue_one_day_past_the_limit_is_escalated_to_focal_points(
    mailoutbox, focal_point, police, justice_focal_point
):
    second = user_with_role(Role.FOCAL_POINT, police, username="second-focal")
    make_action(police, TODAY - timedelta(days=15), title="Very late action")
    assert send_reminders(today=TODAY).escalations == 2
    escalations = of_kind(mailoutbox, "escalation")
    assert recipients(escalations) == sorted([focal_point.email, second.email])
    assert all("Very late action" in m.body for m in escalations)
    assert all("15 days overdue" in m.body for m in escalations)


def test_the_escalation_limit_is_a_setting(mailoutbox, reminder_settings, focal_point, police):
    reminder_settings.MIZAN_ESCALATE_AFTER_DAYS = 3
    make_action(police, TODAY - timedelta(days=4))
    assert send_reminders(today=TODAY).escalations == 1


def test_without_focal_points_escalation_goes_to_the_nearest_parent_s(
    mailoutbox, focal_point, police
):
    unit = InstitutionFactory(code="border-police", parent=police)
    subunit = InstitutionFactory(code="border-post", parent=unit)
    user_with_role(Role.VIEWER, subunit, username="post-viewer")
    assign(subunit, TODAY - timedelta(days=20))
    send_reminders(today=TODAY)
    [message] = of_kind(mailoutbox, "escalation")
    assert message.to == [focal_point.email]
    assert str(subunit) in message.body


def test_own_focal_points_are_told_rather_than_the_parent_s(mailoutbox, focal_point, police):
    unit = InstitutionFactory(code="border-police", parent=police)
    unit_focal = user_with_role(Role.FOCAL_POINT, unit, username="unit-focal")
    make_action(unit, TODAY - timedelta(days=20))
    send_reminders(today=TODAY)
    assert recipients(of_kind(mailoutbox, "escalation")) == [unit_focal.email]


def test_one_escalation_per_focal_point_grouped_by_institution(mailoutbox, focal_point, police):
    unit = InstitutionFactory(code="border-police", names={"en": "Border police"}, parent=police)
    make_action(police, TODAY - timedelta(days=20), title="Police action")
    make_action(unit, TODAY - timedelta(days=30), title="Unit action")
    assert send_reminders(today=TODAY).escalations == 1
    [message] = of_kind(mailoutbox, "escalation")
    assert "Police action" in message.body and "Unit action" in message.body
    assert "Border police" in html_of(message)
    assert SentReminder.objects.get(kind=ReminderKind.ESCALATION).items == 2


def test_tasks_without_an_institution_are_not_escalated(mailoutbox, focal_point, viewer):
    make_task(viewer, TODAY - timedelta(days=30))
    assert send_reminders(today=TODAY).escalations == 0


# --- Sending once, dry runs, failures ----------------------------------------------------


def test_a_second_run_the_same_day_sends_nothing(mailoutbox, focal_point, police):
    make_action(police, TODAY - timedelta(days=20))
    first = send_reminders(today=TODAY)
    assert (first.digests, first.escalations) == (1, 1)
    mailoutbox.clear()
    second = send_reminders(today=TODAY)
    assert (second.digests, second.escalations, second.skipped) == (0, 0, 2)
    assert mailoutbox == []


def test_the_next_day_sends_again(mailoutbox, focal_point, police):
    make_action(police, TODAY)
    send_reminders(today=TODAY)
    assert send_reminders(today=TODAY + timedelta(days=1)).digests == 1


def test_a_dry_run_counts_and_sends_nothing(mailoutbox, focal_point, police):
    make_action(police, TODAY - timedelta(days=20))
    summary = send_reminders(today=TODAY, dry_run=True)
    assert (summary.digests, summary.escalations) == (1, 1)
    assert mailoutbox == []
    assert not SentReminder.objects.exists()


def test_a_refused_message_is_not_recorded_so_the_next_run_retries(
    mailoutbox, monkeypatch, focal_point, police
):
    make_action(police, TODAY)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    assert send_reminders(today=TODAY).failed == 1
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    assert send_reminders(today=TODAY).digests == 1


def test_the_task_sends_the_reminders(mailoutbox, focal_point, police):
    make_action(police, TODAY)
    result = send_daily_reminders.enqueue(day=TODAY.isoformat())
    assert result.return_value["digests"] == 1
    assert len(mailoutbox) == 1


# --- The command --------------------------------------------------------------------------


def run_command(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_command_sends_and_prints_the_summary(mailoutbox, focal_point, police):
    make_action(police, TODAY)
    output = run_command("--date", TODAY.isoformat())
    assert "Digests sent: 1" in output
    assert "Escalations sent: 0" in output
    assert len(mailoutbox) == 1


def test_command_dry_run_sends_nothing(mailoutbox, focal_point, police):
    make_action(police, TODAY)
    output = run_command("--date", TODAY.isoformat(), "--dry-run")
    assert "Digests to send: 1" in output
    assert mailoutbox == []


def test_command_can_enqueue_the_task(mailoutbox, focal_point, police):
    make_action(police, TODAY)
    output = run_command("--date", TODAY.isoformat(), "--enqueue")
    assert "queued" in output
    assert len(mailoutbox) == 1  # the test settings run tasks immediately


def test_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_command("--date", "10/03/2026")


def test_people_with_nothing_to_do_get_nothing(mailoutbox, coordinator, viewer):
    UserFactory(username="lonely")
    assert send_reminders(today=TODAY).digests == 0
