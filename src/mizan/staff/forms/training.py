"""Back-office forms of curricula, modules, learning objectives and the question bank. They
collect and clean input; the services in ``mizan.training.services`` decide."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from mizan.core.languages import INTERFACE_LANGUAGES, text_direction
from mizan.institutions.models import Institution
from mizan.recommendations.models import Term
from mizan.training.enums import QuestionKind, TeachingMethod
from mizan.training.queries import module_terms

#: Each language named in itself, so a reader finds their own.
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}


class TranslationsWidget(forms.MultiWidget):
    """One input per interface language, each labelled with the language's own name."""

    def __init__(self, *, multiline: bool = False, rows: int = 3) -> None:
        widgets: list[forms.Widget] = []
        for language in INTERFACE_LANGUAGES:
            attrs = {"lang": language, "dir": text_direction(language)}
            if multiline:
                widgets.append(forms.Textarea(attrs={**attrs, "rows": rows}))
            else:
                widgets.append(forms.TextInput(attrs=attrs))
        super().__init__(widgets)

    def decompress(self, value: Any) -> list[str]:
        value = value or {}
        return [value.get(language, "") for language in INTERFACE_LANGUAGES]

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        """Each input after a label naming its language (the multi-widget's own template
        gives the inputs no label)."""
        context = self.get_context(name, value, attrs)
        parts = []
        for language, widget, sub in zip(
            INTERFACE_LANGUAGES, self.widgets, context["widget"]["subwidgets"], strict=True
        ):
            parts.append(
                format_html(
                    '<div class="field"><label for="{}" lang="{}">{}</label>{}</div>',
                    sub["attrs"].get("id", ""),
                    language,
                    LANGUAGE_NAMES.get(language, language),
                    widget.render(sub["name"], sub["value"], sub["attrs"], renderer),
                )
            )
        return format_html_join("", "{}", ((part,) for part in parts))


class TranslationsField(forms.MultiValueField):
    """A text in each interface language, cleaned to ``{language: text}`` without empty
    entries. Required means: in at least one language."""

    def __init__(self, *, multiline: bool = False, rows: int = 3, **kwargs: Any) -> None:
        fields = [forms.CharField(required=False) for _language in INTERFACE_LANGUAGES]
        kwargs.setdefault(
            "help_text", _("In one language at least; the others can be added later.")
        )
        super().__init__(
            fields=fields,
            widget=TranslationsWidget(multiline=multiline, rows=rows),
            require_all_fields=False,
            **kwargs,
        )
        self.error_messages["required"] = _("Write it in at least one language.")
        self.error_messages["incomplete"] = _("Write it in at least one language.")

    def compress(self, data_list: list[str]) -> dict[str, str]:
        return {
            language: value.strip()
            for language, value in zip(INTERFACE_LANGUAGES, data_list or [], strict=False)
            if value and value.strip()
        }


def keep_other_languages(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """The texts as edited, plus those in languages the form does not show."""
    return {
        **{k: v for k, v in (old or {}).items() if k not in INTERFACE_LANGUAGES},
        **new,
    }


class CurriculumForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens; it cannot change later."),
    )
    titles = TranslationsField(label=_("Title"))
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"})
    )
    keeper = forms.ModelChoiceField(
        label=_("Kept by"), queryset=Institution.objects.all(), empty_label="—"
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class NewVersionForm(forms.Form):
    changelog = forms.CharField(
        label=_("What changes, and why"),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_(
            "For example: module 3 gets a role play on interviewing children, after the "
            "joint committee's decision."
        ),
    )


class ChangelogForm(forms.Form):
    changelog = forms.CharField(
        label=_("What changes, and why"),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        changelog = self.fields["changelog"]
        changelog.required = required
        if not required:
            changelog.help_text = _("Optional for a first version.")


class TermChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display


def grouped_module_terms() -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for term in module_terms():
        groups.setdefault(term.vocabulary_id, (term.vocabulary.name, []))[1].append(
            (term.pk, term.display)
        )
    return list(groups.values())


class ModuleForm(forms.Form):
    titles = TranslationsField(label=_("Title"))
    day = forms.IntegerField(
        label=_("Course day"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Empty if the module is not tied to a day, e.g. a follow-up."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=1, max_value=10000
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods"),
        choices=TeachingMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"})
    )
    terms = TermChoiceField(
        label=_("Guidelines, GCM objectives and SDG targets"),
        queryset=Term.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = self.fields["terms"]
        assert isinstance(terms, forms.ModelMultipleChoiceField)
        terms.queryset = module_terms()
        terms.choices = grouped_module_terms()


class ObjectiveForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("For example: 3.2."), widget=forms.TextInput
    )
    texts = TranslationsField(
        label=_("Learning objective"),
        multiline=True,
        rows=2,
        help_text=_("What participants can do after the module, in one sentence."),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    prompts = TranslationsField(label=_("Question"), multiline=True, rows=2)
    model_answers = TranslationsField(
        label=_("Model answer"),
        multiline=True,
        rows=2,
        required=False,
        help_text=_("Only for a short open answer: what a good answer says."),
    )
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        help_text=_("Only questions in use go into test forms."),
    )


class ChoiceForm(forms.Form):
    texts = TranslationsField(label=_("Choice"), required=False, help_text="")
    is_correct = forms.BooleanField(label=_("Correct"), required=False)


def choice_formset(data: Any = None, *, initial: list[dict[str, Any]] | None = None) -> Any:
    """Existing choices, plus empty rows up to four (or two more than there are)."""
    initial = initial or []
    formset_class = forms.formset_factory(
        ChoiceForm, extra=max(4 - len(initial), 2), max_num=10, absolute_max=10
    )
    return formset_class(data, initial=initial, prefix="choices")


def choices_from(formset: Any) -> list[dict[str, Any]]:
    """The filled-in rows of a valid choice formset, in order."""
    return [
        {"texts": form.cleaned_data["texts"], "is_correct": form.cleaned_data["is_correct"]}
        for form in formset.forms
        if form.cleaned_data.get("texts")
    ]


class AssembleForm(forms.Form):
    per_objective = forms.IntegerField(
        label=_("Questions per objective on each form"), min_value=1, max_value=20, initial=2
    )
    seed = forms.IntegerField(
        label=_("Draw number"),
        required=False,
        min_value=0,
        help_text=_("Optional: the same number gives the same draw again."),
    )


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image, text or office document; checked by its content."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
