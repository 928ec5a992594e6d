"""Training sessions in the back office: the list, a session's page (logistics, status,
half-day slots, counts and, for those who may see it, the roster), the session form,
nominations, direct enrolment, personal links with their printable sheet, and the
participant's page.

Every member sees a session's logistics and counts. Names and personal data show only to
those who may see the session's roster (``training.view_roster``: staff of its organising
institutions and its trainers); a nominating institution sees the status of its own
nominations. Participants are looked up through ``participants_visible_to`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from mizan.actions.models import Action
from mizan.audit.history import HistoryEntry, history_of, history_of_related
from mizan.core.errors import MizanError
from mizan.core.qr import qr_svg
from mizan.institutions.models import Institution
from mizan.institutions.queries import institutions_acted_for
from mizan.staff.forms.errors import add_service_error
from mizan.staff.forms.sessions import (
    ParticipantForm,
    ParticipantSearchForm,
    SessionForm,
    SessionStatusForm,
    SlotForm,
    next_statuses,
)
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.staff.views.training import PostStepView, ServiceFormView
from mizan.training.enums import EnrolmentStatus, SessionStatus, Sex
from mizan.training.models import (
    Attendance,
    Curriculum,
    Enrolment,
    Participant,
    PersonalLink,
    SessionSlot,
    TrainingSession,
)
from mizan.training.queries import (
    enrolments_visible_to,
    participants_visible_to,
    sessions_visible_to,
)
from mizan.training.rules import MANAGING_ROLES
from mizan.training.services import sessions as services

NAV = "sessions"
PAGE_SIZE = 25
FORM_TEMPLATE = "staff/sessions/form.html"

#: The pages other areas add to a session: (URL name, permission on the session, label).
#: A link shows when its URL exists and the user holds the permission.
SESSION_TOOLS = (
    ("staff:session_attendance", "training.record_attendance", gettext_lazy("Attendance")),
    ("staff:roster_import", "training.import_roster", gettext_lazy("Import a roster")),
    ("staff:session_marking", "training.mark_answers", gettext_lazy("Marking")),
    ("staff:session_results", "training.view_session", gettext_lazy("Results")),
    ("staff:session_certificates", "training.view_roster", gettext_lazy("Certificates")),
    ("staff:session_cascades", "training.view_session", gettext_lazy("Cascade sessions")),
)

#: The roster's groups, in the order an organiser works through them.
ROSTER_ORDER = (
    EnrolmentStatus.NOMINATED,
    EnrolmentStatus.APPROVED,
    EnrolmentStatus.DECLINED,
    EnrolmentStatus.WITHDRAWN,
)


def session_tools(request: HttpRequest, session: TrainingSession) -> list[tuple[str, str]]:
    """(label, URL) of the other areas' pages about ``session`` this user may open."""
    tools = []
    for url_name, permission, label in SESSION_TOOLS:
        try:
            url = reverse(url_name, kwargs={"pk": session.pk})
        except NoReverseMatch:
            continue
        if request.user.has_perm(permission, session):
            tools.append((str(label), url))
    return tools


def with_counts(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Sessions with what their list shows: curriculum, action, nominated and approved
    counts (no names)."""
    return sessions.select_related("version__curriculum", "action").annotate(
        approved_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.APPROVED)),
        nominated_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.NOMINATED)),
    )


def action_sessions(action: Action, user: Any) -> list[TrainingSession]:
    """The sessions of ``action``, as ``staff/sessions/_action_sessions.html`` shows them."""
    return list(
        with_counts(sessions_visible_to(user).filter(action=action)).order_by("starts_on", "id")
    )


def enrolment_counts(session: TrainingSession) -> dict[str, int]:
    """Nominations waiting, approved participants, and approved women and men."""
    approved = Q(status=EnrolmentStatus.APPROVED)
    return session.enrolments.aggregate(
        nominated=Count("id", filter=Q(status=EnrolmentStatus.NOMINATED)),
        approved=Count("id", filter=approved),
        women=Count("id", filter=approved & Q(participant__sex=Sex.FEMALE)),
        men=Count("id", filter=approved & Q(participant__sex=Sex.MALE)),
    )


def may_edit_participant(user: Any, participant: Participant) -> bool:
    """Whoever manages a session the person is enrolled in may correct their data."""
    sessions = TrainingSession.objects.filter(enrolments__participant=participant).distinct()
    return any(user.has_perm("training.change_session", session) for session in sessions)


def nominating_institutions(user: Any) -> QuerySet[Institution]:
    """The institutions a user nominates officers for."""
    if getattr(user, "is_superuser", False):
        return Institution.objects.all()
    return Institution.objects.filter(pk__in=institutions_acted_for(user, *MANAGING_ROLES))


def personal_link_url(request: HttpRequest, link: PersonalLink) -> str:
    """The absolute address of the participant's pages behind ``link``."""
    return request.build_absolute_uri(f"{get_script_prefix()}p/{link.token}/")


# --- Filters of the list -----------------------------------------------------------------


def _id(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 18 else None


@dataclass
class SessionFilters:
    status: str = ""
    curriculum: int | None = None
    year: int | None = None
    action: int | None = None

    @classmethod
    def from_query(cls, query: Any) -> SessionFilters:
        status = query.get("status", "")
        year = _id(query.get("year"))
        return cls(
            status=status if status in SessionStatus.values else "",
            curriculum=_id(query.get("curriculum")),
            year=year if year is not None and 1900 <= year <= 2999 else None,
            action=_id(query.get("action")),
        )

    def apply(self, sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
        if self.status:
            sessions = sessions.filter(status=self.status)
        if self.curriculum is not None:
            sessions = sessions.filter(version__curriculum_id=self.curriculum)
        if self.year is not None:
            sessions = sessions.filter(starts_on__year=self.year)
        if self.action is not None:
            sessions = sessions.filter(action_id=self.action)
        return sessions

    @property
    def is_empty(self) -> bool:
        return not (self.status or self.curriculum or self.year or self.action)


# --- Mixins ------------------------------------------------------------------------------


class SessionAreaMixin(ReadFirstMixin):
    """Anyone who may not read sessions is refused before any record is looked up."""

    read_permission = "training.view_session"
    kwargs: dict[str, Any]


class SessionMixin(SessionAreaMixin):
    """The session named by ``pk`` is the object of the permission rule."""

    @cached_property
    def session(self) -> TrainingSession:
        return get_object_or_404(
            sessions_visible_to(self.request.user).select_related("version__curriculum", "action"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.session

    def back(self) -> HttpResponseRedirect:
        return redirect("staff:session_detail", pk=self.session.pk)


class SlotMixin(SessionAreaMixin):
    """The half-day named by ``pk``; the rule is checked against its session."""

    @cached_property
    def slot(self) -> SessionSlot:
        return get_object_or_404(
            SessionSlot.objects.filter(
                session__in=sessions_visible_to(self.request.user)
            ).select_related("session"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.slot.session

    def back(self) -> HttpResponseRedirect:
        return redirect(reverse("staff:session_detail", args=[self.slot.session_id]) + "#slots")


class EnrolmentMixin(SessionAreaMixin):
    """The enrolment named by ``pk``; the rule is checked against its session."""

    @cached_property
    def enrolment(self) -> Enrolment:
        return get_object_or_404(
            Enrolment.objects.filter(
                session__in=sessions_visible_to(self.request.user)
            ).select_related("session", "participant"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.enrolment.session

    def back(self) -> HttpResponseRedirect:
        return redirect(
            reverse("staff:session_detail", args=[self.enrolment.session_id]) + "#roster"
        )


class ParticipantMixin(SessionAreaMixin):
    """The participant named by ``pk``, among those the user may see; others are 404."""

    @cached_property
    def participant(self) -> Participant:
        return get_object_or_404(
            participants_visible_to(self.request.user).select_related("institution"),
            pk=self.kwargs["pk"],
        )


class SessionFormMixin(ServiceFormView):
    """A form whose data goes to a session service, in the sessions' navigation."""

    template_name = FORM_TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "nav": NAV}


# --- The list ----------------------------------------------------------------------------


class SessionListView(SessionAreaMixin, TemplateView):
    """Rule: any member (``training.view_session``). Filters: ``status``, ``curriculum``
    (id), ``year``, ``action`` (id). HTMX requests get the results only."""

    permission_required = "training.view_session"
    template_name = "staff/sessions/session_list.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filters = SessionFilters.from_query(self.request.GET)
        visible = sessions_visible_to(user)
        queryset = with_counts(filters.apply(visible)).order_by("-starts_on", "id")
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        action = None
        if filters.action is not None:
            action = Action.objects.filter(pk=filters.action).first()
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "filters": filters,
            "page": page,
            "rows": list(page.object_list),
            "statuses": SessionStatus.choices,
            "curricula": Curriculum.objects.filter(versions__sessions__in=visible)
            .distinct()
            .order_by("code"),
            "years": [d.year for d in visible.dates("starts_on", "year", order="DESC")],
            "filter_action": action,
            "can_add": user.has_perm("training.add_session"),
            "can_merge": user.has_perm("training.merge_participants"),
            "query_string": query.urlencode(),
        }


# --- Creating and changing a session -------------------------------------------------------


class SessionCreateView(SessionAreaMixin, SessionFormMixin):
    """Rule: coordinators and focal points (``training.add_session``); the service lets
    them organise only for an institution they coordinate. ``?action=<id>`` preselects
    the training action."""

    permission_required = "training.add_session"
    form_class = SessionForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Plan a session")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        user = self.request.user
        own = institutions_acted_for(user, *MANAGING_ROLES)
        # The user's own institutions, not the units below them.
        top = Institution.objects.filter(pk__in=own).exclude(parent_id__in=own)
        initial: dict[str, Any] = {
            "organisers": list(top.values_list("pk", flat=True)),
            "language": "ar",
            "capacity": 25,
        }
        action = _id(self.request.GET.get("action"))
        if action is not None:
            initial["action"] = action
        return initial

    def back_url(self) -> str:
        return reverse("staff:session_list")

    def save(self, form: SessionForm) -> TrainingSession:
        self.success_message = _("Session planned, with a morning and an afternoon per day.")
        return services.create_session(**form.session_data(), by=self.request.user)

    def success_url_for(self, saved: TrainingSession) -> str:
        return reverse("staff:session_detail", args=[saved.pk])


class SessionEditView(SessionMixin, SessionFormMixin):
    """Rule: ``training.change_session`` (coordinators, administrators and focal points of
    an organising institution)."""

    permission_required = "training.change_session"
    form_class = SessionForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Edit %(session)s") % {"session": self.session}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "session": self.session}

    def get_initial(self) -> dict[str, Any]:
        session = self.session
        return {
            "action": session.action_id,
            "version": session.version_id,
            "title": session.title,
            "starts_on": session.starts_on,
            "ends_on": session.ends_on,
            "venue": session.venue,
            "city": session.city,
            "region": session.region,
            "organisers": list(session.organisers.values_list("pk", flat=True)),
            "trainers": list(session.trainers.values_list("pk", flat=True)),
            "audience": session.audience,
            "capacity": session.capacity,
            "language": session.language,
            "min_attendance_percent": session.min_attendance_percent,
            "min_post_test_percent": session.min_post_test_percent,
            "pre_test_form": session.pre_test_form,
            "post_test_form": session.post_test_form,
        }

    def back_url(self) -> str:
        return reverse("staff:session_detail", args=[self.session.pk])

    def save(self, form: SessionForm) -> TrainingSession:
        self.success_message = _("Session saved.")
        return services.update_session(
            session=self.session, by=self.request.user, **form.session_data()
        )


class SessionStatusView(SessionMixin, PostStepView):
    """Rule: ``training.change_session``. Cancelling needs a reason."""

    permission_required = "training.change_session"

    def step(self, request: HttpRequest) -> str:
        form = SessionStatusForm(request.POST)
        if not form.is_valid():
            raise MizanError(_("Choose the new status."))
        session = services.change_session_status(
            session=self.session,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        return _("The session is now “%(status)s”.") % {"status": session.get_status_display()}


# --- The session's page ------------------------------------------------------------------


class SessionDetailView(SessionMixin, TemplateView):
    """Rule: any member (``training.view_session``) sees the logistics and counts. The
    roster shows to ``training.view_roster``; a nominating institution sees its own
    nominations. Buttons show to those whose rule allows the step."""

    permission_required = "training.view_session"
    template_name = "staff/sessions/session_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        session = get_object_or_404(
            sessions_visible_to(user)
            .select_related("version__curriculum", "action", "created_by")
            .prefetch_related("organisers", "trainers"),
            pk=self.kwargs["pk"],
        )
        can_change = user.has_perm("training.change_session", session)
        sees_roster = user.has_perm("training.view_roster", session)
        is_open = session.status not in (SessionStatus.COMPLETED, SessionStatus.CANCELLED)
        slots = session.slots.annotate(
            has_attendance=Exists(Attendance.objects.filter(slot=OuterRef("pk")))
        ).order_by("date", "part")
        roster: list[tuple[str, list[Enrolment]]] = []
        own_nominations: list[Enrolment] = []
        if sees_roster:
            enrolments = list(
                session.enrolments.select_related("participant__institution", "nominated_by")
            )
            labels = dict(EnrolmentStatus.choices)
            roster = [
                (str(labels[status]), [e for e in enrolments if e.status == status])
                for status in ROSTER_ORDER
            ]
        else:
            own_nominations = list(
                enrolments_visible_to(user)
                .filter(session=session)
                .select_related("participant", "nominated_by")
            )
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "session": session,
            "counts": enrolment_counts(session),
            "slots": list(slots),
            "sees_roster": sees_roster,
            "roster": roster,
            "own_nominations": own_nominations,
            "can_change": can_change and is_open,
            "can_decide": user.has_perm("training.decide_nomination", session) and is_open,
            "can_nominate": user.has_perm("training.nominate", session)
            and session.status == SessionStatus.OPEN,
            "can_see_links": sees_roster and user.has_perm("training.record_attendance", session),
            "next_statuses": next_statuses(session) if can_change else [],
            "cancelled": SessionStatus.CANCELLED,
            "session_tools": session_tools(self.request, session),
        }


# --- Half-day slots ----------------------------------------------------------------------


class SlotEditView(SlotMixin, SessionFormMixin):
    """Rule: ``training.change_session``."""

    permission_required = "training.change_session"
    form_class = SlotForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Hours of %(slot)s") % {"slot": self.slot}

    def get_initial(self) -> dict[str, Any]:
        return {"starts_at": self.slot.starts_at, "ends_at": self.slot.ends_at}

    def back_url(self) -> str:
        return reverse("staff:session_detail", args=[self.slot.session_id]) + "#slots"

    def save(self, form: SlotForm) -> SessionSlot:
        self.success_message = _("Hours saved.")
        return services.update_slot(slot=self.slot, by=self.request.user, **form.cleaned_data)


class SlotRemoveView(SlotMixin, PostStepView):
    """Rule: ``training.change_session``. Only a half-day with no attendance goes."""

    permission_required = "training.change_session"

    def step(self, request: HttpRequest) -> str:
        services.remove_slot(slot=self.slot, by=request.user)
        return _("Half-day removed.")


class SlotsGenerateView(SessionMixin, PostStepView):
    """Rule: ``training.change_session``. Adds the missing half-days of the dates."""

    permission_required = "training.change_session"

    def step(self, request: HttpRequest) -> str:
        made = services.generate_slots(session=self.session, by=request.user)
        return _("%(count)s half-days added.") % {"count": len(made)}


# --- Nominations and enrolments ----------------------------------------------------------


class NominateView(SessionMixin, SessionFormMixin):
    """Rule: ``training.nominate`` (coordinators, administrators and focal points); the
    officer's institution is one they act for, and the session must be open for
    nominations (the service refuses otherwise)."""

    permission_required = "training.nominate"
    form_class = ParticipantForm
    template_name = "staff/sessions/nominate.html"

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Nominate an officer for %(session)s") % {"session": self.session}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "institutions": nominating_institutions(self.request.user),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "session": self.session,
            "is_open": self.session.status == SessionStatus.OPEN,
        }

    def back_url(self) -> str:
        return reverse("staff:session_detail", args=[self.session.pk])

    def save(self, form: ParticipantForm) -> Enrolment:
        self.success_message = _("Nomination sent; the organisers will decide.")
        data = form.participant_data()
        institution = data.pop("institution")
        return services.nominate_new_participant(
            session=self.session, institution=institution, by=self.request.user, **data
        )

    def success_url_for(self, saved: Enrolment) -> str:
        return self.back_url() + "#nominations"


class EnrolView(SessionMixin, FormView):
    """Rule: ``training.decide_nomination`` (managers of the session). Enrols, as
    approved, a person the user may already see (``participant`` in the POST) or a new
    one (the person's fields)."""

    permission_required = "training.decide_nomination"
    template_name = "staff/sessions/enrol.html"
    form_class = ParticipantForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        search = ParticipantSearchForm(self.request.GET or None)
        found: list[Participant] = []
        if search.is_valid() and search.cleaned_data["q"].strip():
            words = search.cleaned_data["q"].strip()
            enrolled = Enrolment.objects.filter(
                session=self.session,
                participant_id=OuterRef("pk"),
                status=EnrolmentStatus.APPROVED,
            )
            found = list(
                participants_visible_to(self.request.user)
                .filter(
                    Q(name_latin__icontains=words)
                    | Q(name_arabic__icontains=words)
                    | Q(service_number=words)
                )
                .exclude(Exists(enrolled))
                .select_related("institution")
                .order_by("name_latin", "name_arabic", "id")[:20]
            )
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "session": self.session,
            "search": search,
            "found": found,
            "searched": search.is_bound,
            "back_url": reverse("staff:session_detail", args=[self.session.pk]),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "participant" in request.POST:
            participant = get_object_or_404(
                participants_visible_to(request.user), pk=_id(request.POST["participant"]) or 0
            )
            try:
                services.enrol(session=self.session, participant=participant, by=request.user)
            except MizanError as error:
                messages.error(request, str(error.message))
                return redirect("staff:session_enrol", pk=self.session.pk)
            messages.success(request, _("%(name)s is enrolled.") % {"name": participant.name})
            return redirect(reverse("staff:session_detail", args=[self.session.pk]) + "#roster")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ParticipantForm) -> HttpResponse:
        try:
            enrolment = services.enrol_new_participant(
                session=self.session, by=self.request.user, **form.participant_data()
            )
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(name)s is enrolled.") % {"name": enrolment.participant.name}
        )
        return redirect(reverse("staff:session_detail", args=[self.session.pk]) + "#roster")


class DecideView(EnrolmentMixin, PostStepView):
    """Rule: ``training.decide_nomination``. ``decision`` is ``approve`` or ``decline``;
    declining needs a ``note``."""

    permission_required = "training.decide_nomination"

    def step(self, request: HttpRequest) -> str:
        approve = request.POST.get("decision") == "approve"
        note = "" if approve else request.POST.get("note", "")
        enrolment = services.decide_nomination(
            enrolment=self.enrolment, approve=approve, note=note, by=request.user
        )
        name = enrolment.participant.name
        if approve:
            return _("%(name)s is approved.") % {"name": name}
        return _("The nomination of %(name)s is declined.") % {"name": name}


class WithdrawView(EnrolmentMixin, PostStepView):
    """Rule: ``training.decide_nomination``. The reason is kept in the history."""

    permission_required = "training.decide_nomination"

    def step(self, request: HttpRequest) -> str:
        reason = request.POST.get("reason", "")
        enrolment = services.withdraw(enrolment=self.enrolment, reason=reason, by=request.user)
        return _("%(name)s is withdrawn; the place is free.") % {"name": enrolment.participant.name}


# --- Personal links ----------------------------------------------------------------------

#: Who sees and issues personal links: someone who sees the roster and runs the session
#: (its managers and trainers). A link opens a participant's pages, so the sheet is not
#: for every member of staff of an organising institution.
LINK_PERMISSIONS = ("training.view_roster", "training.record_attendance")


@dataclass
class LinkRow:
    enrolment: Enrolment
    link: PersonalLink | None
    url: str
    qr: str


class LinksView(SessionMixin, TemplateView):
    """Rule: ``training.view_roster`` and ``training.record_attendance`` (managers and
    trainers of the session). One link per approved participant, with a QR code, to
    print and hand out; a POST issues the missing links."""

    permission_required = LINK_PERMISSIONS
    template_name = "staff/sessions/links.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        usable = PersonalLink.objects.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")
        enrolments = (
            self.session.enrolments.filter(status=EnrolmentStatus.APPROVED)
            .select_related("participant__institution")
            .prefetch_related(Prefetch("links", queryset=usable, to_attr="usable_links"))
        )
        rows = []
        for enrolment in enrolments:
            link = enrolment.usable_links[0] if enrolment.usable_links else None
            url = personal_link_url(self.request, link) if link else ""
            label = _("Personal link of %(name)s") % {"name": enrolment.participant.name}
            rows.append(LinkRow(enrolment, link, url, qr_svg(url, label=label) if link else ""))
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "session": self.session,
            "rows": rows,
            "missing": sum(1 for row in rows if row.link is None),
            "can_issue": self.session.status != SessionStatus.CANCELLED,
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            issued = services.issue_missing_links(session=self.session, by=request.user)
        except MizanError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(count)s links issued.") % {"count": len(issued)})
        return redirect("staff:session_links", pk=self.session.pk)


class LinkIssueView(EnrolmentMixin, PostStepView):
    """Rule: as the links page. Issues a new link for one participant; their earlier
    link stops working (a lost or shared phone)."""

    permission_required = LINK_PERMISSIONS

    def step(self, request: HttpRequest) -> str:
        services.issue_personal_link(enrolment=self.enrolment, by=request.user)
        return _("New link issued for %(name)s; the earlier one no longer works.") % {
            "name": self.enrolment.participant.name
        }

    def back(self) -> HttpResponseRedirect:
        return redirect(
            reverse("staff:session_links", args=[self.enrolment.session_id])
            + f"#link-{self.enrolment.pk}"
        )


# --- Participants ------------------------------------------------------------------------


class ParticipantDetailView(ParticipantMixin, TemplateView):
    """Rule: any member (``training.view_session``), and the person must be among those
    the user may see (``participants_visible_to``), or the page is not found."""

    permission_required = "training.view_session"
    template_name = "staff/sessions/participant_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        participant = self.participant
        user = self.request.user
        enrolments = (
            enrolments_visible_to(user)
            .filter(participant=participant)
            .select_related("session", "nominated_by")
            .order_by("-session__starts_on", "id")
        )
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "participant": participant,
            "enrolments": list(enrolments),
            "can_edit": may_edit_participant(user, participant),
        }


class ParticipantEditView(ParticipantMixin, SessionFormMixin):
    """Rule: whoever may see the person and manages a session they are enrolled in."""

    permission_required = "training.view_session"
    form_class = ParticipantForm

    def has_permission(self) -> bool:
        return bool(super().has_permission()) and may_edit_participant(
            self.request.user, self.participant
        )

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Edit %(name)s") % {"name": self.participant.name}

    def get_initial(self) -> dict[str, Any]:
        return ParticipantForm.initial_for(self.participant)

    def back_url(self) -> str:
        return reverse("staff:participant_detail", args=[self.participant.pk])

    def save(self, form: ParticipantForm) -> Participant:
        self.success_message = _("Saved.")
        return services.update_participant(
            participant=self.participant,
            by=self.request.user,
            **form.participant_data(self.participant),
        )


# --- History -----------------------------------------------------------------------------


def _without_check_in_codes(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """The check-in code behind a half-day's QR code stays off history pages."""
    hidden = str(SessionSlot._meta.get_field("check_in_code").verbose_name)
    for entry in entries:
        entry.changes = [change for change in entry.changes if change.field != hidden]
    return entries


class SessionHistoryView(SessionMixin, TemplateView):
    """Rule: any member (``training.view_session``): the session and its half-days; its
    enrolments too for those who see the roster (``training.view_roster``)."""

    permission_required = "training.view_session"
    template_name = "staff/sessions/history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        session = self.session
        entries = history_of(session)
        for entry in entries:
            entry.label = _("Session")
        slots = SessionSlot.history.filter(session_id=session.pk).select_related("history_user")
        entries += _without_check_in_codes(history_of_related(slots, _("Half-day")))
        if self.request.user.has_perm("training.view_roster", session):
            records = Enrolment.history.filter(session_id=session.pk).select_related("history_user")
            entries += history_of_related(records, _("Enrolment"))
        entries.sort(key=lambda e: e.when, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "subject": session,
            "back_url": reverse("staff:session_detail", args=[session.pk]),
            "entries": entries,
        }


class ParticipantHistoryView(ParticipantMixin, TemplateView):
    """Rule: as the participant's page: the person's record and the enrolments the user
    may see."""

    permission_required = "training.view_session"
    template_name = "staff/sessions/history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        participant = self.participant
        visible = enrolments_visible_to(self.request.user).filter(participant=participant)
        # The reasons on the person's record may name a session whose people the user
        # does not see ("Imported with the roster of ..."): shown only to those who see
        # every enrolment of the person.
        sees_every_enrolment = not participant.enrolments.exclude(
            pk__in=visible.values("pk")
        ).exists()
        entries = history_of(participant)
        for entry in entries:
            entry.label = _("Participant")
            if not sees_every_enrolment:
                entry.reason = ""
        records = Enrolment.history.filter(
            id__in=visible.values("pk"), participant_id=participant.pk
        ).select_related("history_user")
        entries += history_of_related(records, _("Enrolment"))
        entries.sort(key=lambda e: e.when, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "subject": participant,
            "back_url": reverse("staff:participant_detail", args=[participant.pk]),
            "entries": entries,
        }
