"""Back-office forms of the committee's decisions on suggestions and of integrating
accepted suggestions into a curriculum version. They collect and clean input; the
services in ``mizan.suggestions.services.decisions`` and ``.integration`` decide.

No label names a suggestion's author: these forms are shown to committee members who may
be reviewing blind."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mizan.partnerships.models import Meeting
from mizan.suggestions.enums import Outcome
from mizan.suggestions.models import Suggestion
from mizan.training.models import Module


def suggestion_label(suggestion: Suggestion) -> str:
    text = " ".join(suggestion.text.split())
    return f"{suggestion.reference} · {text[:80]}{'…' if len(text) > 80 else ''}"


class SuggestionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return suggestion_label(obj)


class SuggestionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return suggestion_label(obj)


class MeetingField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{date_format(timezone.localtime(obj.starts_at), 'DATE_FORMAT')} · {obj.place}"


class DecisionForm(forms.Form):
    """One decision for the ticked suggestions of a round (with the rest of their
    groups)."""

    suggestions = SuggestionsField(
        label=_("Suggestions"),
        queryset=Suggestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one suggestion.")},
    )
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices)
    merged_into = SuggestionField(
        label=_("Merged into"),
        queryset=Suggestion.objects.none(),
        required=False,
        help_text=_("Only for a decision to merge: the suggestion that takes them in."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Authors read it once the decisions are released."),
    )
    meeting = MeetingField(
        label=_("Decided at the meeting"),
        queryset=Meeting.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, suggestions: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].queryset = suggestions  # type: ignore[attr-defined]
        self.fields["merged_into"].queryset = suggestions  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class ModulesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.title


class IntegrateForm(forms.Form):
    """A changelog entry of a version: what changes, in which modules, and the accepted
    suggestions behind it."""

    text = forms.CharField(
        label=_("What changes"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    modules = ModulesField(
        label=_("Modules changed"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    suggestions = SuggestionsField(
        label=_("Accepted suggestions it integrates"),
        queryset=Suggestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, modules: Any, suggestions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = modules  # type: ignore[attr-defined]
        self.fields["suggestions"].queryset = suggestions  # type: ignore[attr-defined]
