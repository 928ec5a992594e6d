"""The institution directory: the tree of institutions with their focal persons, each
institution's page (units, members, recommendations and actions), and keeping it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.accounts.enums import Role
from mizan.accounts.models import Membership
from mizan.actions.models import Action
from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.institutions import services
from mizan.institutions.models import Institution
from mizan.institutions.queries import institution_tree
from mizan.recommendations.enums import ImplementationStatus
from mizan.recommendations.models import Assignment
from mizan.recommendations.queries import recommendations_visible_to
from mizan.staff.forms.errors import add_service_error
from mizan.staff.forms.institutions import InstitutionForm, MembershipForm

#: A recommendation in one of these states is no longer waited for.
SETTLED = {ImplementationStatus.IMPLEMENTED, ImplementationStatus.NOT_IMPLEMENTED}


def focal_persons_by_institution() -> dict[int, list[Membership]]:
    """institution id → its focal points' memberships, with their users: one query."""
    found: dict[int, list[Membership]] = defaultdict(list)
    memberships = (
        Membership.objects.filter(role=Role.FOCAL_POINT)
        .select_related("user")
        .order_by("user__display_name", "user__username")
    )
    for membership in memberships:
        found[membership.institution_id].append(membership)
    return found


class InstitutionListView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``institutions.view_institution``). The hierarchy, a unit indented
    under its directorate, with each institution's focal persons."""

    permission_required = "institutions.view_institution"
    template_name = "staff/institutions/institution_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        focal = focal_persons_by_institution()
        rows = [
            {
                "institution": institution,
                "depth": depth,
                "focal_persons": focal.get(institution.pk, []),
            }
            for institution, depth in institution_tree()
        ]
        return {
            **super().get_context_data(**kwargs),
            "nav": "institutions",
            "rows": rows,
            "can_add": self.request.user.has_perm("institutions.add_institution"),
        }


class InstitutionDetailView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``institutions.view_institution``). Members are managed by those
    who may change the institution (``institutions.change_institution``: coordinators and
    administrators)."""

    permission_required = "institutions.view_institution"
    template_name = "staff/institutions/institution_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        institution = get_object_or_404(
            Institution.objects.select_related("parent"), pk=kwargs["pk"]
        )
        memberships = list(
            institution.memberships.select_related("user").order_by(
                "role", "user__display_name", "user__username"
            )
        )
        by_role: dict[str, list[Membership]] = defaultdict(list)
        for membership in memberships:
            by_role[membership.role].append(membership)
        visible = recommendations_visible_to(self.request.user)
        assignments = (
            Assignment.objects.filter(institution=institution, recommendation__in=visible)
            .select_related("recommendation__document")
            .order_by("due_date", "recommendation__document__symbol", "recommendation_id")
        )
        today = timezone.localdate()
        assigned = [
            {
                "assignment": assignment,
                "overdue": bool(
                    assignment.due_date
                    and assignment.due_date < today
                    and assignment.recommendation.status not in SETTLED
                ),
            }
            for assignment in assignments
        ]
        can_change = self.request.user.has_perm("institutions.change_institution")
        return {
            **super().get_context_data(**kwargs),
            "nav": "institutions",
            "institution": institution,
            "units": institution.units.all(),
            "focal_persons": by_role.get(Role.FOCAL_POINT, []),
            "members_by_role": [
                (label, by_role[value]) for value, label in Role.choices if by_role.get(value)
            ],
            "assigned": assigned,
            "actions": Action.objects.filter(lead_institution=institution).order_by("due_on", "id"),
            "can_change": can_change,
            "membership_form": MembershipForm() if can_change else None,
        }


class InstitutionFormMixin(PermissionRequiredMixin, FormView):
    template_name = "staff/institutions/institution_form.html"
    form_class = InstitutionForm
    institution: Institution | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.institution}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "institutions",
            "institution": self.institution,
        }

    def save(self, form: InstitutionForm) -> Institution:
        raise NotImplementedError

    def form_valid(self, form: InstitutionForm) -> HttpResponse:
        try:
            institution = self.save(form)
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Institution saved."))
        return redirect("staff:institution_detail", pk=institution.pk)


class InstitutionCreateView(InstitutionFormMixin):
    """Rule: coordinators and administrators (``institutions.add_institution``)."""

    permission_required = "institutions.add_institution"

    def get_initial(self) -> dict[str, Any]:
        parent = self.request.GET.get("parent")
        return {"parent": parent} if parent and parent.isdigit() else {}

    def save(self, form: InstitutionForm) -> Institution:
        data = form.cleaned_data
        return services.create_institution(
            code=data["code"],
            names=form.names(),
            kind=data["kind"],
            acronym=data["acronym"],
            parent=data["parent"],
            by=self.request.user,
        )


class InstitutionEditView(InstitutionFormMixin):
    """Rule: coordinators and administrators (``institutions.change_institution``)."""

    permission_required = "institutions.change_institution"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.has_permission():
            return self.handle_no_permission()
        self.institution = get_object_or_404(Institution, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        institution = self.institution
        assert institution is not None
        initial: dict[str, Any] = {
            "code": institution.code,
            "acronym": institution.acronym,
            "kind": institution.kind,
            "parent": institution.parent,
        }
        for code in INTERFACE_LANGUAGES:
            initial[f"name_{code}"] = (institution.names or {}).get(code, "")
        return initial

    def save(self, form: InstitutionForm) -> Institution:
        data = form.cleaned_data
        assert self.institution is not None
        return services.update_institution(
            institution=self.institution,
            code=data["code"],
            names=form.names(),
            kind=data["kind"],
            acronym=data["acronym"],
            parent=data["parent"],
            by=self.request.user,
        )


class MembershipAddView(PermissionRequiredMixin, View):
    """Rule: coordinators and administrators (``institutions.change_institution``): name a
    focal person, or give anyone another role in the institution."""

    permission_required = "institutions.change_institution"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        institution = get_object_or_404(Institution, pk=pk)
        form = MembershipForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a person and a role."))
        else:
            try:
                services.add_membership(
                    institution=institution,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
            except MizanError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("Member added."))
        return redirect("staff:institution_detail", pk=institution.pk)


class MembershipRemoveView(PermissionRequiredMixin, View):
    """Rule: coordinators and administrators (``institutions.change_institution``)."""

    permission_required = "institutions.change_institution"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
        institution = get_object_or_404(Institution, pk=pk)
        membership = get_object_or_404(institution.memberships, pk=membership_pk)
        services.remove_membership(membership=membership, by=request.user)
        messages.success(request, _("Member removed."))
        return redirect("staff:institution_detail", pk=institution.pk)
