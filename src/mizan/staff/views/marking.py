"""Marking the short open answers of a session's tests: the trainers and organisers of
the session (``training.mark_answers``) mark each one right or wrong, and the attempt's
score is counted again.

Answers are shown without the participant's name (blind marking): what is marked is the
answer, not the person. Other members get 403, people who are not members too, before
the session is looked up.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from mizan.core.errors import MizanError
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.training.enums import QuestionKind
from mizan.training.models import TestAnswer, TrainingSession
from mizan.training.queries import enrolments_visible_to, sessions_visible_to
from mizan.training.services.answers import mark_answer

VERDICTS = {"correct": True, "incorrect": False}


class SessionMarkingView(ReadFirstMixin, View):
    """``/staff/sessions/<pk>/marking/``. Rule: ``training.mark_answers`` on the session
    (its trainers, and the coordinators and focal points of its organisers)."""

    read_permission = "training.view_session"
    permission_required = "training.mark_answers"
    template_name = "staff/marking/session_marking.html"
    kwargs: dict[str, Any]

    @cached_property
    def session(self) -> TrainingSession:
        return get_object_or_404(sessions_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self) -> TrainingSession:
        return self.session

    def short_answers(self) -> QuerySet[TestAnswer]:
        """The session's submitted short answers the user may see."""
        return TestAnswer.objects.filter(
            attempt__enrolment__session=self.session,
            attempt__enrolment__in=enrolments_visible_to(self.request.user),
            attempt__submitted_at__isnull=False,
            question__kind=QuestionKind.SHORT_ANSWER,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        answers = list(
            self.short_answers()
            .filter(is_correct__isnull=True)
            .select_related("question", "attempt")
            .order_by("attempt__stage", "question_id", "id")
        )
        marked = self.short_answers().filter(is_correct__isnull=False).count()
        return render(
            request,
            self.template_name,
            {
                "nav": "sessions",
                "session": self.session,
                "answers": answers,
                "marked": marked,
                "back_url": self.back_url(),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        verdict = VERDICTS.get(request.POST.get("verdict", ""))
        answer_id = request.POST.get("answer", "")
        answer = (
            self.short_answers().filter(pk=int(answer_id)).first() if answer_id.isdigit() else None
        )
        if answer is None or verdict is None:
            messages.error(request, _("Choose an answer and whether it is correct."))
            return self.done(request, answer, status=400)
        try:
            mark_answer(answer=answer, is_correct=verdict, by=request.user)
        except MizanError as error:
            messages.error(request, str(error.message))
            return self.done(request, answer, status=400)
        answer.refresh_from_db()
        if not getattr(request, "htmx", False):
            messages.success(request, _("Marked correct.") if verdict else _("Marked incorrect."))
        return self.done(request, answer)

    def done(
        self, request: HttpRequest, answer: TestAnswer | None, status: int = 200
    ) -> HttpResponse:
        """After a mark: the marked row (HTMX), else back to the list."""
        if getattr(request, "htmx", False) and answer is not None:
            return render(request, "staff/marking/_marked.html", {"answer": answer}, status=status)
        return redirect("staff:session_marking", pk=self.session.pk)

    def back_url(self) -> str:
        """The session's page, once the back office has one."""
        try:
            return reverse("staff:session_detail", args=[self.session.pk])
        except NoReverseMatch:
            return ""
