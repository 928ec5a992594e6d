"""Reading a UN document in: upload a PDF, DOCX or text file (or paste the text), correct
the recommendations found in a preview table, then import them with the importer, all
or nothing.

The rows found are a draft kept in the default storage (shared by all application
servers), named by a random token that only the session which made it holds; nothing
reaches the registry before the user imports, and the import writes every row or none,
with its history rows, as an uploaded file would.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from mizan.assist.intake import (
    IntakeResult,
    IntakeRow,
    guess_mechanism,
    parse_text,
    read_document,
    write_csv,
)
from mizan.assist.intake_readers import UnreadableDocument
from mizan.recommendations.importers import (
    ImportProblem,
    ImportRejected,
    ImportSummary,
    import_recommendations,
)
from mizan.staff.forms.intake import IntakeForm, IntakeRowForm

SESSION_KEY = "mizan_intake_drafts"
#: Drafts a session keeps; an older one is forgotten (and its file deleted).
MAX_DRAFTS = 5
TEMPLATE = "staff/intake/intake.html"
DRAFT_TEMPLATE = "staff/intake/draft.html"
PERMISSION = "assist.intake_document"


# --- Drafts --------------------------------------------------------------------------------


def _path(token: str) -> str:
    return f"intake/{token}.json"


def _save_draft(request: HttpRequest, token: str, draft: dict[str, Any]) -> None:
    path = _path(token)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(draft).encode()))
    tokens = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    tokens.append(token)
    for old in tokens[:-MAX_DRAFTS]:
        _delete_draft(old)
    request.session[SESSION_KEY] = tokens[-MAX_DRAFTS:]


def _delete_draft(token: str) -> None:
    if default_storage.exists(_path(token)):
        default_storage.delete(_path(token))


def _load_draft(request: HttpRequest, token: str) -> dict[str, Any]:
    """The session's draft, else 404: a token from another session is never read."""
    if token not in request.session.get(SESSION_KEY, []) or not default_storage.exists(
        _path(token)
    ):
        raise Http404(_("This preview is no longer available; read the document again."))
    with default_storage.open(_path(token), "rb") as handle:
        draft: dict[str, Any] = json.loads(handle.read())
    return draft


def _draft_csv(draft: dict[str, Any]) -> str:
    return write_csv(
        (
            IntakeRow(r["paragraph"], r["text"], r["recommending_state"], r["language"])
            for r in draft["rows"]
            if not r["dropped"]
        ),
        document=draft["document"],
        mechanism=draft["mechanism"],
        state_under_review=draft["state_under_review"],
    )


def _row_numbers(draft: dict[str, Any]) -> dict[int, int]:
    """CSV line → the row's number in the preview table (dropped rows are not in the CSV)."""
    numbers = {}
    line = 2
    for number, row in enumerate(draft["rows"], 1):
        if not row["dropped"]:
            numbers[line] = number
            line += 1
    return numbers


def _problems_by_row(
    draft: dict[str, Any], problems: list[ImportProblem]
) -> tuple[dict[int, list[str]], list[ImportProblem]]:
    """Each problem on its preview row; those about no row (or the header) apart."""
    numbers = _row_numbers(draft)
    by_row: dict[int, list[str]] = {}
    general = []
    for problem in problems:
        number = numbers.get(problem.line or 0)
        if number is None:
            general.append(problem)
        else:
            by_row.setdefault(number, []).append(problem.reason)
    return by_row, general


def _check(draft: dict[str, Any], user: Any) -> tuple[ImportSummary | None, list[ImportProblem]]:
    """A dry run of the import on the kept rows."""
    if not any(not row["dropped"] for row in draft["rows"]):
        return None, []
    try:
        summary = import_recommendations(
            _draft_csv(draft).encode(), format="csv", dry_run=True, by=user
        )
    except ImportRejected as rejected:
        return None, rejected.problems
    return summary, []


# --- Views ---------------------------------------------------------------------------------


class IntakeView(PermissionRequiredMixin, View):
    """Rule: ``assist.intake_document`` (coordinators)."""

    permission_required = PERMISSION

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, TEMPLATE, {"form": IntakeForm(), "nav": "recommendations"})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = IntakeForm(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form, "nav": "recommendations"}
        if not form.is_valid():
            return render(request, TEMPLATE, context, status=400)
        data = form.cleaned_data
        language = data["language"] or None
        upload = data["file"]
        try:
            if upload is not None:
                if upload.size > settings.MIZAN_MAX_IMPORT_BYTES:
                    raise UnreadableDocument(_("The file is larger than 50 MB."), field="file")
                result = read_document(upload.read(), language=language)
                name = upload.name
            else:
                result = parse_text(data["text"], language=language)
                name = _("Pasted text")
        except UnreadableDocument as error:
            form.add_error("file", error.message)
            return render(request, TEMPLATE, context, status=400)
        symbol = data["document"].strip()
        token = uuid.uuid4().hex
        _save_draft(request, token, _draft(result, data, symbol, name))
        return redirect("staff:intake_draft", token=token)


def _draft(result: IntakeResult, data: dict[str, Any], symbol: str, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "document": symbol,
        "mechanism": data["mechanism"].strip().upper() or guess_mechanism(symbol),
        "state_under_review": data["state_under_review"].strip(),
        "language": result.language,
        "layout": result.layout,
        "source": result.source,
        "symbol_found": result.symbol,
        "warnings": result.warnings,
        "rows": [
            {
                "paragraph": row.paragraph,
                "text": row.text,
                "recommending_state": row.recommending_state,
                "language": row.language,
                "dropped": False,
            }
            for row in result.rows
        ],
    }


class _DraftMixin(PermissionRequiredMixin):
    permission_required: str | tuple[str, ...] = PERMISSION

    def draft_context(
        self,
        request: HttpRequest,
        token: str,
        draft: dict[str, Any],
        problems: list[ImportProblem] | None = None,
    ) -> dict[str, Any]:
        summary, checked = (None, problems) if problems is not None else _check(draft, request.user)
        by_row, general = _problems_by_row(draft, checked or [])
        rows = [
            {**row, "number": number, "problems": by_row.get(number, [])}
            for number, row in enumerate(draft["rows"], 1)
        ]
        return {
            "token": token,
            "draft": draft,
            "rows": rows,
            "kept": sum(1 for row in draft["rows"] if not row["dropped"]),
            "summary": summary,
            "problems": checked,
            "general_problems": general,
            "symbol_differs": bool(draft["symbol_found"])
            and draft["symbol_found"].casefold() != draft["document"].casefold(),
            "nav": "recommendations",
        }


class IntakeDraftView(_DraftMixin, View):
    """The rows found, with the import's dry run. Rule: ``assist.intake_document``."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        draft = _load_draft(request, token)
        return render(request, DRAFT_TEMPLATE, self.draft_context(request, token, draft))


class IntakeCsvView(_DraftMixin, View):
    """The kept rows as the CSV file ``mizan import`` reads. Rule: ``assist.intake_document``."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        draft = _load_draft(request, token)
        response = HttpResponse(
            _draft_csv(draft).encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="intake.csv"'
        return response


class _RowMixin(_DraftMixin):
    def row(self, request: HttpRequest, token: str, number: int) -> tuple[dict[str, Any], dict]:
        draft = _load_draft(request, token)
        if not 1 <= number <= len(draft["rows"]):
            raise Http404(_("There is no such row."))
        return draft, draft["rows"][number - 1]

    def row_response(
        self, request: HttpRequest, token: str, draft: dict[str, Any], number: int
    ) -> HttpResponse:
        """The row again: the table row alone for HTMX, else the whole preview."""
        if getattr(request, "htmx", False):
            context = self.draft_context(request, token, draft)
            return render(
                request,
                f"{DRAFT_TEMPLATE}#row",
                {**context, "row": context["rows"][number - 1]},
            )
        return redirect(reverse("staff:intake_draft", kwargs={"token": token}) + f"#row-{number}")


class IntakeRowEditView(_RowMixin, View):
    """Correct a row's paragraph, text or recommending state. Rule: ``assist.intake_document``."""

    template_name = "staff/intake/row_form.html"

    def get(self, request: HttpRequest, token: str, number: int) -> HttpResponse:
        _unused, row = self.row(request, token, number)
        form = IntakeRowForm(initial=row)
        return self.form_response(request, token, number, form)

    def post(self, request: HttpRequest, token: str, number: int) -> HttpResponse:
        draft, row = self.row(request, token, number)
        form = IntakeRowForm(request.POST)
        if not form.is_valid():
            return self.form_response(request, token, number, form, status=400)
        row.update(
            paragraph=form.cleaned_data["paragraph"].strip(),
            text=" ".join(form.cleaned_data["text"].split()),
            recommending_state=form.cleaned_data["recommending_state"].strip(),
        )
        _save_draft(request, token, draft)
        return self.row_response(request, token, draft, number)

    def form_response(
        self, request: HttpRequest, token: str, number: int, form: IntakeRowForm, status: int = 200
    ) -> HttpResponse:
        context = {"token": token, "number": number, "form": form, "nav": "recommendations"}
        if getattr(request, "htmx", False):
            return render(request, f"{self.template_name}#form", context, status=status)
        return render(request, self.template_name, context, status=status)


class IntakeRowDropView(_RowMixin, View):
    """Leave a row out of the import, or take it back. Rule: ``assist.intake_document``."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, token: str, number: int) -> HttpResponse:
        draft, row = self.row(request, token, number)
        row["dropped"] = not row["dropped"]
        _save_draft(request, token, draft)
        return self.row_response(request, token, draft, number)


class IntakeImportView(_DraftMixin, View):
    """Import the kept rows: all or nothing. Rule: ``assist.intake_document``, and the
    importer's own rule, ``recommendations.import_recommendations``."""

    permission_required = (PERMISSION, "recommendations.import_recommendations")
    http_method_names = ["post"]

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        draft = _load_draft(request, token)
        if not any(not row["dropped"] for row in draft["rows"]):
            messages.error(request, _("Every row is left out: there is nothing to import."))
            return redirect("staff:intake_draft", token=token)
        try:
            summary = import_recommendations(
                _draft_csv(draft).encode(), format="csv", by=request.user
            )
        except ImportRejected as rejected:
            context = self.draft_context(request, token, draft, problems=rejected.problems)
            return render(request, DRAFT_TEMPLATE, context, status=400)
        _delete_draft(token)
        request.session[SESSION_KEY] = [
            t for t in request.session.get(SESSION_KEY, []) if t != token
        ]
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
