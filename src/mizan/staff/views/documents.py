"""Source documents: the list, and registering a new one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView
from rules.contrib.views import PermissionRequiredMixin

from mizan.core.errors import MizanError
from mizan.recommendations import services
from mizan.recommendations.models import SourceDocument
from mizan.recommendations.queries import documents_visible_to
from mizan.staff.forms import DocumentForm
from mizan.staff.forms.errors import add_service_error


class DocumentListView(PermissionRequiredMixin, ListView):
    """Rule: any member (``recommendations.view_sourcedocument``)."""

    permission_required = "recommendations.view_sourcedocument"
    template_name = "staff/document_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[SourceDocument]:
        return (
            documents_visible_to(self.request.user)
            .annotate(n=Count("recommendations"))
            .order_by("-date", "symbol")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "nav": "documents"}


class DocumentCreateView(PermissionRequiredMixin, FormView):
    """Rule: coordinators and administrators (``recommendations.add_sourcedocument``)."""

    permission_required = "recommendations.add_sourcedocument"
    template_name = "staff/document_form.html"
    form_class = DocumentForm

    def form_valid(self, form: DocumentForm) -> HttpResponse:
        try:
            document = services.create_document(by=self.request.user, **form.cleaned_data)
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Document %(symbol)s registered.") % {"symbol": document.symbol}
        )
        return redirect(reverse("staff:recommendation_list") + f"?document={document.symbol}")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "nav": "documents"}
