"""The pages a participant opens with their personal link, on a phone, with no account:
what is open now, the pre- and post-test, the evaluations, the action plan, the follow-up
survey and the report of a cascade session. A relay trainer's link (one with no
enrolment) opens only the cascade report.

Every page looks the link up first; an unknown, expired or revoked token gets the same
"link not found" page (404), so guessing learns nothing. Pages are not cached
(``Cache-Control: no-store``) and send no referrer, so the token does not leak.

Language: a page speaks the session's language, unless the participant chose another
with the links in the header (``?lang=fr``). The choice is kept in its own cookie
(``mizan_participant_language``, path ``/p/``), which the staff pages and the browser's
preferences do not touch, and the page is rendered inside
``translation.override(language)``, so form errors come in that language too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.response import SimpleTemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.institutions.models import Institution
from mizan.participant.identity import remember_link
from mizan.training.enums import (
    CHOICE_KINDS,
    EnrolmentStatus,
    EvaluationKind,
    PlanKept,
    QuestionKind,
    SessionStatus,
    TestStage,
)
from mizan.training.models import (
    ActionPlan,
    CascadeSession,
    Certificate,
    Choice,
    Enrolment,
    Evaluation,
    FollowUpResponse,
    Module,
    Participant,
    PersonalLink,
    TestAttempt,
    TestFormQuestion,
    TrainingSession,
)
from mizan.training.services import answers as services
from mizan.training.services.cascades import AudienceCount, report_cascade, source_of
from mizan.training.services.sessions import open_personal_link

LANGUAGE_PARAM = "lang"
LANGUAGE_COOKIE = "mizan_participant_language"
LANGUAGE_COOKIE_PATH = "/p/"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
SCALE_CHOICES = [(n, str(n)) for n in range(1, 6)]
#: Rows of the cascade report's audience: one per institution (or "other").
AUDIENCE_ROWS = 4
OTHER = "other"


# --- Language and headers ------------------------------------------------------------------


def _chosen_language(request: HttpRequest) -> tuple[str | None, bool]:
    """The language the participant chose (and whether they chose it just now)."""
    asked = request.GET.get(LANGUAGE_PARAM, "")
    if asked in INTERFACE_LANGUAGES:
        return asked, True
    kept = request.COOKIES.get(LANGUAGE_COOKIE, "")
    return (kept if kept in INTERFACE_LANGUAGES else None), False


def _language_links(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            # Only a query: it resolves against the page's own address, and the page
            # repeats no token (the "link not found" page is the same for every token).
            "url": f"?{LANGUAGE_PARAM}={code}",
            "current": code == current,
        }
        for code in INTERFACE_LANGUAGES
    ]


def _protect(response: HttpResponseBase, language: str) -> HttpResponseBase:
    """The token is in the address: nothing is cached, no referrer is sent."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["Content-Language"] = language
    response["Vary"] = "Cookie"
    return response


def _render_now(response: HttpResponseBase) -> HttpResponseBase:
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()
    return response


def link_not_found(request: HttpRequest) -> HttpResponseBase:
    """The one page for an unknown, expired or revoked link."""
    chosen, just_now = _chosen_language(request)
    language = chosen or translation.get_language() or settings.LANGUAGE_CODE
    if language not in INTERFACE_LANGUAGES:
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        response = render(
            request,
            "participant/link_not_found.html",
            {"language_links": _language_links(request, language)},
            status=404,
        )
    if just_now:
        _keep_language(response, language)
    return _protect(response, language)


def _keep_language(response: HttpResponseBase, language: str) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_AGE,
        path=LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        httponly=True,
        secure=not settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False),
    )


def _label(model: Any, name: str) -> Any:
    """The verbose name of a model's field: the forms ask what the records say."""
    return getattr(model._meta.get_field(name), "verbose_name", name)


class NotFound(Exception):
    """Raised inside a page: answer with the "link not found" page."""


# --- The base of every page ----------------------------------------------------------------


class LinkPage(View):
    """A page under ``/p/<token>/``. Subclasses set ``template_name`` and use
    ``self.link``, ``self.participant``, ``self.enrolment`` and ``self.session``."""

    template_name = ""
    #: False for the pages a relay trainer's link (no enrolment) opens too.
    needs_enrolment = True
    request: HttpRequest
    link: PersonalLink
    participant: Participant
    enrolment: Enrolment | None
    session: TrainingSession | None
    language: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The link acts here, not an account signed in on the same phone or browser: the
        # audit trail (which reads ``request.user``) must not name that account on what
        # the participant records, above all on anonymous evaluations and suggestions.
        request.user = AnonymousUser()
        link = open_personal_link(kwargs.pop("token", ""))
        if link is None:
            return link_not_found(request)
        enrolment = link.enrolment
        if enrolment is not None and enrolment.status != EnrolmentStatus.APPROVED:
            return link_not_found(request)
        if enrolment is None and self.needs_enrolment:
            return link_not_found(request)
        self.link, self.participant, self.enrolment = link, link.participant, enrolment
        self.session = enrolment.session if enrolment is not None else self.relay_source
        chosen, just_now = _chosen_language(request)
        language = chosen or (self.session.language if self.session else "")
        self.language = language if language in INTERFACE_LANGUAGES else settings.LANGUAGE_CODE
        with translation.override(self.language):
            try:
                response = _render_now(super().dispatch(request, *args, **kwargs))
            except (NotFound, Http404):
                return link_not_found(request)
        if just_now:
            _keep_language(response, self.language)
        return _protect(response, self.language)

    @cached_property
    def relay_source(self) -> TrainingSession | None:
        """For a link with no enrolment: the session the person's cascades descend from."""
        try:
            return source_of(self.link.participant)[0]
        except MizanError:
            return None

    @cached_property
    def now(self) -> Any:
        return timezone.now()

    @cached_property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"participant:{name}", args=[self.link.token, *args])

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "link": self.link,
            "token": self.link.token,
            "participant": self.participant,
            "enrolment": self.enrolment,
            "session": self.session,
            "home_url": self.url("home"),
            "language_links": _language_links(self.request, self.language),
            **extra,
        }

    def page(self, status: int = 200, **extra: Any) -> HttpResponse:
        return render(self.request, self.template_name, self.context(**extra), status=status)

    def require_enrolment(self) -> Enrolment:
        if self.enrolment is None:
            raise NotFound
        return self.enrolment


def show_service_error(
    form: forms.Form, error: MizanError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's refusal next to the field it names, else above the form."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, str(error.message))


# --- Home ----------------------------------------------------------------------------------


@dataclass
class Task:
    """One line of the home page: what to do, where, and whether it is done."""

    label: str
    url: str
    #: None for a line that is never "done" (reporting cascades, the certificate).
    done: bool | None


class HomeView(LinkPage):
    """``/p/<token>/``: what is open now, each marked done or to do; remembers the link on
    this phone (for the QR check-in)."""

    template_name = "participant/home.html"
    needs_enrolment = False

    def get(self, request: HttpRequest) -> HttpResponse:
        tasks = self.tasks()
        response = self.page(
            tasks=tasks,
            organisers=self.organisers(),
            cancelled=bool(
                self.session is not None and self.session.status == SessionStatus.CANCELLED
            ),
            **self.suggestions(),
        )
        remember_link(response, self.link)
        return response

    def suggestions(self) -> dict[str, Any]:
        """The "Suggestions" section (see ``suggestions.home_section``)."""
        # Imported here: that module builds on this one's ``LinkPage``.
        from mizan.participant.views.suggestions import home_section

        return home_section(self.link, self.enrolment)

    def organisers(self) -> list[Institution]:
        if self.session is None:
            return []
        return sorted(self.session.organisers.all(), key=lambda i: i.name.casefold())

    def tasks(self) -> list[Task]:
        if self.enrolment is None:
            return [Task(_("Report a session you gave"), self.url("cascade"), None)]
        enrolment, session, today = self.enrolment, self.enrolment.session, self.today
        if session.status == SessionStatus.CANCELLED:
            return []
        submitted = set(
            TestAttempt.objects.filter(enrolment=enrolment, submitted_at__isnull=False).values_list(
                "stage", flat=True
            )
        )
        tasks: list[Task] = []
        if TestStage.PRE in submitted or services.stage_window(session, TestStage.PRE).is_open(
            self.now
        ):
            tasks.append(
                Task(_("Pre-test"), self.url("test", TestStage.PRE), TestStage.PRE in submitted)
            )
        day = services.course_day(session, today)
        if day is not None:
            tasks.append(
                Task(
                    _("Evaluation of day %(day)s") % {"day": day},
                    self.url("evaluation", EvaluationKind.DAILY, day),
                    services.has_evaluated(enrolment, EvaluationKind.DAILY, day),
                )
            )
        if TestStage.POST in submitted or services.stage_window(session, TestStage.POST).is_open(
            self.now
        ):
            tasks.append(
                Task(_("Post-test"), self.url("test", TestStage.POST), TestStage.POST in submitted)
            )
        if today >= session.ends_on:
            tasks.append(
                Task(
                    _("Evaluation of the whole course"),
                    self.url("evaluation", EvaluationKind.FINAL, 0),
                    services.has_evaluated(enrolment, EvaluationKind.FINAL, 0),
                )
            )
        if today >= session.starts_on:
            tasks.append(
                Task(
                    _("My action plan"),
                    self.url("action_plan"),
                    ActionPlan.objects.filter(enrolment=enrolment).exists(),
                )
            )
        answered = services.follow_up_answered(enrolment)
        if answered or services.follow_up_is_open(session, today):
            tasks.append(Task(_("Follow-up survey"), self.url("follow_up"), answered))
        if today > session.ends_on:
            tasks.append(Task(_("Report a session you gave"), self.url("cascade"), None))
        certificate = self.certificate_url()
        if certificate:
            tasks.append(Task(_("My certificate"), certificate, None))
        return tasks

    def certificate_url(self) -> str:
        """The certificate page, once a certificate was issued and that page exists."""
        held = Certificate.objects.filter(enrolment=self.enrolment, revoked_at__isnull=True)
        if not held.exists():
            return ""
        try:
            url = reverse("participant:certificate", args=[self.link.token])
        except NoReverseMatch:
            return ""
        # The PDF in the language the participant reads the page in.
        return f"{url}?{LANGUAGE_PARAM}={self.language}"


# --- Tests ---------------------------------------------------------------------------------


class TestPaper(forms.Form):
    """The questions of a test form, in order, one field each (``question_<id>``)."""

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, *args: Any, items: list[TestFormQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            question = item.question
            field: forms.Field
            if question.kind in CHOICE_KINDS:
                choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
                if question.kind == QuestionKind.MULTIPLE_CHOICE:
                    field = forms.MultipleChoiceField(
                        choices=choices,
                        widget=forms.CheckboxSelectMultiple,
                        help_text=gettext_lazy("Tick every right answer."),
                    )
                else:
                    field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            else:
                field = forms.CharField(
                    max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
                    help_text=gettext_lazy("A few sentences are enough."),
                )
            field.label = question.prompt
            self.fields[f"question_{question.pk}"] = field

    def answers(self) -> dict[int, Any]:
        return {
            item.question_id: self.cleaned_data[f"question_{item.question_id}"]
            for item in self.items
        }


@dataclass
class ResultLine:
    number: int
    prompt: str
    answer: str
    is_correct: bool | None


class TestView(LinkPage):
    """``/p/<token>/test/<stage>/``: the pre- or post-test on one page; once submitted,
    the score (and, after the post-test, which answers were right)."""

    __test__ = False
    template_name = "participant/test.html"

    def stage(self) -> str:
        stage = self.kwargs["stage"]
        if stage not in TestStage.values:
            raise NotFound
        return stage

    def items(self, attempt: TestAttempt) -> list[TestFormQuestion]:
        return list(
            TestFormQuestion.objects.filter(form_id=attempt.form_id)
            .order_by("position")
            .select_related("question")
            .prefetch_related(
                Prefetch("question__choices", queryset=Choice.objects.order_by("order", "id"))
            )
        )

    def get(self, request: HttpRequest, stage: str) -> HttpResponse:
        enrolment = self.require_enrolment()
        stage = self.stage()
        attempt = TestAttempt.objects.filter(enrolment=enrolment, stage=stage).first()
        if attempt is not None and attempt.submitted_at is not None:
            return self.result(attempt)
        try:
            attempt = services.start_test(enrolment=enrolment, stage=stage)
        except MizanError as error:
            return self.page(stage_label=TestStage(stage).label, closed=str(error.message))
        return self.paper(stage, TestPaper(items=self.items(attempt)))

    def post(self, request: HttpRequest, stage: str) -> HttpResponse:
        enrolment = self.require_enrolment()
        stage = self.stage()
        try:
            attempt = services.start_test(enrolment=enrolment, stage=stage)
        except MizanError as error:
            if error.code == "already_submitted":
                return redirect(self.url("test", stage))
            return self.page(stage_label=TestStage(stage).label, closed=str(error.message))
        form = TestPaper(request.POST, items=self.items(attempt))
        if form.is_valid():
            try:
                services.submit_test(enrolment=enrolment, stage=stage, answers=form.answers())
            except MizanError as error:
                if error.code == "already_submitted":
                    return redirect(self.url("test", stage))
                show_service_error(form, error)
            else:
                messages.success(request, _("Thank you: your answers were submitted."))
                return redirect(self.url("test", stage))
        return self.paper(stage, form, status=400)

    def paper(self, stage: str, form: TestPaper, status: int = 200) -> HttpResponse:
        return self.page(status=status, stage=stage, stage_label=TestStage(stage).label, form=form)

    def result(self, attempt: TestAttempt) -> HttpResponse:
        answers = list(attempt.answers.select_related("question"))
        lines: list[ResultLine] = []
        if attempt.stage == TestStage.POST:
            positions = dict(
                TestFormQuestion.objects.filter(form_id=attempt.form_id).values_list(
                    "question_id", "position"
                )
            )
            texts = {
                choice.pk: choice.text
                for choice in Choice.objects.filter(
                    question_id__in=[answer.question_id for answer in answers]
                )
            }
            answers.sort(key=lambda answer: positions.get(answer.question_id, 0))
            for number, answer in enumerate(answers, start=1):
                shown = answer.text or ", ".join(texts.get(pk, "?") for pk in answer.chosen)
                lines.append(ResultLine(number, answer.question.prompt, shown, answer.is_correct))
        return self.page(
            stage=attempt.stage,
            stage_label=TestStage(attempt.stage).label,
            attempt=attempt,
            lines=lines,
            waiting=sum(1 for answer in answers if answer.is_correct is None),
        )


# --- Evaluations ---------------------------------------------------------------------------


class EvaluationForm(forms.Form):
    """Six scores from 1 to 5, a comment, and whether to answer anonymously."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=gettext_lazy("What worked, what to change."),
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Answer anonymously (your name is not kept with this evaluation)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scores = {
            name: forms.TypedChoiceField(
                label=_label(Evaluation, name),
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
            for name in Evaluation.SCORES
        }
        for field in scores.values():
            field.scale = True  # type: ignore[attr-defined]
        self.fields = {**scores, **self.fields}


class EvaluationView(LinkPage):
    """``/p/<token>/evaluation/<kind>/<day>/``: the evaluation of a course day (daily,
    1 to N) or of the whole course (final, day 0)."""

    template_name = "participant/evaluation.html"

    def check(self, kind: str, day: int) -> tuple[Enrolment, date]:
        enrolment = self.require_enrolment()
        if kind not in EvaluationKind.values:
            raise NotFound
        try:
            opens_on = services.evaluation_opens_on(enrolment.session, kind, day)
        except MizanError:
            raise NotFound from None
        return enrolment, opens_on

    def heading(self, kind: str, day: int) -> str:
        if kind == EvaluationKind.FINAL:
            return _("Evaluation of the whole course")
        return _("Evaluation of day %(day)s") % {"day": day}

    def get(self, request: HttpRequest, kind: str, day: int) -> HttpResponse:
        enrolment, opens_on = self.check(kind, day)
        return self.show(kind, day, opens_on, enrolment, EvaluationForm())

    def post(self, request: HttpRequest, kind: str, day: int) -> HttpResponse:
        enrolment, opens_on = self.check(kind, day)
        form = EvaluationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_evaluation(
                    enrolment=enrolment,
                    kind=kind,
                    day=day,
                    scores={name: data[name] for name in Evaluation.SCORES},
                    comment=data["comment"],
                    anonymous=data["anonymous"],
                )
            except MizanError as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("Thank you for your evaluation."))
                return redirect(self.url("home"))
        return self.show(kind, day, opens_on, enrolment, form, status=400)

    def show(
        self,
        kind: str,
        day: int,
        opens_on: date,
        enrolment: Enrolment,
        form: EvaluationForm,
        status: int = 200,
    ) -> HttpResponse:
        return self.page(
            status=status,
            heading=self.heading(kind, day),
            form=form,
            done=services.has_evaluated(enrolment, kind, day),
            opens_on=opens_on if self.today < opens_on else None,
        )


# --- Action plan ---------------------------------------------------------------------------


class ActionPlanForm(forms.Form):
    commitments = forms.CharField(
        label=_label(ActionPlan, "commitments"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=gettext_lazy("What you will change in your work, and whom you will train."),
    )
    colleagues_to_brief = forms.IntegerField(
        label=_label(ActionPlan, "colleagues_to_brief"),
        min_value=0,
        max_value=services.MAX_COUNT,
        initial=0,
    )
    by_date = forms.DateField(
        label=_label(ActionPlan, "by_date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ActionPlanView(LinkPage):
    """``/p/<token>/action-plan/``: write or change the action plan, from the first day
    of the course until the follow-up survey is answered."""

    template_name = "participant/action_plan.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        enrolment = self.require_enrolment()
        plan = ActionPlan.objects.filter(enrolment=enrolment).first()
        initial = (
            {
                "commitments": plan.commitments,
                "colleagues_to_brief": plan.colleagues_to_brief,
                "by_date": plan.by_date,
            }
            if plan
            else {}
        )
        return self.show(enrolment, plan, ActionPlanForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        enrolment = self.require_enrolment()
        form = ActionPlanForm(request.POST)
        if form.is_valid():
            try:
                services.save_action_plan(enrolment=enrolment, **form.cleaned_data)
            except MizanError as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("Your action plan was saved."))
                return redirect(self.url("home"))
        plan = ActionPlan.objects.filter(enrolment=enrolment).first()
        return self.show(enrolment, plan, form, status=400)

    def show(
        self, enrolment: Enrolment, plan: ActionPlan | None, form: ActionPlanForm, status: int = 200
    ) -> HttpResponse:
        return self.page(
            status=status,
            form=form,
            plan=plan,
            editable=services.action_plan_is_open(enrolment, self.today),
            not_yet=self.today < enrolment.session.starts_on,
        )


# --- Follow-up survey ----------------------------------------------------------------------


class FollowUpForm(forms.Form):
    used_at_work = forms.TypedChoiceField(
        label=_label(FollowUpResponse, "used_at_work"),
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("1: never, 5: very often."),
    )
    situations = forms.CharField(
        label=_label(FollowUpResponse, "situations"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    plan_kept = forms.ChoiceField(
        label=_label(FollowUpResponse, "plan_kept"),
        choices=PlanKept.choices,
        widget=forms.RadioSelect,
    )
    colleagues_briefed = forms.IntegerField(
        label=_label(FollowUpResponse, "colleagues_briefed"),
        min_value=0,
        max_value=services.MAX_COUNT,
        initial=0,
    )
    obstacles = forms.CharField(
        label=_label(FollowUpResponse, "obstacles"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["used_at_work"].scale = True  # type: ignore[attr-defined]


class FollowUpView(LinkPage):
    """``/p/<token>/follow-up/``: the survey, 90 to 180 days after the course."""

    template_name = "participant/follow_up.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(self.require_enrolment(), FollowUpForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        enrolment = self.require_enrolment()
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services.submit_follow_up(enrolment=enrolment, **form.cleaned_data)
            except MizanError as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("Thank you for answering the follow-up survey."))
                return redirect(self.url("home"))
        return self.show(enrolment, form, status=400)

    def show(self, enrolment: Enrolment, form: FollowUpForm, status: int = 200) -> HttpResponse:
        opens, closes = services.follow_up_window(enrolment.session)
        return self.page(
            status=status,
            form=form,
            answered=services.follow_up_answered(enrolment),
            is_open=opens <= self.today <= closes,
            opens_on=opens,
            closes_on=closes,
            plan=ActionPlan.objects.filter(enrolment=enrolment).first(),
        )


# --- Cascade report ------------------------------------------------------------------------


class CascadeForm(forms.Form):
    held_on = forms.DateField(
        label=_label(CascadeSession, "held_on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(
        label=_label(CascadeSession, "place"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    modules = forms.ModelMultipleChoiceField(
        label=_label(CascadeSession, "modules"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_label(CascadeSession, "notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def __init__(self, *args: Any, source: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modules = self.fields["modules"]
        modules.queryset = Module.objects.filter(version_id=source.version_id).order_by(  # type: ignore[attr-defined]
            "order", "id"
        )
        modules.label_from_instance = lambda module: module.title  # type: ignore[attr-defined]
        institutions = sorted(Institution.objects.all(), key=lambda i: i.name.casefold())
        choices = [
            ("", "—"),
            *[(str(institution.pk), institution.name) for institution in institutions],
            (OTHER, _("Other (from elsewhere)")),
        ]
        for row in range(1, AUDIENCE_ROWS + 1):
            self.fields[f"institution_{row}"] = forms.ChoiceField(
                label=_("Institution"), choices=choices, required=False
            )
            self.fields[f"women_{row}"] = forms.IntegerField(
                label=_("Women"), min_value=0, max_value=services.MAX_COUNT, required=False
            )
            self.fields[f"men_{row}"] = forms.IntegerField(
                label=_("Men"), min_value=0, max_value=services.MAX_COUNT, required=False
            )
        for name in self.fields:
            if name.startswith(("institution_", "women_", "men_")):
                # The rows say once, above them, that unused ones stay empty.
                self.fields[name].quiet = True  # type: ignore[attr-defined]
        self.institutions = {str(institution.pk): institution for institution in institutions}

    def rows(self) -> list[dict[str, Any]]:
        """The audience rows, for the template: each row's three bound fields."""
        return [
            {
                "number": row,
                "institution": self[f"institution_{row}"],
                "women": self[f"women_{row}"],
                "men": self[f"men_{row}"],
            }
            for row in range(1, AUDIENCE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience: list[AudienceCount] = []
        for row in range(1, AUDIENCE_ROWS + 1):
            women, men = data.get(f"women_{row}") or 0, data.get(f"men_{row}") or 0
            if not women and not men:
                continue
            chosen = data.get(f"institution_{row}", "")
            if not chosen:
                self.add_error(
                    f"institution_{row}",
                    _("Choose the institution, or “Other (from elsewhere)”."),
                )
                continue
            institution = None if chosen == OTHER else self.institutions[chosen]
            audience.append(AudienceCount(institution=institution, women=women, men=men))
        data["audience"] = audience
        return data


class CascadeView(LinkPage):
    """``/p/<token>/cascade/``: report a session the participant gave their colleagues,
    after the course; the only page of a relay trainer's link."""

    template_name = "participant/cascade.html"
    needs_enrolment = False

    def source(self) -> TrainingSession | None:
        """The training the cascades descend from; None when the page is not open."""
        if self.enrolment is None:
            return self.session
        if self.today <= self.enrolment.session.ends_on:
            return None
        return self.enrolment.session

    def get(self, request: HttpRequest) -> HttpResponse:
        source = self.source()
        form = CascadeForm(source=source) if source else None
        return self.show(source, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        source = self.source()
        if source is None:
            return self.show(None, None, status=400)
        form = CascadeForm(request.POST, source=source)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report_cascade(
                    reporter=self.participant,
                    held_on=data["held_on"],
                    place=data["place"],
                    audience=data["audience"],
                    modules=list(data["modules"]),
                    notes=data["notes"],
                    source_session=self.enrolment.session if self.enrolment else None,
                    by=None,
                )
            except MizanError as error:
                show_service_error(form, error, {"audience": "women_1"})
            else:
                messages.success(request, _("Thank you: your session was recorded."))
                return redirect(self.url("cascade"))
        return self.show(source, form, status=400)

    def show(
        self, source: TrainingSession | None, form: CascadeForm | None, status: int = 200
    ) -> HttpResponse:
        reported = (
            CascadeSession.objects.filter(reported_by=self.participant)
            .annotate(women=Sum("audience__women"), men=Sum("audience__men"))
            .order_by("-held_on", "-id")
        )
        return self.page(
            status=status,
            form=form,
            source=source,
            reported=list(reported),
            relay=self.enrolment is None,
        )
