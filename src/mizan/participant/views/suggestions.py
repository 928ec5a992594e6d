"""A participant's suggestions, from their phone: ``/p/<token>/suggest/`` makes one, by
name or anonymously, and the home page lists the named ones with the decisions the
committee released (see :func:`home_section`).

The personal link is the only key. Whoever may be signed in on the same phone is not
attached to the suggestion, its files or their history: an anonymous suggestion keeps
nothing that identifies its author (``intake.make_suggestion``), and the files of one
lose their names here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.participant.views.pages import LinkPage, show_service_error
from mizan.suggestions.enums import Category, Subject
from mizan.suggestions.models import Suggestion, SuggestionDecision
from mizan.suggestions.queries import suggestions_of_enrolment
from mizan.suggestions.services import intake
from mizan.training.enums import SessionStatus
from mizan.training.models import Enrolment, LearningObjective, Module, PersonalLink

#: Participants make suggestions from the first day of the course on.
OPEN_STATUSES = frozenset({SessionStatus.RUNNING, SessionStatus.COMPLETED})
#: What a suggestion is about, in the participants' words.
SUBJECTS = [
    (Subject.CURRICULUM.value, gettext_lazy("The course as a whole")),
    (Subject.MODULE.value, gettext_lazy("A module")),
    (Subject.OBJECTIVE.value, gettext_lazy("A learning objective")),
    (Subject.LOGISTICS.value, gettext_lazy("Logistics: rooms, timing, meals, travel")),
    (Subject.OTHER.value, gettext_lazy("Something else")),
]
#: The kinds of file the phone offers to attach; the service reads what they really are.
ACCEPTED_FILES = "image/*,application/pdf,.pdf"
#: Where the service names a field the form calls otherwise.
FIELD_ALIASES = {"file": "attachments", "curriculum": "module"}


def suggestions_open(enrolment: Enrolment | None) -> bool:
    return enrolment is not None and enrolment.session.status in OPEN_STATUSES


# --- The form ------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class SuggestionForm(forms.Form):
    """What the suggestion is about (the module and objective among those of the
    session's curriculum version), its category, text and language, files, and whether
    to stay anonymous. The service checks the rest."""

    subject = forms.ChoiceField(
        label=gettext_lazy("What is your suggestion about?"),
        choices=SUBJECTS,
        widget=forms.RadioSelect,
    )
    module = forms.ChoiceField(
        label=gettext_lazy("Which module?"),
        required=False,
        help_text=gettext_lazy("Only if your suggestion is about a module."),
    )
    objective = forms.ChoiceField(
        label=gettext_lazy("Which learning objective?"),
        required=False,
        help_text=gettext_lazy("Only if your suggestion is about a learning objective."),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("What kind of suggestion is it?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=gettext_lazy("Your suggestion"),
        max_length=intake.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=gettext_lazy("What should change, and why. Any of the three languages."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Written in"))
    attachments = MultipleFileField(label=gettext_lazy("Photos or PDF files"), required=False)
    anonymous = forms.BooleanField(
        label=gettext_lazy("Stay anonymous"),
        required=False,
        help_text=gettext_lazy(
            "Nothing that identifies you is kept with your suggestion: not your name, not "
            "your institution, not this link. Because of that, you will not see the "
            "committee's answer on this page. Do not write your name in the text or the "
            "files."
        ),
    )

    def __init__(self, *args: Any, version_id: int, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modules = list(Module.objects.filter(version_id=version_id).order_by("order", "id"))
        objectives = list(
            LearningObjective.objects.filter(module__version_id=version_id).order_by(
                "module__order", "module_id", "order", "id"
            )
        )
        self.modules = {str(module.pk): module for module in modules}
        self.objectives = {str(objective.pk): objective for objective in objectives}
        # Labels in the page's language: the form is built inside the page's translation.
        self.fields["module"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(str(module.pk), module.title) for module in modules],
        ]
        grouped: list[Any] = [("", "—")]
        for module in modules:
            own = [o for o in objectives if o.module_id == module.pk]
            if own:
                grouped.append(
                    (module.title, [(str(o.pk), f"{o.code} {o.text}".strip()) for o in own])
                )
        self.fields["objective"].choices = grouped  # type: ignore[attr-defined]
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, get_language_info(code)["name_local"]) for code in INTERFACE_LANGUAGES
        ]
        self.fields["language"].initial = language
        self.fields["attachments"].help_text = _(
            "Up to %(count)s files, each at most %(size)s."
        ) % {
            "count": intake.MAX_ATTACHMENTS,
            "size": filesizeformat(settings.MIZAN_EVIDENCE_MAX_BYTES),
        }

    def clean_module(self) -> Module | None:
        return self.modules.get(self.cleaned_data["module"])

    def clean_objective(self) -> LearningObjective | None:
        return self.objectives.get(self.cleaned_data["objective"])

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data["attachments"]
        if len(files) > intake.MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(limit)s files.") % {"limit": intake.MAX_ATTACHMENTS}
            )
        return list(files)


# --- The page ------------------------------------------------------------------------------


class SuggestView(LinkPage):
    """``/p/<token>/suggest/``: make a suggestion. Rule: the personal link of an approved
    participant (any other link, or none that works, gets the "link not found" page),
    while their session is running or completed; it is recorded as theirs, or with
    nothing that identifies them if they stay anonymous."""

    template_name = "participant/suggest.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        enrolment = self.require_enrolment()
        if not suggestions_open(enrolment):
            return self.closed(enrolment)
        return self.show(self.form(enrolment))

    def post(self, request: HttpRequest) -> HttpResponse:
        enrolment = self.require_enrolment()
        if not suggestions_open(enrolment):
            return self.closed(enrolment, status=400)
        form = self.form(enrolment, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            uploads = data["attachments"]
            try:
                suggestion = intake.make_suggestion(
                    enrolment=enrolment,
                    anonymous=data["anonymous"],
                    subject=data["subject"],
                    module=data["module"],
                    objective=data["objective"],
                    category=data["category"],
                    text=data["text"],
                    language=data["language"],
                    uploads=uploads,
                    by=request.user,
                )
            except MizanError as error:
                show_service_error(form, error, FIELD_ALIASES)
            else:
                messages.success(request, self.thanks(suggestion))
                return redirect(self.url("home"))
        return self.show(form, status=400)

    def form(self, enrolment: Enrolment, *args: Any) -> SuggestionForm:
        return SuggestionForm(
            *args, version_id=enrolment.session.version_id, language=self.language
        )

    def thanks(self, suggestion: Suggestion) -> str:
        if suggestion.anonymous:
            return _(
                "Thank you. Your suggestion was received anonymously under the reference "
                "%(reference)s."
            ) % {"reference": suggestion.reference}
        return _(
            "Thank you. Your suggestion was received under the reference %(reference)s. "
            "The committee's answer will appear on this page."
        ) % {"reference": suggestion.reference}

    def closed(self, enrolment: Enrolment, status: int = 200) -> HttpResponse:
        if enrolment.session.status == SessionStatus.CANCELLED:
            reason = _("This session was cancelled. It takes no suggestions.")
        else:
            reason = _("You can make suggestions from the first day of the course.")
        return self.page(status=status, closed=reason)

    def show(self, form: SuggestionForm, status: int = 200) -> HttpResponse:
        return self.page(status=status, form=form)


# --- The home page's section ---------------------------------------------------------------


def home_section(link: PersonalLink, enrolment: Enrolment | None) -> dict[str, Any]:
    """The home page's "Suggestions" section: where to make one while it is open, and the
    participant's own named suggestions (anonymous ones are linked to no one), each with
    the decisions the committee released, newest first, as ``released``. A decision not
    yet released is not read at all."""
    if enrolment is None:
        return {"show_suggestions": False}
    # The filter of ``queries.released_decisions``, for all the suggestions at once.
    released = (
        SuggestionDecision.objects.filter(released_at__isnull=False)
        .select_related("merged_into")
        .order_by("-released_at", "-id")
    )
    own = suggestions_of_enrolment(enrolment).prefetch_related(
        Prefetch("decisions", queryset=released, to_attr="released")
    )
    return {
        "show_suggestions": True,
        "suggest_url": (
            reverse("participant:suggest", args=[link.token]) if suggestions_open(enrolment) else ""
        ),
        "suggestions": list(own),
    }
