"""Back-office forms of the institution directory. They collect input; the services
decide (unique code, no cycle in the hierarchy, no duplicate role)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mizan.accounts.enums import Role
from mizan.accounts.models import User
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.institutions.enums import InstitutionKind
from mizan.institutions.models import Institution

LANGUAGE_NAMES = {"ar": _("Arabic"), "fr": _("French"), "en": _("English")}


class InstitutionForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short and stable, used in imports and the API, e.g. police-border."),
    )
    acronym = forms.CharField(label=_("Acronym"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=InstitutionKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Institution.objects.all(),
        required=False,
        empty_label="—",
        help_text=_("The directorate or department this is a unit of, if any."),
    )

    def __init__(self, *args: Any, institution: Institution | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in INTERFACE_LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": LANGUAGE_NAMES[code]},
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"dir": "auto", "lang": code}),
            )
        if institution is not None:
            # Offering its own units as a parent would only lead to the service's refusal.
            self.fields["parent"].queryset = Institution.objects.exclude(pk=institution.pk)  # type: ignore[attr-defined]

    def names(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code in INTERFACE_LANGUAGES}


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        empty_label="—",
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.FOCAL_POINT)
