"""The API's permission check: membership first, then the django-rules permission of the action.

A view names the permission of each action in ``permission_required``; an action it does not
name is refused, so a new action is closed until someone decides who may use it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

#: The permission every endpoint requires before its own (see ``mizan/api/rules.py``).
API_ACCESS = "api.access"

#: The permissions ``/api/v1/me/`` reports, so a client offers only what the user may do.
#: Only the registry's exist as rules so far; each app adds its own here.
REPORTED_PERMISSIONS = (
    "recommendations.view_recommendation",
    "recommendations.add_recommendation",
    "recommendations.change_recommendation",
    "recommendations.delete_recommendation",
    "recommendations.import_recommendations",
    "recommendations.export_recommendations",
    "recommendations.add_sourcedocument",
    "recommendations.change_sourcedocument",
    "recommendations.add_tagging",
    "recommendations.confirm_tagging",
    "recommendations.delete_tagging",
    "recommendations.assign_recommendation",
    "recommendations.assess_as_state",
    "recommendations.assess_as_nhri",
    "institutions.add_institution",
    "institutions.change_institution",
    "actions.view_action",
    "actions.add_action",
    "partnerships.add_partnershipagreement",
    "partnerships.add_jointcommittee",
    "reminders.view_work",
    "reminders.manage_calendar_feed",
    "training.add_curriculum",
    "training.change_curriculum",
    "training.view_question",
    "training.view_session",
    "training.add_session",
    "training.nominate",
    "suggestions.view_suggestion",
    "suggestions.add_suggestion",
    "suggestions.integrate_suggestion",
)


def required_permission(view: APIView, request: Request) -> str | None:
    """The permission ``view`` requires for this request's action (or HTTP method)."""
    required: dict[str, str] = getattr(view, "permission_required", {})
    method = (request.method or "").lower()
    # A viewset's action comes from the request's method rather than ``view.action``, so
    # that DRF's OPTIONS answer, which checks each method in turn, offers only what the
    # user may do.
    action_map: dict[str, str] | None = getattr(view, "action_map", None)
    action: str | None = method
    if action_map is not None:
        action = action_map.get(method) or getattr(view, "action", None)
    if action == "metadata":
        # OPTIONS describes the endpoint: whoever may read it may ask.
        return required.get("list") or required.get("retrieve") or required.get("get")
    return required.get(action) if action else None


class HasRulesPermission(BasePermission):
    """Anonymous → 401 (DRF turns a refusal without credentials into 401); no membership or
    missing permission → 403."""

    message: Any = _("You do not have permission to do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if not user.has_perm(API_ACCESS):
            self.message = _("Your account has no role in any institution.")
            return False
        if not hasattr(view, (request.method or "").lower()):
            # A method the endpoint does not offer: let DRF answer 405 with the methods it
            # does, rather than a 403 that suggests another role could use it.
            return True
        permission = required_permission(view, request)
        return permission is not None and user.has_perm(permission)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        permission = required_permission(view, request)
        return permission is not None and request.user.has_perm(permission, obj)


class IsMember(BasePermission):
    """For the schema and its docs page: any member of an institution."""

    message: Any = _("Your account has no role in any institution.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(API_ACCESS))
