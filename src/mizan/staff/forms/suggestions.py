"""Back-office form of a suggestion made signed in (staff, trainers, committee members).
It collects and cleans input; ``suggestions.services.intake.make_suggestion`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mizan.accounts.enums import Role
from mizan.core.languages import active_language
from mizan.staff.forms.registry import MultipleFileField
from mizan.suggestions.enums import AuthorKind, Category, Subject
from mizan.suggestions.services.intake import MAX_ATTACHMENTS, MAX_TEXT
from mizan.training.enums import VersionStatus
from mizan.training.models import Curriculum, LearningObjective, Module, TrainingSession
from mizan.training.queries import (
    curricula_visible_to,
    modules_visible_to,
    objectives_visible_to,
    sessions_visible_to,
)

#: Who a signed-in person writes as; participants write through their personal link.
SIGNED_IN_KINDS = [
    (value, label) for value, label in AuthorKind.choices if value != AuthorKind.PARTICIPANT
]


def default_author_kind(user: Any) -> str:
    """A trainer writes as a trainer, a committee member as such, anyone else as staff."""
    roles = user.roles() if hasattr(user, "roles") else set()
    if Role.TRAINER in roles:
        return AuthorKind.TRAINER
    if Role.COMMITTEE_MEMBER in roles:
        return AuthorKind.COMMITTEE_MEMBER
    return AuthorKind.STAFF


def default_language() -> str:
    language = active_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class SuggestionForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("What is it about?"), choices=Subject.choices, widget=forms.RadioSelect
    )
    curriculum = forms.ModelChoiceField(
        label=_("Curriculum"),
        queryset=Curriculum.objects.none(),
        required=False,
        help_text=_("For a suggestion about the curriculum as a whole."),
    )
    module = forms.TypedChoiceField(
        label=_("Module"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a suggestion about a module."),
    )
    objective = forms.TypedChoiceField(
        label=_("Learning objective"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a suggestion about a learning objective."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    text = forms.CharField(
        label=_("Your suggestion"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("In Arabic, French or English."),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    session = forms.ModelChoiceField(
        label=_("From the session"),
        queryset=TrainingSession.objects.none(),
        required=False,
        help_text=_("If the suggestion comes from a session."),
    )
    author_kind = forms.ChoiceField(
        label=_("I am writing as"), choices=SIGNED_IN_KINDS, widget=forms.RadioSelect
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        published = {"version__status": VersionStatus.PUBLISHED}
        self.modules = modules_visible_to(user).filter(**published)
        self.objectives = objectives_visible_to(user).filter(
            module__version__status=VersionStatus.PUBLISHED
        )
        self.fields["curriculum"].queryset = curricula_visible_to(user)  # type: ignore[attr-defined]
        sessions = sessions_visible_to(user).order_by("-starts_on", "-id")
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["session"].label_from_instance = (  # type: ignore[attr-defined]
            lambda session: f"{session.title} ({session.starts_on:%Y-%m-%d})"
        )
        empty = ("", self.fields["curriculum"].empty_label)  # type: ignore[attr-defined]
        self.fields["module"].choices = [empty, *module_choices(self.modules)]  # type: ignore[attr-defined]
        self.fields["objective"].choices = [empty, *objective_choices(self.objectives)]  # type: ignore[attr-defined]
        self.fields["attachments"].help_text = gettext(
            "PDF, images, office documents or text; at most %(count)s files."
        ) % {"count": MAX_ATTACHMENTS}
        self.initial.setdefault("language", default_language())
        self.initial.setdefault("author_kind", default_author_kind(user))

    def clean_module(self) -> Module | None:
        pk = self.cleaned_data.get("module")
        if pk is None:
            return None
        module = self.modules.select_related("version__curriculum").filter(pk=pk).first()
        if module is None:
            raise forms.ValidationError(_("Choose one of the modules listed."))
        return module

    def clean_objective(self) -> LearningObjective | None:
        pk = self.cleaned_data.get("objective")
        if pk is None:
            return None
        objective = (
            self.objectives.select_related("module__version__curriculum").filter(pk=pk).first()
        )
        if objective is None:
            raise forms.ValidationError(_("Choose one of the learning objectives listed."))
        return objective

    def suggestion_data(self) -> dict[str, Any]:
        """The keyword arguments of ``make_suggestion``."""
        data = self.cleaned_data
        return {
            "subject": data["subject"],
            "curriculum": data.get("curriculum"),
            "module": data.get("module"),
            "objective": data.get("objective"),
            "category": data["category"],
            "text": data["text"],
            "language": data["language"],
            "session": data.get("session"),
            "author_kind": data["author_kind"],
            "uploads": data.get("attachments") or [],
        }


def module_choices(modules: Any) -> list[Any]:
    """Modules grouped by curriculum version ("Curriculum, version 2")."""
    groups: dict[Any, list[tuple[int, str]]] = {}
    rows = modules.select_related("version__curriculum").order_by(
        "version__curriculum__code", "-version__number", "order", "id"
    )
    for module in rows:
        groups.setdefault(module.version, []).append((module.pk, module.title))
    return [(str(version), items) for version, items in groups.items()]


def objective_choices(objectives: Any) -> list[Any]:
    """Learning objectives grouped by module, each group named with its version."""
    groups: dict[Any, list[tuple[int, str]]] = {}
    rows = objectives.select_related("module__version__curriculum").order_by(
        "module__version__curriculum__code",
        "-module__version__number",
        "module__order",
        "module__id",
        "order",
        "id",
    )
    for objective in rows:
        groups.setdefault(objective.module, []).append((objective.pk, str(objective)))
    return [
        (
            gettext("%(version)s · %(module)s")
            % {"version": module.version, "module": module.title},
            items,
        )
        for module, items in groups.items()
    ]
