"""Back-office forms. They collect and clean input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mizan.institutions.models import Institution
from mizan.recommendations.enums import AssignmentRole, ImplementationStatus, Position
from mizan.recommendations.models import Mechanism, SourceDocument, Term, Vocabulary

TEXT_LANGUAGES = (
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("es", _("Spanish")),
)


class RecommendationForm(forms.Form):
    document = forms.ModelChoiceField(
        label=_("Document"),
        queryset=SourceDocument.objects.select_related("mechanism"),
        empty_label="—",
    )
    paragraph = forms.CharField(
        label=_("Paragraph"), max_length=30, help_text=_("For example 37(b).")
    )
    recommending_state = forms.CharField(
        label=_("Recommending state"),
        max_length=200,
        required=False,
        help_text=_("For UPR recommendations: the state that made it."),
    )
    position = forms.ChoiceField(
        label=_("Position of the state"),
        required=False,
        choices=[("", "—"), *Position.choices],
    )
    status = forms.ChoiceField(
        label=_("State's assessment"),
        choices=ImplementationStatus.choices,
        help_text=_(
            "Sets the status without a dated assessment; record one on the "
            "recommendation's page to keep its rationale and evidence."
        ),
    )
    original_language = forms.ChoiceField(
        label=_("Language of the original text"), choices=TEXT_LANGUAGES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in TEXT_LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Text in %(language)s") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "lang": code}),
            )

    def text_fields(self) -> list[forms.BoundField]:
        return [self[f"text_{code}"] for code, _name in TEXT_LANGUAGES]

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code, _n in TEXT_LANGUAGES}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        language = cleaned.get("original_language")
        if language and not (cleaned.get(f"text_{language}") or "").strip():
            self.add_error(
                f"text_{language}", _("Write the original text in the language you chose.")
            )
        return cleaned


class DocumentForm(forms.Form):
    symbol = forms.CharField(
        label=_("Symbol"), max_length=80, help_text=_("For example CMW/C/MAR/CO/2.")
    )
    mechanism = forms.ModelChoiceField(
        label=_("Mechanism"), queryset=Mechanism.objects.all(), empty_label="—"
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cycle = forms.CharField(label=_("Cycle or session"), max_length=60, required=False)
    state_under_review = forms.CharField(label=_("State under review"), max_length=100)


class TermChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.vocabulary.name} · {obj.code} {obj.label}"


def grouped_term_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for vocabulary in Vocabulary.objects.all():
        groups[vocabulary.pk] = (vocabulary.name, [])
    for term in Term.objects.select_related("vocabulary").order_by(
        "vocabulary__position", "vocabulary__code", "position", "code"
    ):
        groups[term.vocabulary_id][1].append((term.pk, term.display))
    return [group for group in groups.values() if group[1]]


class TagForm(forms.Form):
    terms = forms.ModelMultipleChoiceField(label=_("Terms"), queryset=Term.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["terms"].choices = grouped_term_choices()  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.all(), empty_label="—"
    )
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class BulkForm(forms.Form):
    """Bulk tagging or assignment of the recommendations ticked on the list page."""

    ACTIONS = (("tag", _("Tag with")), ("assign", _("Assign to")))
    selected = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    terms = forms.ModelMultipleChoiceField(
        label=_("Terms"), queryset=Term.objects.all(), required=False
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.all(), required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices, required=False)

    def __init__(self, *args: Any, visible_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(i, i) for i in visible_ids]  # type: ignore[attr-defined]
        self.fields["terms"].choices = grouped_term_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == "tag" and not cleaned.get("terms"):
            self.add_error("terms", _("Choose at least one term."))
        if cleaned.get("action") == "assign" and not cleaned.get("institution"):
            self.add_error("institution", _("Choose an institution."))
        return cleaned


class ImportForm(forms.Form):
    FORMATS = (
        ("", _("Guess from the file name")),
        ("csv", "CSV"),
        ("xlsx", "XLSX"),
        ("json", "JSON"),
    )
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (UTF-8), XLSX or JSON; at most 50 MB.")
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)
    create_terms = forms.BooleanField(
        label=_("Create unknown terms"),
        required=False,
        help_text=_("Otherwise a tag that is not in its vocabulary is reported as an error."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class AssessmentForm(forms.Form):
    """One voice's assessment of a recommendation. ``prefix`` is the voice, so the two
    forms of the detail page never mix their fields."""

    status = forms.ChoiceField(
        label=_("Implementation status"), choices=ImplementationStatus.choices
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("What the assessment rests on: facts, figures, sources."),
    )
    institution = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Institution.objects.none(), required=False
    )
    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, images, office documents or text; several files at once."),
    )

    def __init__(
        self, *args: Any, voice: str, institutions: QuerySet[Institution], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", voice)
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.voice = voice
        field = self.fields["institution"]
        field.queryset = institutions  # type: ignore[attr-defined]
        if len(institutions) == 1:
            self.initial.setdefault("institution", institutions[0])
