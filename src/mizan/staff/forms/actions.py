"""Back-office forms of actions, indicators and progress reports. They collect and clean
input; the services in ``mizan.actions.services`` decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mizan.actions.enums import ActionKind, ActionStatus, ReportingFrequency
from mizan.actions.indicators import figure_choices
from mizan.actions.queries import lead_institution_choices
from mizan.institutions.models import Institution
from mizan.recommendations.models import Recommendation
from mizan.recommendations.queries import recommendations_visible_to

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecommendationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ActionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, widget=forms.TextInput({"dir": "auto"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    lead_institution = forms.ModelChoiceField(
        label=_("Lead institution"), queryset=Institution.objects.none(), empty_label="—"
    )
    partner_institutions = forms.ModelMultipleChoiceField(
        label=_("Partner institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("Start date"), required=False, widget=DATE_INPUT)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT)
    recommendations = RecommendationChoiceField(
        label=_("Recommendations answered"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a recommendation to stop linking it to this action."),
    )
    add_recommendations = forms.CharField(
        label=_("Add recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_(
            "One per line: the document symbol and the paragraph, for example CMW/C/MAR/CO/2 37(b)."
        ),
    )

    def __init__(
        self, *args: Any, user: Any, recommendation_ids: list[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        lead_field = self.fields["lead_institution"]
        assert isinstance(lead_field, forms.ModelChoiceField)
        # A focal point makes lead only their own institution or one of its units.
        lead_field.queryset = lead_institution_choices(user)
        partner_field = self.fields["partner_institutions"]
        assert isinstance(partner_field, forms.ModelMultipleChoiceField)
        partner_field.queryset = Institution.objects.all()
        ids = set(recommendation_ids or [])
        if self.is_bound:
            posted = self.data.getlist("recommendations")  # type: ignore[attr-defined]
            ids |= {int(v) for v in posted if str(v).isdigit()}
        recommendation_field = self.fields["recommendations"]
        assert isinstance(recommendation_field, forms.ModelMultipleChoiceField)
        recommendation_field.queryset = (
            recommendations_visible_to(user).filter(pk__in=ids).select_related("document")
        )

    def clean_add_recommendations(self) -> list[Recommendation]:
        found: list[Recommendation] = []
        errors = []
        visible = recommendations_visible_to(self.user).select_related("document")
        for line in (self.cleaned_data.get("add_recommendations") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            match = re.fullmatch(r"(?P<symbol>\S+)\s*(?:¶|§|para\.?)?\s*(?P<paragraph>\S+)", line)
            matches: QuerySet[Recommendation] | list[Recommendation] = []
            if match:
                matches = visible.filter(
                    document__symbol__iexact=match["symbol"],
                    paragraph__iexact=match["paragraph"],
                )
            matches = list(matches)
            if not matches:
                errors.append(
                    forms.ValidationError(
                        _("No recommendation found for “%(line)s”."), params={"line": line}
                    )
                )
            found += matches
        if errors:
            raise forms.ValidationError(errors)
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, due_on = cleaned.get("starts_on"), cleaned.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", _("The due date cannot be before the start date."))
        return cleaned

    def action_data(self) -> dict[str, Any]:
        """The cleaned data as the services take it."""
        data = dict(self.cleaned_data)
        added = data.pop("add_recommendations", [])
        data["recommendations"] = list(data.get("recommendations") or []) + added
        data["partner_institutions"] = list(data.get("partner_institutions") or [])
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Required when cancelling; kept in the history."),
    )

    def __init__(self, *args: Any, allowed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            status_field = self.fields["status"]
            assert isinstance(status_field, forms.ChoiceField)
            # No move is preselected: the person chooses one.
            status_field.choices = [("", "---------")] + [
                (v, label) for v, label in ActionStatus.choices if v in allowed
            ]


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image, text or office document; checked by its content."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput({"dir": "auto"}))
    computation = forms.ChoiceField(
        label=_("Values"),
        required=False,
        help_text=_("Entered by hand, or computed by Mizan from its records."),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=60,
        required=False,
        help_text=_("For example: officers, %. A computed indicator takes its figure's unit."),
    )
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=14, decimal_places=2, required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2, required=False)
    frequency = forms.ChoiceField(
        label=_("Reporting frequency"), choices=ReportingFrequency.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        computation = self.fields["computation"]
        assert isinstance(computation, forms.ChoiceField)
        computation.choices = [("", _("Entered by hand")), *figure_choices()]


class IndicatorValueForm(forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        widget=forms.TextInput({"dir": "auto"}),
        help_text=_("Where the value comes from: a register, a report, a survey."),
    )


class IndicatorValueCorrectionForm(forms.Form):
    value = forms.DecimalField(label=_("Corrected value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        widget=forms.TextInput({"dir": "auto"}),
        help_text=_("Where the corrected value comes from."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Kept in the history."),
        error_messages={"required": _("Say why the value is corrected.")},
    )


class IndicatorValueRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Kept in the history, with the removed value."),
        error_messages={"required": _("Say why the value is removed.")},
    )


class ComputeForm(forms.Form):
    as_of = forms.DateField(label=_("Compute for"), widget=DATE_INPUT)


class ProgressReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_INPUT)
    summary = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"})
    )
    difficulties = forms.CharField(
        label=_("Difficulties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        error_messages={"required": _("Say what should change in the report.")},
    )
