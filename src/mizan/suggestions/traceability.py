"""Traceability: where suggestions came from and where they ended up.

- for a suggestion: the committee's decisions, the changelog entries that integrated it,
  the versions they belong to and the sessions that used those versions;
- for a session: the suggestions it produced, and the later sessions that used a version
  integrating any of them;
- for a module of a version: the changelog entries that changed it, with the
  suggestions and decisions behind them.

Decisions not yet released are left out unless ``include_unreleased`` (the caller checks
that the reader may see them: ``suggestions.view_reviewround`` on the round).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from mizan.suggestions.models import Suggestion, SuggestionDecision
from mizan.training.models import ChangelogEntry, CurriculumVersion, Module, TrainingSession


@dataclass
class Integration:
    entry: ChangelogEntry
    version: CurriculumVersion
    modules: list[Module]
    #: sessions that use the version, first one first
    sessions: list[TrainingSession]


@dataclass
class SuggestionTrail:
    suggestion: Suggestion
    decisions: list[SuggestionDecision]
    integrations: list[Integration]


@dataclass
class SessionTrail:
    session: TrainingSession
    suggestions: list[Suggestion]
    #: versions integrating suggestions of this session → later sessions using them
    versions: dict[CurriculumVersion, list[TrainingSession]] = field(default_factory=dict)


@dataclass
class EntryTrail:
    entry: ChangelogEntry
    suggestions: list[Suggestion]
    decisions: list[SuggestionDecision]


def _decisions(
    suggestions: QuerySet[Suggestion] | list[Suggestion], include_unreleased: bool
) -> QuerySet[SuggestionDecision]:
    decisions = SuggestionDecision.objects.filter(suggestion__in=suggestions).select_related(
        "round", "meeting", "merged_into"
    )
    if not include_unreleased:
        decisions = decisions.filter(released_at__isnull=False)
    return decisions.order_by("decided_at", "pk")


def for_suggestion(suggestion: Suggestion, *, include_unreleased: bool = False) -> SuggestionTrail:
    entries = (
        suggestion.changelog_entries.select_related("version__curriculum")
        .prefetch_related(
            "modules",
            Prefetch(
                "version__sessions",
                queryset=TrainingSession.objects.order_by("starts_on", "pk"),
            ),
        )
        .order_by("version__number", "order")
    )
    return SuggestionTrail(
        suggestion=suggestion,
        decisions=list(_decisions([suggestion], include_unreleased)),
        integrations=[
            Integration(
                entry=entry,
                version=entry.version,
                modules=list(entry.modules.all()),
                sessions=list(entry.version.sessions.all()),
            )
            for entry in entries
        ],
    )


def for_session(session: TrainingSession) -> SessionTrail:
    suggestions = list(
        session.suggestions.prefetch_related("changelog_entries__version").order_by("pk")
    )
    trail = SessionTrail(session=session, suggestions=suggestions)
    versions = {
        entry.version for suggestion in suggestions for entry in suggestion.changelog_entries.all()
    }
    for version in sorted(versions, key=lambda v: (v.curriculum_id, v.number)):
        trail.versions[version] = list(
            version.sessions.filter(starts_on__gt=session.ends_on).order_by("starts_on", "pk")
        )
    return trail


def _entry_trails(entries: QuerySet[ChangelogEntry], include_unreleased: bool) -> list[EntryTrail]:
    """Each entry with its suggestions and their decisions, in three queries whatever the
    number of entries."""
    entries = entries.prefetch_related(
        Prefetch("suggestions", queryset=Suggestion.objects.order_by("pk"))
    )
    by_entry = {entry.pk: list(entry.suggestions.all()) for entry in entries}
    decisions_of: dict[int, list[SuggestionDecision]] = {}
    every = [s for suggestions in by_entry.values() for s in suggestions]
    for decision in _decisions(every, include_unreleased):
        decisions_of.setdefault(decision.suggestion_id, []).append(decision)
    return [
        EntryTrail(
            entry=entry,
            suggestions=by_entry[entry.pk],
            decisions=[d for s in by_entry[entry.pk] for d in decisions_of.get(s.pk, [])],
        )
        for entry in entries
    ]


def for_module(module: Module, *, include_unreleased: bool = False) -> list[EntryTrail]:
    return _entry_trails(module.changelog_entries.order_by("order", "pk"), include_unreleased)


def for_version(
    version: CurriculumVersion, *, include_unreleased: bool = False
) -> list[EntryTrail]:
    """Every changelog entry of a version, with its suggestions and their decisions."""
    return _entry_trails(
        version.changelog_entries.prefetch_related("modules").order_by("order", "pk"),
        include_unreleased,
    )
