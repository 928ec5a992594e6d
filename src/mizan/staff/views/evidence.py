"""Downloading evidence files."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from mizan.partnerships.queries import evidence_visible_to


class EvidenceDownloadView(PermissionRequiredMixin, View):
    """Rule: any member (``evidence.view_evidencefile``), among the files
    ``evidence_visible_to`` gives them (an agreement's or a meeting's documents only to
    those who see it; others get 404). The file is sent as an
    attachment with the type found in its content, so a browser never renders it inline
    as something else."""

    permission_required = "evidence.view_evidencefile"

    def get(self, request: Any, pk: int) -> FileResponse:
        evidence = get_object_or_404(evidence_visible_to(request.user), pk=pk)
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.name,
            content_type=evidence.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
