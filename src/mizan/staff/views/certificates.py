"""A session's certificates: each approved participant's attendance share, post-test score
and whether they completed the course (or why not), with their certificate's code and
state; issuing to all who completed, a PDF per certificate in Arabic, French or English,
revoking with a reason and reissuing under a new code.

Who sees the page: the session's roster readers (``training.view_roster``: staff of its
organising institutions, and its trainers). Who acts: its managers
(``training.issue_certificate``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.training.certificate_pdf import render_certificate
from mizan.training.completion import certificate_of, completions_for
from mizan.training.enums import SessionStatus
from mizan.training.models import Certificate, TrainingSession
from mizan.training.queries import sessions_visible_to, sessions_with_roster_for
from mizan.training.services import certificates as services

NAV = "sessions"


class SessionMixin(ReadFirstMixin):
    """Members only, before any lookup; then the permission on the session."""

    read_permission = "training.view_session"
    kwargs: dict[str, Any]

    @cached_property
    def session(self) -> TrainingSession:
        return get_object_or_404(
            sessions_visible_to(self.request.user).select_related("version__curriculum"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> TrainingSession:
        return self.session


class CertificateMixin(ReadFirstMixin):
    """A certificate of a session whose roster the user reads (404 otherwise); the
    permission is then checked on its session."""

    read_permission = "training.view_session"
    kwargs: dict[str, Any]

    @cached_property
    def certificate(self) -> Certificate:
        return get_object_or_404(
            Certificate.objects.select_related(
                "enrolment__session", "enrolment__participant"
            ).filter(enrolment__session__in=sessions_with_roster_for(self.request.user)),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> TrainingSession:
        return self.certificate.enrolment.session

    def back(self) -> HttpResponseRedirect:
        return redirect("staff:session_certificates", pk=self.certificate.enrolment.session_id)


class SessionCertificatesView(SessionMixin, TemplateView):
    """Rule: roster readers (``training.view_roster``) see the page; managers
    (``training.issue_certificate``) get the buttons."""

    permission_required = "training.view_roster"
    template_name = "staff/certificates/session_certificates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        session = self.session
        completions = completions_for(session)
        rows = [(completion, certificate_of(completion.enrolment)) for completion in completions]
        may_issue = self.request.user.has_perm("training.issue_certificate", session)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "session": session,
            "rows": rows,
            "pdf_language_codes": INTERFACE_LANGUAGES,
            "may_issue": may_issue,
            "is_completed": session.status == SessionStatus.COMPLETED,
            "complete_count": sum(1 for completion in completions if completion.is_complete),
            "certified_count": sum(
                1 for _c, certificate in rows if certificate and not certificate.is_revoked
            ),
        }


class PostStep(View):
    """A POST-only step whose refusal shows as a message on the page it returns to."""

    http_method_names = ["post"]
    request: HttpRequest

    def step(self, request: HttpRequest) -> None:
        raise NotImplementedError

    def back(self) -> HttpResponseRedirect:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.step(request)
        except MizanError as error:
            messages.error(request, str(error.message))
        return self.back()


class IssueCertificatesView(SessionMixin, PostStep):
    """Rule: the session's managers (``training.issue_certificate``)."""

    permission_required = "training.issue_certificate"

    def step(self, request: HttpRequest) -> None:
        result = services.issue_certificates(session=self.session, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d certificate issued.",
                "%(count)d certificates issued.",
                len(result.issued),
            )
            % {"count": len(result.issued)},
        )
        if result.not_eligible:
            messages.warning(
                request,
                ngettext(
                    "%(count)d participant did not complete the course and has no certificate.",
                    "%(count)d participants did not complete the course and have no certificate.",
                    len(result.not_eligible),
                )
                % {"count": len(result.not_eligible)},
            )

    def back(self) -> HttpResponseRedirect:
        return redirect("staff:session_certificates", pk=self.session.pk)


class RevokeCertificateView(CertificateMixin, PostStep):
    """Rule: the session's managers (``training.issue_certificate``); a reason is
    required."""

    permission_required = "training.issue_certificate"

    def step(self, request: HttpRequest) -> None:
        services.revoke_certificate(
            certificate=self.certificate, reason=request.POST.get("reason", ""), by=request.user
        )
        messages.success(
            request,
            _("Certificate %(code)s revoked.") % {"code": self.certificate.code},
        )


class ReissueCertificateView(CertificateMixin, PostStep):
    """Rule: the session's managers (``training.issue_certificate``)."""

    permission_required = "training.issue_certificate"

    def step(self, request: HttpRequest) -> None:
        certificate = services.reissue_certificate(certificate=self.certificate, by=request.user)
        messages.success(
            request,
            _("Certificate reissued under the new code %(code)s.") % {"code": certificate.code},
        )


class CertificatePdfView(CertificateMixin, View):
    """Rule: roster readers (``training.view_roster``). A revoked certificate is not
    printed."""

    permission_required = "training.view_roster"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = self.kwargs["language"]
        if language not in INTERFACE_LANGUAGES:
            raise Http404
        try:
            pdf = render_certificate(self.certificate, language)
        except MizanError as error:
            messages.error(request, str(error.message))
            return self.back()
        return pdf_response(pdf, f"certificate-{self.certificate.code}-{language}.pdf")


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # It holds a person's name: not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
