"""Partnership agreements and joint committees: agreements with their commitments and
documents, committees with their members, meetings, decisions and follow-up tasks.

Every record is looked up in the ``*_visible_to`` selector first (someone who cannot see
it gets 404), then its rule is checked against it (someone who sees it but may not do
this gets 403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.audit.history import HistoryEntry, history_of, history_of_related
from mizan.core.errors import MizanError
from mizan.partnerships import services
from mizan.partnerships.enums import CommitteeRole, MeetingStatus
from mizan.partnerships.models import (
    Commitment,
    CommitteeMember,
    Decision,
    FollowUpTask,
    JointCommittee,
    Meeting,
)
from mizan.partnerships.queries import (
    agreements_visible_to,
    commitments_visible_to,
    committees_visible_to,
    decisions_visible_to,
    follow_up_tasks_visible_to,
    is_in_force,
    meetings_visible_to,
    open_tasks,
    past_meetings,
    upcoming_meetings,
    with_in_force,
)
from mizan.staff.forms.errors import add_service_error
from mizan.staff.forms.partnerships import (
    AgreementForm,
    CommitmentActionsForm,
    CommitmentForm,
    CommitteeForm,
    CommitteeMemberForm,
    CompleteTaskForm,
    DecisionForm,
    DocumentForm,
    FollowUpTaskForm,
    MeetingForm,
    ReasonForm,
    RecordMeetingForm,
)

NAV = "agreements"


class RecordMixin(PermissionRequiredMixin):
    """A view about one record: found among those the user sees (else 404), then checked
    against the view's rule (else 403). Anonymous users are sent to log in."""

    request: HttpRequest
    kwargs: dict[str, Any]
    visible: Callable[[Any], QuerySet[Any]]

    def get_record(self) -> Any:
        if not hasattr(self, "_record"):
            queryset = type(self).visible(self.request.user)
            self._record = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._record

    def get_permission_object(self) -> Any:
        if not self.request.user.is_authenticated:
            return None
        return self.get_record()


# --- Agreements ------------------------------------------------------------------------


class AgreementListView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``partnerships.view_partnershipagreement``); each sees the
    agreements ``agreements_visible_to`` gives them."""

    permission_required = "partnerships.view_partnershipagreement"
    template_name = "staff/partnerships/agreement_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        agreements = with_in_force(agreements_visible_to(self.request.user)).prefetch_related(
            "parties", "committees"
        )
        return {**super().get_context_data(**kwargs), "nav": NAV, "agreements": agreements}


class AgreementDetailView(RecordMixin, TemplateView):
    """Rule: coordinators, members of a party, committee members
    (``partnerships.view_agreement_detail``)."""

    permission_required = "partnerships.view_agreement_detail"
    template_name = "staff/partnerships/agreement_detail.html"
    visible = staticmethod(agreements_visible_to)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        agreement = self.get_record()
        user = self.request.user
        can_edit = user.has_perm("partnerships.change_partnershipagreement", agreement)
        commitments = agreement.commitments.select_related("party").prefetch_related(
            "actions__lead_institution"
        )
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "agreement": agreement,
            "in_force": is_in_force(agreement),
            "parties": agreement.parties.all(),
            "commitments": commitments,
            "documents": agreement.documents.all(),
            "committees": agreement.committees.all(),
            "can_edit": can_edit,
            "can_add_committee": user.has_perm("partnerships.add_jointcommittee", agreement),
            "document_form": DocumentForm() if can_edit else None,
        }


class AgreementCreateView(PermissionRequiredMixin, FormView):
    """Rule: coordinators and administrators (``partnerships.add_partnershipagreement``)."""

    permission_required = "partnerships.add_partnershipagreement"
    template_name = "staff/partnerships/agreement_form.html"
    form_class = AgreementForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "nav": NAV, "agreement": None}

    def form_valid(self, form: AgreementForm) -> HttpResponse:
        try:
            agreement = services.create_agreement(by=self.request.user, **form.cleaned_data)
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Agreement saved."))
        return redirect("staff:agreement_detail", pk=agreement.pk)


class AgreementEditView(RecordMixin, FormView):
    """Rule: coordinators and administrators (``partnerships.change_partnershipagreement``)."""

    permission_required = "partnerships.change_partnershipagreement"
    template_name = "staff/partnerships/agreement_form.html"
    form_class = AgreementForm
    visible = staticmethod(agreements_visible_to)

    def get_initial(self) -> dict[str, Any]:
        agreement = self.get_record()
        return {
            "title": agreement.title,
            "reference": agreement.reference,
            "parties": list(agreement.parties.all()),
            "signed_on": agreement.signed_on,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "scope": agreement.scope,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "nav": NAV, "agreement": self.get_record()}

    def form_valid(self, form: AgreementForm) -> HttpResponse:
        agreement = self.get_record()
        try:
            services.update_agreement(
                agreement=agreement, by=self.request.user, **form.cleaned_data
            )
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Agreement saved."))
        return redirect("staff:agreement_detail", pk=agreement.pk)


class RecordFormView(RecordMixin, FormView):
    """A form about one record, on a page of its own (``form_page.html``)."""

    template_name = "staff/partnerships/form_page.html"
    title: Any = ""
    submit_label: Any = gettext_lazy("Save")
    multipart = False

    def back_url(self) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "record": self.get_record(),
            "title": self.title,
            "submit_label": self.submit_label,
            "multipart": self.multipart,
            "back_url": self.back_url(),
        }

    def save(self, form: Any) -> str:
        """Call the service; return where to go next."""
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            target = self.save(form)
        except MizanError as error:
            add_service_error(form, error, getattr(self, "field_map", None))
            return self.form_invalid(form)
        return HttpResponseRedirect(target)


class AgreementDocumentView(RecordFormView):
    """Rule: coordinators and administrators (``partnerships.change_partnershipagreement``)."""

    permission_required = "partnerships.change_partnershipagreement"
    visible = staticmethod(agreements_visible_to)
    form_class = DocumentForm
    title = gettext_lazy("Add a document")
    submit_label = gettext_lazy("Upload")
    multipart = True

    def back_url(self) -> str:
        return reverse("staff:agreement_detail", args=[self.get_record().pk])

    def save(self, form: DocumentForm) -> str:
        services.attach_document(
            record=self.get_record(),
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            by=self.request.user,
        )
        messages.success(self.request, _("Document added."))
        return self.back_url() + "#documents"


class AgreementHistoryView(RecordMixin, TemplateView):
    """Rule: whoever may read the agreement (``partnerships.view_history``). The agreement,
    its commitments, committees and their seats."""

    permission_required = "partnerships.view_history"
    template_name = "staff/partnerships/history.html"
    visible = staticmethod(agreements_visible_to)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        agreement = self.get_record()
        entries = labelled(history_of(agreement), _("Agreement"))
        committee_ids = list(
            JointCommittee.history.filter(agreement_id=agreement.pk)
            .values_list("id", flat=True)
            .distinct()
        )
        related: list[tuple[Any, Any, dict[str, Any]]] = [
            (Commitment, _("Commitment"), {"agreement_id": agreement.pk}),
            (JointCommittee, _("Committee"), {"agreement_id": agreement.pk}),
            (CommitteeMember, _("Committee seat"), {"committee_id__in": committee_ids}),
        ]
        entries += related_history(related)
        entries.sort(key=lambda e: e.when, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "record": agreement,
            "back_url": reverse("staff:agreement_detail", args=[agreement.pk]),
            "entries": entries,
        }


def labelled(entries: list[HistoryEntry], label: str) -> list[HistoryEntry]:
    for entry in entries:
        entry.label = label
    return entries


def related_history(related: list[tuple[Any, Any, dict[str, Any]]]) -> list[HistoryEntry]:
    entries: list[HistoryEntry] = []
    for model, label, lookup in related:
        records = model.history.filter(**lookup).select_related("history_user")
        entries += history_of_related(records, str(label))
    return entries


# --- Commitments -----------------------------------------------------------------------


class CommitmentCreateView(RecordFormView):
    """Rule: coordinators and administrators (``partnerships.change_partnershipagreement``)."""

    permission_required = "partnerships.change_partnershipagreement"
    visible = staticmethod(agreements_visible_to)
    form_class = CommitmentForm
    title = gettext_lazy("Add a commitment")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agreement": self.get_record()}

    def back_url(self) -> str:
        return reverse("staff:agreement_detail", args=[self.get_record().pk])

    def save(self, form: CommitmentForm) -> str:
        services.add_commitment(
            agreement=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Commitment saved."))
        return self.back_url() + "#commitments"


class CommitmentEditView(RecordFormView):
    """Rule: coordinators and administrators (``partnerships.change_commitment``)."""

    permission_required = "partnerships.change_commitment"
    visible = staticmethod(commitments_visible_to)
    form_class = CommitmentForm
    title = gettext_lazy("Edit the commitment")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agreement": self.get_record().agreement}

    def get_initial(self) -> dict[str, Any]:
        commitment = self.get_record()
        return {"text": commitment.text, "party": commitment.party, "due_on": commitment.due_on}

    def back_url(self) -> str:
        return reverse("staff:agreement_detail", args=[self.get_record().agreement_id])

    def save(self, form: CommitmentForm) -> str:
        services.update_commitment(
            commitment=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Commitment saved."))
        return self.back_url() + "#commitments"


class CommitmentActionsView(RecordFormView):
    """Rule: coordinators and administrators (``partnerships.change_commitment``). Tick the
    actions that carry out the commitment; unticking one unlinks it."""

    permission_required = "partnerships.change_commitment"
    visible = staticmethod(commitments_visible_to)
    form_class = CommitmentActionsForm
    title = gettext_lazy("Actions carrying out the commitment")

    def get_initial(self) -> dict[str, Any]:
        return {"actions": list(self.get_record().actions.all())}

    def back_url(self) -> str:
        return reverse("staff:agreement_detail", args=[self.get_record().agreement_id])

    def save(self, form: CommitmentActionsForm) -> str:
        services.set_commitment_actions(
            commitment=self.get_record(), actions=form.cleaned_data["actions"], by=self.request.user
        )
        messages.success(self.request, _("Actions saved."))
        return self.back_url() + "#commitments"


class PostActionView(RecordMixin, View):
    """A small POST-only action; a refusal is shown as a message on the page it returns to."""

    http_method_names = ["post"]

    def back_url(self) -> str:
        raise NotImplementedError

    def act(self) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target = self.back_url()
        try:
            self.act()
        except MizanError as error:
            messages.error(request, str(error.message))
        return HttpResponseRedirect(target)


class CommitmentRemoveView(PostActionView):
    """Rule: coordinators and administrators (``partnerships.change_commitment``)."""

    permission_required = "partnerships.change_commitment"
    visible = staticmethod(commitments_visible_to)

    def back_url(self) -> str:
        return reverse("staff:agreement_detail", args=[self.get_record().agreement_id])

    def act(self) -> None:
        services.remove_commitment(commitment=self.get_record(), by=self.request.user)
        messages.success(self.request, _("Commitment removed."))


# --- Committees ------------------------------------------------------------------------


class CommitteeCreateView(RecordFormView):
    """Rule: coordinators and administrators (``partnerships.add_jointcommittee``)."""

    permission_required = "partnerships.add_jointcommittee"
    visible = staticmethod(agreements_visible_to)
    form_class = CommitteeForm
    title = gettext_lazy("New joint committee")

    def back_url(self) -> str:
        return reverse("staff:agreement_detail", args=[self.get_record().pk])

    def save(self, form: CommitteeForm) -> str:
        committee = services.create_committee(
            agreement=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Committee saved."))
        return reverse("staff:committee_detail", args=[committee.pk])


class CommitteeEditView(RecordFormView):
    """Rule: coordinators and administrators (``partnerships.change_jointcommittee``)."""

    permission_required = "partnerships.change_jointcommittee"
    visible = staticmethod(committees_visible_to)
    form_class = CommitteeForm
    title = gettext_lazy("Edit the committee")

    def get_initial(self) -> dict[str, Any]:
        committee = self.get_record()
        return {"name": committee.name, "mandate": committee.mandate}

    def back_url(self) -> str:
        return reverse("staff:committee_detail", args=[self.get_record().pk])

    def save(self, form: CommitteeForm) -> str:
        services.update_committee(
            committee=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Committee saved."))
        return self.back_url()


ROLE_ORDER = {CommitteeRole.CHAIR: 0, CommitteeRole.SECRETARY: 1, CommitteeRole.MEMBER: 2}


class CommitteeDetailView(RecordMixin, TemplateView):
    """Rule: coordinators, members of a party, committee members
    (``partnerships.view_jointcommittee``)."""

    permission_required = "partnerships.view_jointcommittee"
    template_name = "staff/partnerships/committee_detail.html"
    visible = staticmethod(committees_visible_to)

    def get_record(self) -> Any:
        if not hasattr(self, "_record"):
            queryset = committees_visible_to(self.request.user).select_related("agreement")
            self._record = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._record

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.get_record()
        user = self.request.user
        members = sorted(
            committee.members.select_related("user", "institution"),
            key=lambda m: (ROLE_ORDER.get(m.role, 9), str(m.user).casefold()),
        )
        tasks = list(open_tasks(committee))
        today = timezone.localdate()
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "committee": committee,
            "agreement": committee.agreement,
            "members": members,
            "upcoming": upcoming_meetings(committee),
            "past": past_meetings(committee),
            "tasks": tasks,
            "today": today,
            "can_edit": user.has_perm("partnerships.change_jointcommittee", committee),
            "can_schedule": user.has_perm("partnerships.add_meeting", committee),
            "completable": {
                task.pk for task in tasks if user.has_perm("partnerships.change_followuptask", task)
            },
        }


class CommitteeMemberAddView(RecordFormView):
    """Rule: coordinators and administrators (``partnerships.change_jointcommittee``)."""

    permission_required = "partnerships.change_jointcommittee"
    visible = staticmethod(committees_visible_to)
    form_class = CommitteeMemberForm
    title = gettext_lazy("Add a member")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "committee": self.get_record()}

    def get_initial(self) -> dict[str, Any]:
        return {"role": CommitteeRole.MEMBER}

    def back_url(self) -> str:
        return reverse("staff:committee_detail", args=[self.get_record().pk])

    def save(self, form: CommitteeMemberForm) -> str:
        services.add_committee_member(
            committee=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Member added."))
        return self.back_url() + "#members"


class CommitteeMemberEditView(RecordFormView):
    """Rule: coordinators and administrators (``partnerships.change_committeemember``)."""

    permission_required = "partnerships.change_committeemember"
    form_class = CommitteeMemberForm
    title = gettext_lazy("Edit the seat")

    @staticmethod
    def visible(user: Any) -> QuerySet[CommitteeMember]:
        return CommitteeMember.objects.filter(committee__in=committees_visible_to(user))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "committee": self.get_record().committee,
            "with_person": False,
        }

    def get_initial(self) -> dict[str, Any]:
        member = self.get_record()
        return {
            "institution": member.institution,
            "role": member.role,
            "since": member.since,
            "until": member.until,
        }

    def back_url(self) -> str:
        return reverse("staff:committee_detail", args=[self.get_record().committee_id])

    def save(self, form: CommitteeMemberForm) -> str:
        services.update_committee_member(
            member=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Seat saved."))
        return self.back_url() + "#members"


class CommitteeMemberRemoveView(PostActionView):
    """Rule: coordinators and administrators (``partnerships.change_committeemember``)."""

    permission_required = "partnerships.change_committeemember"
    visible = CommitteeMemberEditView.visible

    def back_url(self) -> str:
        return reverse("staff:committee_detail", args=[self.get_record().committee_id])

    def act(self) -> None:
        services.remove_committee_member(member=self.get_record(), by=self.request.user)
        messages.success(self.request, _("Member removed."))


# --- Meetings --------------------------------------------------------------------------


class MeetingCreateView(RecordFormView):
    """Rule: coordinators, the committee's chair and secretary (``partnerships.add_meeting``)."""

    permission_required = "partnerships.add_meeting"
    visible = staticmethod(committees_visible_to)
    form_class = MeetingForm
    title = gettext_lazy("Schedule a meeting")

    def back_url(self) -> str:
        return reverse("staff:committee_detail", args=[self.get_record().pk])

    def save(self, form: MeetingForm) -> str:
        meeting = services.schedule_meeting(
            committee=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Meeting scheduled."))
        return reverse("staff:meeting_detail", args=[meeting.pk])


class MeetingEditView(RecordFormView):
    """Rule: coordinators, the committee's chair and secretary (``partnerships.change_meeting``)."""

    permission_required = "partnerships.change_meeting"
    visible = staticmethod(meetings_visible_to)
    form_class = MeetingForm
    title = gettext_lazy("Edit the meeting")

    def get_initial(self) -> dict[str, Any]:
        meeting = self.get_record()
        return {
            "starts_at": timezone.localtime(meeting.starts_at),
            "place": meeting.place,
            "agenda": meeting.agenda,
        }

    def back_url(self) -> str:
        return reverse("staff:meeting_detail", args=[self.get_record().pk])

    def save(self, form: MeetingForm) -> str:
        services.update_meeting(
            meeting=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Meeting saved."))
        return self.back_url()


def meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    status: int = 200,
    task_form_decision: Decision | None = None,
    **bound: Form,
) -> HttpResponse:
    """The meeting page, with the forms the user may use; a refused form comes back
    bound, with its errors."""
    user = request.user
    committee = meeting.committee
    can_record = user.has_perm("partnerships.change_meeting", meeting)
    can_decide = user.has_perm("partnerships.add_decision", meeting)
    may_record_decisions = meeting.status == MeetingStatus.HELD or (
        meeting.status == MeetingStatus.PLANNED
        and timezone.localdate(meeting.starts_at) <= timezone.localdate()
    )
    decisions = list(
        meeting.decisions.select_related("recorded_by").prefetch_related(
            Prefetch("tasks", queryset=FollowUpTask.objects.select_related("owner", "institution"))
        )
    )
    tasks = [task for decision in decisions for task in decision.tasks.all()]
    for decision in decisions:
        # One task form per decision, each with its own ids; the refused one comes back bound.
        decision.task_form = None  # type: ignore[attr-defined]
        if can_decide:
            refused = task_form_decision is not None and task_form_decision.pk == decision.pk
            decision.task_form = (  # type: ignore[attr-defined]
                bound["task_form"]
                if refused
                else FollowUpTaskForm(auto_id=f"id_decision{decision.pk}_%s")
            )
    record_form = None
    if can_record and meeting.status != MeetingStatus.CANCELLED:
        record_form = bound.get("record_form") or RecordMeetingForm(
            committee=committee,
            initial={
                "attendees": list(meeting.attendees.all()),
                "other_attendees": meeting.other_attendees,
                "minutes": meeting.minutes,
            },
        )
    context = {
        "nav": NAV,
        "meeting": meeting,
        "committee": committee,
        "agreement": committee.agreement,
        "attendees": meeting.attendees.select_related("user", "institution"),
        "documents": meeting.documents.all(),
        "decisions": decisions,
        "today": timezone.localdate(),
        "can_record": can_record,
        "record_form": record_form,
        "cancel_form": ReasonForm()
        if can_record and meeting.status == MeetingStatus.PLANNED
        else None,
        "decision_form": (bound.get("decision_form") or DecisionForm())
        if can_decide and may_record_decisions
        else None,
        "completable": {
            task.pk for task in tasks if user.has_perm("partnerships.change_followuptask", task)
        },
    }
    return render(request, "staff/partnerships/meeting_detail.html", context, status=status)


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    return meetings_visible_to(user).select_related("committee__agreement")


class MeetingDetailView(RecordMixin, View):
    """Rule: coordinators, members of a party, committee members
    (``partnerships.view_meeting``)."""

    permission_required = "partnerships.view_meeting"
    visible = staticmethod(visible_meetings)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return meeting_page(request, self.get_record())


class MeetingRecordView(RecordMixin, View):
    """Rule: coordinators, the committee's chair and secretary
    (``partnerships.change_meeting``). Attendance, minutes and documents."""

    permission_required = "partnerships.change_meeting"
    visible = staticmethod(visible_meetings)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_record()
        form = RecordMeetingForm(request.POST, request.FILES, committee=meeting.committee)
        if form.is_valid():
            try:
                services.record_meeting(meeting=meeting, by=request.user, **form.cleaned_data)
            except MizanError as error:
                add_service_error(form, error, {"file": "documents"})
            else:
                messages.success(request, _("Meeting recorded."))
                return redirect("staff:meeting_detail", pk=meeting.pk)
        return meeting_page(request, meeting, status=400, record_form=form)


class MeetingCancelView(PostActionView):
    """Rule: coordinators, the committee's chair and secretary
    (``partnerships.change_meeting``)."""

    permission_required = "partnerships.change_meeting"
    visible = staticmethod(visible_meetings)

    def back_url(self) -> str:
        return reverse("staff:meeting_detail", args=[self.get_record().pk])

    def act(self) -> None:
        form = ReasonForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.cancel_meeting(meeting=self.get_record(), reason=reason, by=self.request.user)
        messages.success(self.request, _("Meeting cancelled."))


TASK_FIELDS = {
    "description": "task_description",
    "owner": "task_owner",
    "institution": "task_institution",
    "due_on": "task_due_on",
}


class DecisionCreateView(RecordMixin, View):
    """Rule: coordinators, the committee's chair and secretary
    (``partnerships.add_decision``). A decision, and optionally one follow-up task."""

    permission_required = "partnerships.add_decision"
    visible = staticmethod(visible_meetings)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_record()
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decision = services.record_decision(
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    tasks=form.tasks(),
                    by=request.user,
                )
            except MizanError as error:
                add_service_error(form, error, TASK_FIELDS)
            else:
                messages.success(
                    request, _("Decision %(number)s recorded.") % {"number": decision.number}
                )
                return redirect(reverse("staff:meeting_detail", args=[meeting.pk]) + "#decisions")
        return meeting_page(request, meeting, status=400, decision_form=form)


class TaskCreateView(RecordMixin, View):
    """Rule: coordinators, the committee's chair and secretary
    (``partnerships.add_decision``): a further follow-up task of a decision."""

    permission_required = "partnerships.add_decision"
    visible = staticmethod(decisions_visible_to)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision = self.get_record()
        meeting = visible_meetings(request.user).get(pk=decision.meeting_id)
        form = FollowUpTaskForm(request.POST, auto_id=f"id_decision{decision.pk}_%s")
        if form.is_valid():
            try:
                services.add_follow_up_task(decision=decision, by=request.user, **form.cleaned_data)
            except MizanError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Task added."))
                return redirect(reverse("staff:meeting_detail", args=[meeting.pk]) + "#decisions")
        return meeting_page(
            request, meeting, status=400, task_form=form, task_form_decision=decision
        )


def visible_tasks(user: Any) -> QuerySet[FollowUpTask]:
    return follow_up_tasks_visible_to(user).select_related(
        "owner", "institution", "decision__meeting__committee"
    )


class TaskCompleteView(RecordFormView):
    """Rule: the task's owner, coordinators, the committee's chair and secretary
    (``partnerships.change_followuptask``)."""

    permission_required = "partnerships.change_followuptask"
    visible = staticmethod(visible_tasks)
    form_class = CompleteTaskForm
    title = gettext_lazy("Mark the task done")
    submit_label = gettext_lazy("Mark done")
    template_name = "staff/partnerships/task_complete.html"

    def back_url(self) -> str:
        task = self.get_record()
        if self.request.user.has_perm("partnerships.view_meeting", task.decision.meeting):
            return reverse("staff:meeting_detail", args=[task.decision.meeting_id])
        return reverse("staff:agreement_list")

    def save(self, form: CompleteTaskForm) -> str:
        services.complete_follow_up_task(
            task=self.get_record(), by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Task marked done."))
        return self.back_url()


class TaskReopenView(PostActionView):
    """Rule: the task's owner, coordinators, the committee's chair and secretary
    (``partnerships.change_followuptask``)."""

    permission_required = "partnerships.change_followuptask"
    visible = staticmethod(visible_tasks)

    def back_url(self) -> str:
        return TaskCompleteView.back_url(self)  # type: ignore[arg-type]

    def act(self) -> None:
        form = ReasonForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.reopen_follow_up_task(task=self.get_record(), reason=reason, by=self.request.user)
        messages.success(self.request, _("Task reopened."))


class MeetingHistoryView(RecordMixin, TemplateView):
    """Rule: whoever may read the meeting (``partnerships.view_history``). The meeting, its
    decisions and their tasks."""

    permission_required = "partnerships.view_history"
    template_name = "staff/partnerships/history.html"
    visible = staticmethod(visible_meetings)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.get_record()
        entries = labelled(history_of(meeting), _("Meeting"))
        decision_ids = list(
            Decision.history.filter(meeting_id=meeting.pk).values_list("id", flat=True).distinct()
        )
        entries += related_history(
            [
                (Decision, _("Decision"), {"meeting_id": meeting.pk}),
                (FollowUpTask, _("Follow-up task"), {"decision_id__in": decision_ids}),
            ]
        )
        entries.sort(key=lambda e: e.when, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "record": meeting,
            "back_url": reverse("staff:meeting_detail", args=[meeting.pk]),
            "entries": entries,
        }
