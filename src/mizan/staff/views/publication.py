"""Putting records on the public portal and taking them off: a recommendation, all the
recommendations of a document, an action (with or without its training figures).

Rule: coordinators only (``reports.publish``); anyone else gets 403 before any record is
looked up. Each view is a POST from a button on the record's page, and returns there.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from mizan.actions.queries import actions_visible_to
from mizan.recommendations.queries import documents_visible_to, recommendations_visible_to
from mizan.reports import publication
from mizan.reports.publication_rules import PUBLISH
from mizan.staff.views.mixins import ReadFirstMixin


class PublishMixin(ReadFirstMixin, View):
    read_permission = PUBLISH
    permission_required = PUBLISH
    http_method_names = ["post"]


class RecommendationPublicationView(PublishMixin):
    """Rule: ``reports.publish``. ``publish`` says which way: put on, or take off."""

    publish = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        recommendation = get_object_or_404(recommendations_visible_to(request.user), pk=pk)
        if self.publish:
            publication.publish_recommendations(request.user, [recommendation.pk])
            messages.success(request, _("The recommendation is on the public portal."))
        else:
            publication.withdraw_recommendations(request.user, [recommendation.pk])
            messages.success(request, _("The recommendation is no longer on the public portal."))
        return redirect("staff:recommendation_detail", pk=recommendation.pk)


class DocumentPublicationView(PublishMixin):
    """Rule: ``reports.publish``. Every recommendation of the document at once; back to
    the recommendation the button was pressed on, if given."""

    publish = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = get_object_or_404(documents_visible_to(request.user), pk=pk)
        ids = list(
            recommendations_visible_to(request.user)
            .filter(document=document)
            .values_list("pk", flat=True)
        )
        if self.publish:
            count = len(publication.publish_recommendations(request.user, ids))
            message = ngettext(
                "%(count)d more recommendation of %(symbol)s is on the public portal.",
                "%(count)d more recommendations of %(symbol)s are on the public portal.",
                count,
            )
        else:
            count = len(publication.withdraw_recommendations(request.user, ids))
            message = ngettext(
                "%(count)d recommendation of %(symbol)s was taken off the public portal.",
                "%(count)d recommendations of %(symbol)s were taken off the public portal.",
                count,
            )
        messages.success(request, message % {"count": count, "symbol": document.symbol})
        back = request.POST.get("recommendation", "")
        if back.isdigit() and int(back) in ids:
            return redirect("staff:recommendation_detail", pk=int(back))
        return redirect("staff:document_list")


class ActionPublicationView(PublishMixin):
    """Rule: ``reports.publish``. Publishing reads ``with_figures`` (a checkbox): the
    aggregated training figures are shown too."""

    publish = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = get_object_or_404(actions_visible_to(request.user), pk=pk)
        if self.publish:
            with_figures = request.POST.get("with_figures") in {"1", "on", "true"}
            action = publication.publish_action(request.user, action, with_figures=with_figures)
            messages.success(
                request,
                _("The action and its training figures are on the public portal.")
                if action.training_figures_published
                else _("The action is on the public portal."),
            )
        else:
            publication.withdraw_action(request.user, action)
            messages.success(request, _("The action is no longer on the public portal."))
        return redirect("staff:action_detail", pk=action.pk)
