"""The notice staff get when a committee releases a round's decisions: the committee's
members, the managers of the institutions that organised the source sessions, and the
staff who wrote suggestions of the round. Written in each person's language."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mizan.accounts.models import User
from mizan.core.languages import text_direction
from mizan.reminders.digests import absolute, language_of
from mizan.suggestions.enums import Outcome
from mizan.suggestions.models import ReviewRound
from mizan.suggestions.services.rounds import one_line
from mizan.training.models import TrainingSession
from mizan.training.rules import MANAGING_ROLES

logger = logging.getLogger(__name__)


def release_recipients(review_round: ReviewRound) -> list[User]:
    ids = set(review_round.committee.members.values_list("user_id", flat=True))
    sessions = TrainingSession.objects.filter(suggestions__review_rounds=review_round)
    organisers = TrainingSession.organisers.through.objects.filter(
        trainingsession_id__in=sessions.values("pk")
    ).values("institution_id")
    ids |= set(
        User.objects.filter(
            memberships__institution_id__in=organisers, memberships__role__in=MANAGING_ROLES
        ).values_list("pk", flat=True)
    )
    ids |= set(
        review_round.suggestions.filter(author_user__isnull=False).values_list(
            "author_user_id", flat=True
        )
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk"))


def release_message(review_round: ReviewRound, person: User) -> EmailMultiAlternatives:
    language = language_of(person)
    with translation.override(language):
        counts = Counter(review_round.decisions.values_list("outcome", flat=True))
        context = {
            "language": language,
            "text_dir": text_direction(language),
            "person": person,
            "round": review_round,
            "committee": review_round.committee,
            "outcomes": [(label, counts.get(value, 0)) for value, label in Outcome.choices],
            "total": sum(counts.values()),
            "url": absolute(reverse("staff:review_round", args=[review_round.pk])),
        }
        message = EmailMultiAlternatives(
            subject=_("Decisions released: %(round)s") % {"round": one_line(review_round.title)},
            body=render_to_string("suggestions/email/released.txt", context),
            to=[person.email],
            headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
        )
        message.attach_alternative(
            render_to_string("suggestions/email/released.html", context), "text/html"
        )
    return message


def notify_release(round_id: int) -> dict[str, Any]:
    review_round = ReviewRound.objects.select_related("committee").get(pk=round_id)
    sent = failed = 0
    for person in release_recipients(review_round):
        try:
            release_message(review_round, person).send()
            sent += 1
        except (OSError, ValueError):  # smtplib's errors are OSErrors; bad headers ValueErrors
            logger.exception("Could not send the release notice to user %s", person.pk)
            failed += 1
    return {"sent": sent, "failed": failed}
