"""Back-office forms of review rounds: the round's settings and rubric, choosing the
suggestions under review, a review's scores, and groups. They collect and clean input;
the services in ``mizan.suggestions.services.rounds`` decide."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mizan.partnerships.models import JointCommittee
from mizan.staff.forms.training import TranslationsField
from mizan.suggestions.enums import SuggestionStatus
from mizan.suggestions.grouping import DEFAULT_THRESHOLD
from mizan.suggestions.models import SCORE_MAX, Criterion, Suggestion
from mizan.training.models import Curriculum, TrainingSession


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    """A round's settings; the committee only when creating it."""

    committee = forms.ModelChoiceField(
        label=_("Joint committee"),
        queryset=JointCommittee.objects.none(),
        help_text=_("Its members review the suggestions."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    curriculum = forms.ModelChoiceField(
        label=_("Curriculum"),
        queryset=Curriculum.objects.all(),
        required=False,
        help_text=_("Leave empty for suggestions about any curriculum."),
    )
    blind = forms.BooleanField(
        label=_("Blind review"),
        required=False,
        initial=True,
        help_text=_(
            "Reviewers do not see who wrote a suggestion. It cannot be changed once the "
            "round is open."
        ),
    )
    reviewers_per_suggestion = forms.IntegerField(
        label=_("Reviewers per suggestion"), min_value=1, max_value=20, initial=2
    )
    review_until = forms.DateField(label=_("Reviews due by"), required=False, widget=_date_input())

    def __init__(
        self,
        *args: Any,
        committees: Sequence[JointCommittee] | None = None,
        blind_editable: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if committees is None:
            del self.fields["committee"]
        else:
            self.fields["committee"].queryset = JointCommittee.objects.filter(  # type: ignore[attr-defined]
                pk__in=[c.pk for c in committees]
            )
        if not blind_editable:
            self.fields["blind"].disabled = True


class CriterionForm(forms.Form):
    names = TranslationsField(label=_("Criterion"), required=False, help_text="")
    weight = forms.IntegerField(
        label=_("Weight"), min_value=1, max_value=10, required=False, initial=1
    )
    remove = forms.BooleanField(label=_("Remove this criterion"), required=False)


def criteria_formset(
    data: Any = None, *, criteria: Iterable[Criterion] = (), extra: int = 2
) -> Any:
    """The rubric's lines, plus ``extra`` empty ones to add criteria."""
    formset_class = forms.formset_factory(CriterionForm, extra=extra, max_num=20, absolute_max=20)
    initial = [{"names": c.names, "weight": c.weight} for c in criteria]
    return formset_class(data, initial=initial, prefix="criteria")


def criteria_from(formset: Any) -> list[tuple[Mapping[str, str], int | None]]:
    """The filled-in, kept lines of a valid rubric formset, in order: (names, weight)."""
    return [
        (form.cleaned_data["names"], form.cleaned_data.get("weight"))
        for form in formset.forms
        if form.cleaned_data.get("names") and not form.cleaned_data.get("remove")
    ]


class CandidateFilterForm(forms.Form):
    """Narrowing the suggestions that may be added to a round."""

    session = forms.ModelChoiceField(
        label=_("From the session"), queryset=TrainingSession.objects.none(), required=False
    )
    curriculum = forms.ModelChoiceField(
        label=_("Curriculum"), queryset=Curriculum.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any")),
            (SuggestionStatus.RECEIVED, SuggestionStatus.RECEIVED.label),
            # Those under review elsewhere are not offered; decided ones only if deferred.
            (SuggestionStatus.DECIDED, _("Deferred")),
        ],
    )

    def __init__(self, *args: Any, sessions: Any, curricula: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["curriculum"].queryset = curricula  # type: ignore[attr-defined]
        self.fields["session"].empty_label = _("Any")  # type: ignore[attr-defined]
        self.fields["curriculum"].empty_label = _("Any")  # type: ignore[attr-defined]


class SuggestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} · {obj.text[:80]}"


class ChooseSuggestionsForm(forms.Form):
    """Ticked suggestions, among those offered."""

    suggestions = SuggestionChoiceField(
        label=_("Suggestions"),
        queryset=Suggestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one suggestion.")},
    )

    def __init__(self, *args: Any, offered: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].queryset = offered  # type: ignore[attr-defined]


class GroupForm(ChooseSuggestionsForm):
    title = forms.CharField(
        label=_("Title of the group"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the beginning of the first suggestion."),
    )


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        label=_("Similarity (out of 100)"),
        min_value=50,
        max_value=100,
        initial=DEFAULT_THRESHOLD,
        help_text=_("Lower finds more, and less similar, suggestions."),
    )


def _score_choices() -> list[tuple[int, str]]:
    return [(value, str(value)) for value in range(1, SCORE_MAX + 1)]


class ReviewForm(forms.Form):
    """A score from 1 to 5 for each criterion of the round's rubric, and a comment. The
    fields are named ``criterion_<id>``, as the service names them in its errors."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("What the committee should know: why, and what to change."),
    )

    def __init__(self, *args: Any, criteria: Sequence[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scored = {}
        for criterion in self.criteria:
            scored[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=_score_choices(),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Give a score from 1 to %(max)s.") % {"max": SCORE_MAX}
                },
            )
        # The criteria first, then the comment.
        self.fields = {**scored, "comment": self.fields["comment"]}

    def criterion_fields(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(c, self[f"criterion_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}
