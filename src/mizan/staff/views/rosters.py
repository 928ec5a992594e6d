"""Importing a session's roster (upload, preview with problems or possible matches,
confirmation), the roster template, and the probable duplicates among participants with
the page that merges two of them.

The uploaded file is kept in the default storage (shared by all application servers)
between the preview and the confirmation; nothing is enrolled before the organiser
confirms, and then every row is or none. People already recorded are looked for only
among those the user may see (``participants_visible_to``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Field, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.core.errors import MizanError, Refused
from mizan.core.languages import active_language
from mizan.recommendations.importers import ImportRejected
from mizan.staff.forms.rosters import RosterDecisionForm, RosterUploadForm, decisions_from
from mizan.staff.views.sessions import NAV, SessionMixin
from mizan.training.duplicates import probable_duplicates
from mizan.training.enums import SessionStatus
from mizan.training.models import Participant, TrainingSession
from mizan.training.queries import enrolments_visible_to, participants_visible_to
from mizan.training.rosters import (
    COLUMNS,
    FORMATS,
    MAX_ROSTER_BYTES,
    TEMPLATE_CONTENT_TYPES,
    RosterReading,
    read_roster,
    roster_template,
)
from mizan.training.services.rosters import DuplicatesUndecided, import_roster, merge_participants

IMPORT_TEMPLATE = "staff/rosters/import.html"
PAIRS_PER_PAGE = 50


def _pending_key(session: TrainingSession) -> str:
    return f"mizan_pending_roster_{session.pk}"


class RosterMixin(SessionMixin):
    """The session named by ``pk``; rule ``training.import_roster`` on it (coordinators,
    administrators and focal points of its organising institutions)."""

    permission_required = "training.import_roster"
    request: HttpRequest

    def context(self, **extra: Any) -> dict[str, Any]:
        session = self.session
        return {
            "nav": NAV,
            "session": session,
            "columns": COLUMNS,
            "language": active_language(),
            "formats": FORMATS,
            "is_closed": session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED),
            **extra,
        }

    def preview(self, reading: RosterReading, form: RosterDecisionForm | None = None) -> Any:
        """What the preview of a file shows, besides its problems."""
        people = reading.candidate_participants(enrolments_visible_to(self.request.user))
        if form is None:
            form = RosterDecisionForm(rows=reading.rows, people=people)
        at_most = reading.places_needed()
        return {
            "reading": reading,
            "decision_form": form,
            "people": people,
            "places_left": reading.places_left,
            "places_at_least": reading.places_needed_at_least(),
            "places_at_most": at_most,
        }

    def render_page(self, status: int = 200, **extra: Any) -> HttpResponse:
        return render(self.request, IMPORT_TEMPLATE, self.context(**extra), status=status)

    def forget_pending(self) -> None:
        pending = self.request.session.pop(_pending_key(self.session), None)
        if pending and default_storage.exists(pending["path"]):
            default_storage.delete(pending["path"])


class RosterImportView(RosterMixin, View):
    """Rule: ``training.import_roster`` on the session. GET: the upload form and the
    templates; POST: the file's preview (problems, or rows and possible matches)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page(form=RosterUploadForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(400, form=form)
        upload = form.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(size)s MB; a roster is much smaller.")
                % {"size": MAX_ROSTER_BYTES // (1024 * 1024)},
            )
            return self.render_page(400, form=form)
        data = upload.read()
        reading = read_roster(
            session=self.session, data=data, among=participants_visible_to(request.user)
        )
        if reading.problems:
            return self.render_page(
                400, form=RosterUploadForm(), problems=reading.problems, file_name=upload.name
            )
        self.forget_pending()
        path = default_storage.save(f"rosters/{uuid.uuid4().hex}.roster", ContentFile(data))
        request.session[_pending_key(self.session)] = {"path": path, "name": upload.name}
        return self.render_page(file_name=upload.name, **self.preview(reading))


class RosterConfirmView(RosterMixin, View):
    """Rule: ``training.import_roster`` on the session. Imports the previewed file with
    the choices made for the rows that may be people already recorded."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pending = request.session.get(_pending_key(self.session))
        if not pending or not default_storage.exists(pending["path"]):
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("staff:roster_import", pk=self.session.pk)
        with default_storage.open(pending["path"], "rb") as handle:
            data = handle.read()
        try:
            result = import_roster(
                session=self.session,
                file=data,
                by=request.user,
                merge_decisions=decisions_from(request.POST),
            )
        except DuplicatesUndecided as undecided:
            reading = read_roster(
                session=self.session, data=data, among=participants_visible_to(request.user)
            )
            people = reading.candidate_participants(enrolments_visible_to(request.user))
            form = RosterDecisionForm(request.POST, rows=reading.rows, people=people)
            form.is_valid()
            return self.render_page(
                400,
                file_name=pending["name"],
                undecided=undecided.message,
                **self.preview(reading, form),
            )
        except ImportRejected as rejected:
            self.forget_pending()
            return self.render_page(
                400,
                form=RosterUploadForm(),
                problems=rejected.problems,
                file_name=pending["name"],
            )
        except MizanError as error:
            self.forget_pending()
            messages.error(request, str(error.message))
            return redirect("staff:roster_import", pk=self.session.pk)
        self.forget_pending()
        messages.success(
            request,
            ngettext(
                "%(count)s participant enrolled from the roster: %(created)s new, "
                "%(matched)s already recorded.",
                "%(count)s participants enrolled from the roster: %(created)s new, "
                "%(matched)s already recorded.",
                len(result.enrolments),
            )
            % {
                "count": len(result.enrolments),
                "created": result.created,
                "matched": result.matched,
            },
        )
        return redirect(reverse("staff:session_detail", args=[self.session.pk]) + "#roster")


class RosterTemplateView(RosterMixin, View):
    """Rule: ``training.import_roster`` on the session. An empty roster, CSV or XLSX,
    with its headers in ``?language=`` (en: the field names; default: the page's)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        file_format = self.kwargs["file_format"]
        if file_format not in FORMATS:
            raise Http404
        language = request.GET.get("language") or active_language()
        data = roster_template(file_format=file_format, language=language)
        response = HttpResponse(data, content_type=TEMPLATE_CONTENT_TYPES[file_format])
        response["Content-Disposition"] = f'attachment; filename="roster.{file_format}"'
        return response


# --- Probable duplicates and merging ---------------------------------------------------------


class DuplicateListView(PermissionRequiredMixin, TemplateView):
    """Rule: ``training.merge_participants`` (coordinators, administrators, focal
    points). Pairs of probable duplicates among the participants the user may see."""

    permission_required = "training.merge_participants"
    template_name = "staff/rosters/duplicates.html"
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        search = probable_duplicates(participants_visible_to(user))
        page = Paginator(search.pairs, PAIRS_PER_PAGE).get_page(self.request.GET.get("page"))
        ids = {id for pair in page for id in (pair.first_id, pair.second_id)}
        people = (
            Participant.objects.select_related("institution")
            .annotate(enrolment_count=Count("enrolments"))
            .in_bulk(list(ids))
        )
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "page": page,
            "pairs": [
                (pair, [people[pair.first_id], people[pair.second_id]])
                for pair in page
                if pair.first_id in people and pair.second_id in people
            ],
            "total": len(search.pairs),
        }


#: The details shown side by side on the merge page: (field, label attribute).
MERGE_FIELDS = (
    "name_latin",
    "name_arabic",
    "sex",
    "rank",
    "institution",
    "unit",
    "region",
    "service_number",
    "email",
    "phone",
    "consent_given_at",
    "trained_in_cascade",
    "pseudonym",
)


class MergeView(PermissionRequiredMixin, TemplateView):
    """Rule: ``training.merge_participants``, and both people must be among those the
    user may see (else the page is not found). GET compares them side by side; POST
    merges the second into the first."""

    permission_required = "training.merge_participants"
    template_name = "staff/rosters/merge.html"
    request: HttpRequest
    kwargs: dict[str, Any]

    def _person(self, pk: int) -> Participant:
        user = self.request.user
        return get_object_or_404(
            participants_visible_to(user)
            .select_related("institution", "trained_in_cascade")
            .prefetch_related(
                Prefetch(
                    "enrolments",
                    queryset=enrolments_visible_to(user)
                    .select_related("session")
                    .order_by("-session__starts_on"),
                    to_attr="shown_enrolments",
                )
            )
            .annotate(
                enrolment_count=Count("enrolments", distinct=True),
                link_count=Count("links", distinct=True),
                cascade_count=Count("cascades_given", distinct=True),
            ),
            pk=pk,
        )

    @cached_property
    def keep(self) -> Participant:
        return self._person(self.kwargs["keep"])

    @cached_property
    def duplicate(self) -> Participant:
        if self.kwargs["duplicate"] == self.kwargs["keep"]:
            raise Http404
        return self._person(self.kwargs["duplicate"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        keep, duplicate = self.keep, self.duplicate
        rows = []
        for name in MERGE_FIELDS:
            field = Participant._meta.get_field(name)
            assert isinstance(field, Field)
            kept, other = (self._display(person, name) for person in (keep, duplicate))
            rows.append(
                {
                    "label": field.verbose_name,
                    "keep": kept,
                    "duplicate": other,
                    "filled": name != "pseudonym" and not kept and bool(other),
                }
            )
        shared = sorted(
            {e.session_id for e in keep.shown_enrolments}  # type: ignore[attr-defined]
            & {e.session_id for e in duplicate.shown_enrolments}  # type: ignore[attr-defined]
        )
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "keep": keep,
            "duplicate": duplicate,
            "both": [keep, duplicate],
            "rows": rows,
            "shared": shared,
        }

    @staticmethod
    def _display(person: Participant, name: str) -> str:
        value = getattr(person, name)
        if value in (None, ""):
            return ""
        if name == "sex":
            return str(person.get_sex_display())
        return str(value)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        keep, duplicate = self.keep, self.duplicate
        try:
            merge_participants(keep=keep, duplicate=duplicate, by=request.user)
        except Refused as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except MizanError as error:
            context = self.get_context_data(**kwargs)
            context["error"] = error.message
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            _("The two records are now one: %(name)s.") % {"name": keep.name},
        )
        return redirect("staff:participant_detail", pk=keep.pk)
