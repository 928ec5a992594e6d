"""Forms of the intake pages: reading a UN document in, and correcting one row of it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mizan.staff.forms.registry import TEXT_LANGUAGES


class IntakeForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("PDF, Word (DOCX) or plain text; at most 50 MB."),
    )
    text = forms.CharField(
        label=_("Or paste its text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )
    document = forms.CharField(
        label=_("Document symbol"),
        max_length=80,
        help_text=_("For example CMW/C/MAR/CO/2 or A/HRC/40/6."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    mechanism = forms.CharField(
        label=_("Mechanism"),
        max_length=20,
        required=False,
        help_text=_("Its code, such as UPR or CMW; left empty, it is read from the symbol."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=(("", _("Recognise it")), *TEXT_LANGUAGES),
        required=False,
    )
    state_under_review = forms.CharField(
        label=_("State under review"),
        max_length=100,
        required=False,
        help_text=_("Needed only for a UPR report the registry does not hold yet."),
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if bool(data.get("file")) == bool((data.get("text") or "").strip()):
            raise forms.ValidationError(_("Give either a file or the pasted text, not both."))
        return data


class IntakeRowForm(forms.Form):
    paragraph = forms.CharField(
        label=_("Paragraph"), max_length=20, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}))
    recommending_state = forms.CharField(
        label=_("Recommending state"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("For a UPR recommendation; several states are separated by “;”."),
    )
