"""Into the curriculum: an accepted suggestion is linked to the changelog entry of the
curriculum version that integrates it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError
from mizan.suggestions.enums import Outcome, SuggestionStatus
from mizan.suggestions.models import Suggestion
from mizan.training.models import ChangelogEntry, CurriculumVersion, Module
from mizan.training.services.curricula import refuse_frozen


def _check_accepted(suggestion: Suggestion, version: CurriculumVersion) -> None:
    accepted = suggestion.decisions.filter(outcome=Outcome.ACCEPTED)
    if not accepted.exists():
        raise MizanError(
            _("%(reference)s has not been accepted by the committee.")
            % {"reference": suggestion.reference},
            field="suggestions",
            code="not_accepted",
        )
    # Integrating it would show the outcome to every reader before the committee does.
    if not accepted.filter(released_at__isnull=False).exists():
        raise MizanError(
            _("The committee has not released its decision on %(reference)s yet.")
            % {"reference": suggestion.reference},
            field="suggestions",
            code="not_released",
        )
    if suggestion.curriculum_id is not None and suggestion.curriculum_id != version.curriculum_id:
        raise MizanError(
            _("%(reference)s is about another curriculum.") % {"reference": suggestion.reference},
            field="suggestions",
        )


@transaction.atomic
def integrate_suggestions(
    *,
    version: CurriculumVersion,
    text: str,
    by: Any,
    suggestions: Sequence[Suggestion] = (),
    modules: Sequence[Module] = (),
) -> ChangelogEntry:
    """Write a changelog entry of a version not yet used by sessions (what changes, in
    which modules) and link the accepted suggestions it integrates."""
    refuse_frozen(version)
    text = (text or "").strip()
    if not text:
        raise MizanError(_("Say what changes."), field="text", code="required")
    for module in modules:
        if module.version_id != version.pk:
            raise MizanError(
                _("“%(module)s” is not a module of this version.") % {"module": module.title},
                field="modules",
            )
    for suggestion in suggestions:
        _check_accepted(suggestion, version)
    order = (version.changelog_entries.aggregate(Max("order"))["order__max"] or 0) + 1
    entry = ChangelogEntry(version=version, order=order, text=text, created_by=acting_user(by))
    attribute_change(entry, user=by)
    entry.save()
    if modules:
        entry.modules.add(*modules)
    for suggestion in suggestions:
        link_suggestion(entry=entry, suggestion=suggestion, by=by)
    return entry


@transaction.atomic
def link_suggestion(*, entry: ChangelogEntry, suggestion: Suggestion, by: Any) -> None:
    refuse_frozen(entry.version)
    _check_accepted(suggestion, entry.version)
    attribute_change(suggestion, user=by)
    suggestion.changelog_entries.add(entry)
    if suggestion.status != SuggestionStatus.INTEGRATED:
        suggestion.status = SuggestionStatus.INTEGRATED
        attribute_change(suggestion, user=by)
        suggestion.save(update_fields=["status"])


@transaction.atomic
def unlink_suggestion(*, entry: ChangelogEntry, suggestion: Suggestion, by: Any) -> None:
    refuse_frozen(entry.version)
    attribute_change(suggestion, user=by)
    suggestion.changelog_entries.remove(entry)
    if (
        suggestion.status == SuggestionStatus.INTEGRATED
        and not suggestion.changelog_entries.exists()
    ):
        suggestion.status = SuggestionStatus.DECIDED
        attribute_change(suggestion, user=by)
        suggestion.save(update_fields=["status"])
