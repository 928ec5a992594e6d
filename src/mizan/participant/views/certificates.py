"""The participant's certificate, downloaded from their phone through their personal link:
a PDF in the page's language, or the one asked for with ``?lang=ar|fr|en``.

Nothing tells a wrong token from a link without a valid certificate: both answer 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES, active_language
from mizan.training.certificate_pdf import render_certificate
from mizan.training.models import Certificate
from mizan.training.services.sessions import open_personal_link


@require_GET
def certificate(request: HttpRequest, token: str) -> HttpResponse:
    """No account: the personal link is the key. 404 for an unknown, expired or revoked
    link, a link without an enrolment, and an enrolment without a valid certificate."""
    link = open_personal_link(token)
    if link is None or link.enrolment_id is None:
        raise Http404
    held = Certificate.objects.filter(
        enrolment_id=link.enrolment_id, revoked_at__isnull=True
    ).first()
    if held is None:
        raise Http404
    language = request.GET.get("lang", "")
    if language not in INTERFACE_LANGUAGES:
        language = active_language()
        if language not in INTERFACE_LANGUAGES:
            language = "en"
    try:
        pdf = render_certificate(held, language)
    except MizanError as error:  # revoked between the two reads
        raise Http404 from error
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{held.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    # The address holds the personal link's token: never send it on.
    response["Referrer-Policy"] = "no-referrer"
    return response
