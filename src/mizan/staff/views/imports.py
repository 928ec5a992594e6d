"""Uploading a file of recommendations: a preview with every problem, then the import.

The upload is kept in the default storage (shared by all application servers) between the
preview and the confirmation; nothing reaches the registry before the user confirms, and
then all rows are written or none.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from mizan.recommendations.importers import ImportRejected, import_recommendations
from mizan.staff.forms import ImportForm

SESSION_KEY = "mizan_pending_import"


def guess_format(name: str, chosen: str) -> str:
    if chosen:
        return chosen
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return suffix if suffix in {"csv", "xlsx", "json"} else "csv"


class ImportView(PermissionRequiredMixin, View):
    """Rule: ``recommendations.import_recommendations`` (coordinators, administrators)."""

    permission_required = "recommendations.import_recommendations"
    template_name = "staff/import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ImportForm(), "nav": "recommendations"})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form, "nav": "recommendations"}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > settings.MIZAN_MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is larger than 50 MB."))
            return render(request, self.template_name, context, status=400)
        data = upload.read()
        file_format = guess_format(upload.name, form.cleaned_data["format"])
        create_terms = form.cleaned_data["create_terms"]
        try:
            summary = import_recommendations(
                data, format=file_format, dry_run=True, create_terms=create_terms, by=request.user
            )
        except ImportRejected as rejected:
            context.update(problems=rejected.problems, file_name=upload.name)
            return render(request, self.template_name, context, status=400)
        token = uuid.uuid4().hex
        path = default_storage.save(f"imports/{token}.{file_format}", ContentFile(data))
        request.session[SESSION_KEY] = {
            "path": path,
            "format": file_format,
            "create_terms": create_terms,
            "name": upload.name,
        }
        context.update(summary=summary, file_name=upload.name)
        return render(request, self.template_name, context)


class ImportConfirmView(PermissionRequiredMixin, View):
    """Rule: ``recommendations.import_recommendations`` (coordinators, administrators)."""

    permission_required = "recommendations.import_recommendations"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        pending = request.session.pop(SESSION_KEY, None)
        if not pending or not default_storage.exists(pending["path"]):
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("staff:import")
        with default_storage.open(pending["path"], "rb") as handle:
            data = handle.read()
        default_storage.delete(pending["path"])
        try:
            summary = import_recommendations(
                data,
                format=pending["format"],
                create_terms=pending["create_terms"],
                by=request.user,
            )
        except ImportRejected as rejected:
            return render(
                request,
                "staff/import.html",
                {
                    "form": ImportForm(),
                    "problems": rejected.problems,
                    "file_name": pending["name"],
                    "nav": "recommendations",
                },
                status=400,
            )
        messages.success(
            request,
            _("Import finished: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            },
        )
        return redirect("staff:recommendation_list")
