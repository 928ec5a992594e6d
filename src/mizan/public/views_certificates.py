"""The public check of a certificate: anyone types the code printed on it (or scans its
QR code) and learns whether it is valid, and for whom, with no account.

Only what the certificate itself shows is told: the holder's names, the course, the
session's dates and city and the issuing institutions; never a service number, an
e-mail address or a score. A revoked certificate is said to be revoked, with the date,
not the reason. An unknown code answers 404 after the same work as a known one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from mizan.training.codes import normalise_certificate_code
from mizan.training.services.certificates import UNKNOWN, verify_certificate

#: Longer input is no code; it is cut before it reaches the database.
MAX_CODE_LENGTH = 40


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=MAX_CODE_LENGTH,
        help_text=_("As printed on the certificate, for example K7QM-R2XD-9HNP."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


def _private(response: HttpResponse) -> HttpResponse:
    # A revocation must show at once, and the answers are not for search engines.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


class VerifyFormView(View):
    """Open to everyone: a form to type a code; a valid code goes to its page."""

    template_name = "public/verify.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if "code" in request.GET:
            form = VerifyForm(request.GET)
            if form.is_valid():
                code = normalise_certificate_code(form.cleaned_data["code"])
                if code:
                    return redirect("public:verify_code", code=code)
                form.add_error("code", _("Type the code printed on the certificate."))
        else:
            form = VerifyForm()
        return render(request, self.template_name, {"form": form})


class VerifyCodeView(View):
    """Open to everyone: what the code says (valid, revoked or unknown)."""

    template_name = "public/verify_result.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        verification = verify_certificate(code[:MAX_CODE_LENGTH])
        context: dict[str, Any] = {
            "verification": verification,
            "form": VerifyForm(initial={"code": verification.code}),
        }
        status = 404 if verification.status == UNKNOWN else 200
        return _private(render(request, self.template_name, context, status=status))
