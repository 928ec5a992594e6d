"""API endpoints: the requesting user's own work (the same items as the "my work" page)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from mizan.api.parsers import PARSER_CLASSES
from mizan.api.permissions import HasRulesPermission
from mizan.reminders.work import WorkItem, WorkKind, work_for


class WorkInstitutionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("In the active language."))


class WorkItemSerializer(serializers.Serializer[WorkItem]):
    kind = serializers.ChoiceField(choices=WorkKind.choices, read_only=True)
    kind_label = serializers.CharField(read_only=True, help_text=_("In the active language."))
    id = serializers.IntegerField(
        source="pk",
        read_only=True,
        help_text=_(
            "The record's id: of the assignment, action, progress report, follow-up task "
            "or meeting, depending on the kind."
        ),
    )
    title = serializers.CharField(read_only=True)
    detail = serializers.CharField(read_only=True)
    due_on = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The deadline (a meeting's day).")
    )
    starts_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("Meetings only.")
    )
    place = serializers.CharField(read_only=True, help_text=_("Meetings only."))
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    days_overdue = serializers.IntegerField(read_only=True)
    institution = WorkInstitutionSerializer(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField(help_text=_("The page of the item in Mizan."))

    def get_url(self, item: WorkItem) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(item.url) if request is not None else item.url


class WorkSerializer(serializers.Serializer[Any]):
    today = serializers.DateField(read_only=True)
    items = WorkItemSerializer(many=True, read_only=True)


class MyWorkView(APIView):
    """The requesting user's work: assigned recommendations, actions, progress reports to
    approve or to correct, follow-up tasks and coming meetings, by due date. Rule: any
    member (``reminders.view_work``)."""

    permission_classes = [HasRulesPermission]
    parser_classes = PARSER_CLASSES
    permission_required = {"get": "reminders.view_work"}

    @extend_schema(tags=["work"], responses=WorkSerializer)
    def get(self, request: Request) -> Response:
        work = work_for(request.user)
        return Response(WorkSerializer(work, context={"request": request}).data)


def register(router: SimpleRouter) -> None:
    """This area has no viewsets, only the view below."""


urlpatterns: list[URLPattern] = [path("my-work/", MyWorkView.as_view(), name="my_work")]
