"""A certificate as a PDF, drawn by WeasyPrint from ``training/certificate.html``, in
Arabic (right to left, Noto Naskh Arabic), French or English.

All text is HTML: WeasyPrint shapes Arabic and lays it out right to left in HTML, not in
SVG ``<text>``. The QR code (an SVG of squares only) opens the public verification page,
by its absolute address, so that a printed certificate can be checked with a phone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES, pick_translation, text_direction
from mizan.core.qr import qr_svg
from mizan.training.completion import completion_of
from mizan.training.models import Certificate

TEMPLATE = "training/certificate.html"


def verification_url(code: str) -> str:
    """The public page that checks ``code``, as an absolute address."""
    return settings.MIZAN_SITE_URL + reverse("public:verify_code", args=[code])


def certificate_context(certificate: Certificate, language: str) -> dict[str, Any]:
    """What the template shows, with labels picked in ``language``."""
    enrolment = certificate.enrolment
    session = enrolment.session
    organisers = sorted(session.organisers.all(), key=lambda i: i.code)
    url = verification_url(certificate.code)
    return {
        "language": language,
        "direction": text_direction(language),
        "certificate": certificate,
        "holder_name_latin": certificate.holder_name_latin,
        "holder_name_arabic": certificate.holder_name_arabic,
        "course_title": pick_translation(session.version.curriculum.titles, language),
        "session": session,
        "organisers": [pick_translation(i.names, language) or i.code for i in organisers],
        "hours_attended": completion_of(enrolment).hours_attended,
        "verification_url": url,
        "qr_code": qr_svg(
            url, label=_("QR code of the page that checks this certificate"), scale=3
        ),
    }


def render_certificate(certificate: Certificate, language: str) -> bytes:
    """The certificate as a PDF in ``language`` (one of the interface languages). A
    revoked certificate is not drawn."""
    from weasyprint import HTML  # imported here: it loads fonts and Pango, which is slow

    if language not in INTERFACE_LANGUAGES:
        raise MizanError(
            _("Choose one of these languages: %(languages)s.")
            % {"languages": ", ".join(INTERFACE_LANGUAGES)},
            field="language",
        )
    certificate = Certificate.objects.select_related(
        "enrolment__session__version__curriculum", "enrolment__participant"
    ).get(pk=certificate.pk)
    if certificate.is_revoked:
        raise MizanError(_("A revoked certificate cannot be printed."), code="revoked")
    with translation.override(language):
        html = render_to_string(TEMPLATE, certificate_context(certificate, language))
    # No base address: the page loads nothing from anywhere (fonts come from the system).
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)
