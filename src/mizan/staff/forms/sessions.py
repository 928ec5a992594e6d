"""Back-office forms of training sessions, their half-day slots, nominations, enrolments
and participants. They collect and clean input; the services in
``mizan.training.services.sessions`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mizan.accounts.enums import Role
from mizan.accounts.models import User
from mizan.actions.enums import ActionKind
from mizan.actions.models import Action
from mizan.actions.queries import actions_visible_to
from mizan.institutions.models import Institution
from mizan.training.enums import (
    SESSION_TRANSITIONS,
    FormCode,
    SessionStatus,
    Sex,
    VersionStatus,
)
from mizan.training.models import CurriculumVersion, Participant, TrainingSession
from mizan.training.queries import versions_visible_to

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.username})" if str(obj) != obj.username else obj.username


def trainer_choices() -> QuerySet[User]:
    """Users holding the trainer role in some institution."""
    return (
        User.objects.filter(is_active=True, memberships__role=Role.TRAINER)
        .distinct()
        .order_by("display_name", "last_name", "first_name", "username")
    )


def session_version_choices(user: Any) -> QuerySet[CurriculumVersion]:
    """Published versions of the curricula the user reads."""
    return (
        versions_visible_to(user)
        .filter(status=VersionStatus.PUBLISHED)
        .select_related("curriculum")
        .order_by("curriculum__code", "-number")
    )


def training_action_choices(user: Any) -> QuerySet[Action]:
    return actions_visible_to(user).filter(kind=ActionKind.TRAINING).order_by("title", "id")


class SessionForm(forms.Form):
    action = forms.ModelChoiceField(
        label=_("Training action"),
        queryset=Action.objects.none(),
        empty_label="—",
        help_text=_("The action of kind “training programme” this session carries out."),
    )
    version = VersionChoiceField(
        label=_("Curriculum version"),
        queryset=CurriculumVersion.objects.none(),
        empty_label="—",
        help_text=_("A published version; it is frozen once a session uses it."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=300, widget=forms.TextInput({"dir": "auto"})
    )
    starts_on = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    venue = forms.CharField(
        label=_("Venue"), max_length=200, required=False, widget=forms.TextInput({"dir": "auto"})
    )
    city = forms.CharField(label=_("City"), max_length=120, widget=forms.TextInput({"dir": "auto"}))
    region = forms.CharField(
        label=_("Region"), max_length=120, required=False, widget=forms.TextInput({"dir": "auto"})
    )
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organising institutions"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their staff see the participants' personal data."),
    )
    trainers = TrainerChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.CharField(
        label=_("Audience"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Who the session is for: services, ranks, functions."),
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)
    language = forms.ChoiceField(
        label=_("Language of the session"),
        choices=settings.LANGUAGES,
        help_text=_("The language participants' pages open in; they can switch."),
    )
    min_attendance_percent = forms.IntegerField(
        label=_("Attendance needed (%)"), min_value=0, max_value=100, initial=80
    )
    min_post_test_percent = forms.IntegerField(
        label=_("Post-test score needed (%)"), min_value=0, max_value=100, initial=60
    )
    pre_test_form = forms.ChoiceField(
        label=_("Pre-test form"), choices=FormCode.choices, initial=FormCode.A
    )
    post_test_form = forms.ChoiceField(
        label=_("Post-test form"), choices=FormCode.choices, initial=FormCode.B
    )

    def __init__(
        self, *args: Any, user: Any, session: TrainingSession | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ModelChoiceField)
        action_field.queryset = training_action_choices(user)
        version_field = self.fields["version"]
        assert isinstance(version_field, forms.ModelChoiceField)
        versions = session_version_choices(user)
        if session is not None:
            # The session's own version stays a choice, whatever became of the curriculum.
            versions = (
                CurriculumVersion.objects.filter(
                    Q(pk__in=versions.values("pk")) | Q(pk=session.version_id)
                )
                .select_related("curriculum")
                .order_by("curriculum__code", "-number")
            )
            if session.status != SessionStatus.PLANNED:
                version_field.disabled = True
                version_field.help_text = _(
                    "The version changes only while the session is planned."
                )
        version_field.queryset = versions
        organisers = self.fields["organisers"]
        assert isinstance(organisers, forms.ModelMultipleChoiceField)
        organisers.queryset = Institution.objects.order_by("code")
        trainers = self.fields["trainers"]
        assert isinstance(trainers, forms.ModelMultipleChoiceField)
        trainers.queryset = trainer_choices()

    def session_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["organisers"] = list(data["organisers"])
        data["trainers"] = list(data.get("trainers") or [])
        return data


class SessionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=SessionStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Required when cancelling; kept in the history."),
    )


def next_statuses(session: TrainingSession) -> list[tuple[str, str]]:
    """The statuses the session may move to, in the order of the course of a session."""
    allowed = SESSION_TRANSITIONS.get(session.status, frozenset())
    return [(value, str(label)) for value, label in SessionStatus.choices if value in allowed]


class SlotForm(forms.Form):
    starts_at = forms.TimeField(label=_("Starts"), widget=TIME_INPUT)
    ends_at = forms.TimeField(label=_("Ends"), widget=TIME_INPUT)


class ParticipantForm(forms.Form):
    """A person's data, as a nominating institution or an organiser enters it."""

    name_latin = forms.CharField(
        label=_("Name (Latin script)"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"dir": "ltr"}),
    )
    name_arabic = forms.CharField(
        label=_("Name (Arabic script)"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"dir": "rtl", "lang": "ar"}),
        help_text=_("The name in one script at least."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    rank = forms.CharField(label=_("Rank"), max_length=100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), empty_label="—"
    )
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    service_number = forms.CharField(
        label=_("Service number"),
        max_length=60,
        required=False,
        widget=forms.TextInput({"dir": "ltr"}),
        help_text=_("Optional and sensitive: shown only to the organisers of their sessions."),
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput({"dir": "ltr"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput({"dir": "ltr", "type": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("The officer agreed that their data be kept for the training"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        institutions: QuerySet[Institution] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            institutions if institutions is not None else Institution.objects.all()
        ).order_by("code")

    def participant_data(self, current: Participant | None = None) -> dict[str, Any]:
        """The fields as the services take them; consent keeps its first date."""
        data = dict(self.cleaned_data)
        consent = data.pop("consent", False)
        if not consent:
            data["consent_given_at"] = None
        elif current is not None and current.consent_given_at is not None:
            data["consent_given_at"] = current.consent_given_at
        else:
            data["consent_given_at"] = timezone.now()
        return data

    @staticmethod
    def initial_for(participant: Participant) -> dict[str, Any]:
        return {
            "name_latin": participant.name_latin,
            "name_arabic": participant.name_arabic,
            "sex": participant.sex,
            "rank": participant.rank,
            "unit": participant.unit,
            "institution": participant.institution_id,
            "region": participant.region,
            "service_number": participant.service_number,
            "email": participant.email,
            "phone": participant.phone,
            "consent": participant.consent_given_at is not None,
        }


class ParticipantSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person already recorded"),
        max_length=100,
        required=False,
        widget=forms.TextInput({"type": "search", "dir": "auto"}),
        help_text=_("Name in either script, or service number."),
    )
