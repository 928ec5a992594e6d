"""The minutes of a joint committee's meeting as a PDF, drawn by WeasyPrint from
``suggestions/minutes.html``, in Arabic (right to left, Noto Naskh Arabic), French or
English, A4 portrait.

They hold the committee, date, place, who was present, the agenda and the minutes, the
meeting's decisions with their follow-up tasks, and the committee's decisions on
suggestions recorded at the meeting. They never name a suggestion's author: minutes
travel beyond the committee, and its members may be reviewing blind.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES, text_direction, written
from mizan.partnerships.models import FollowUpTask, Meeting

TEMPLATE = "suggestions/minutes.html"
#: How much of a suggestion's text the minutes quote.
SHORT_TEXT = 240


def short_text(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


def _decisions(meeting: Meeting) -> list[dict[str, Any]]:
    decisions = meeting.decisions.order_by("number").prefetch_related(
        Prefetch(
            "tasks",
            queryset=FollowUpTask.objects.select_related("owner", "institution").order_by(
                "due_on", "pk"
            ),
        )
    )
    return [
        {
            "number": decision.number,
            "text": written(decision.text),
            "tasks": [
                {
                    "description": written(task.description),
                    "owner": written(task.owner),
                    "institution": written(task.institution) if task.institution else None,
                    "due_on": task.due_on,
                    "done_on": task.done_on,
                }
                for task in decision.tasks.all()
            ],
        }
        for decision in decisions
    ]


def _suggestion_decisions(meeting: Meeting) -> list[dict[str, Any]]:
    """The released decisions on suggestions taken at the meeting: no author, on purpose.
    Those not yet released are only counted (``unreleased_count``): the minutes are read
    by the agreement's parties, and the committee has not published them yet."""
    decisions = (
        meeting.suggestion_decisions.filter(released_at__isnull=False)
        .select_related("suggestion", "merged_into")
        .order_by("round_id", "suggestion_id")
    )
    return [
        {
            "reference": decision.suggestion.reference,
            "text": written(short_text(decision.suggestion.text)),
            "outcome": decision.get_outcome_display(),
            "merged_into": decision.merged_into.reference if decision.merged_into else "",
            "is_released": decision.is_released,
            "rationale": written(decision.rationale),
        }
        for decision in decisions
    ]


def minutes_context(meeting: Meeting, language: str) -> dict[str, Any]:
    """What the template shows; call it with ``language`` active, for the labels."""
    committee = meeting.committee
    attendees = meeting.attendees.select_related("user", "institution").order_by("role", "pk")
    return {
        "language": language,
        "direction": text_direction(language),
        "meeting": meeting,
        "agreement_title": written(committee.agreement.title),
        "committee_name": written(committee.name),
        "place": written(meeting.place),
        "agenda": written(meeting.agenda),
        "minutes": written(meeting.minutes),
        "other_attendees": written(meeting.other_attendees),
        "attendees": [
            {
                "name": written(member.user),
                "institution": written(member.institution),
                "role": member.get_role_display(),
            }
            for member in attendees
        ],
        "decisions": _decisions(meeting),
        "suggestion_decisions": _suggestion_decisions(meeting),
        "unreleased_count": meeting.suggestion_decisions.filter(released_at__isnull=True).count(),
    }


def minutes_pdf(meeting: Meeting, language: str) -> bytes:
    """The minutes of ``meeting`` as a PDF in ``language`` (an interface language)."""
    from weasyprint import HTML  # imported here: it loads fonts and Pango, which is slow

    if language not in INTERFACE_LANGUAGES:
        raise MizanError(
            _("Choose one of these languages: %(languages)s.")
            % {"languages": ", ".join(INTERFACE_LANGUAGES)},
            field="language",
        )
    meeting = Meeting.objects.select_related("committee__agreement").get(pk=meeting.pk)
    with translation.override(language):
        html = render_to_string(TEMPLATE, minutes_context(meeting, language))
    # No base address: the page loads nothing from anywhere (fonts come from the system).
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)
