"""Reports on one training session and on one curriculum version (PDF, DOCX, XLSX).

Being written; the signatures are fixed so that the ``report`` command can call them."""

from __future__ import annotations

from typing import Any

from mizan.reports.documents import ReportFile


def session_report_file(session: Any, *, language: str, format: str) -> ReportFile:
    raise NotImplementedError


def version_report_file(version: Any, *, language: str, format: str) -> ReportFile:
    raise NotImplementedError
