"""Back-office forms of partnership agreements and joint committees. They collect and
clean input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mizan.accounts.models import User
from mizan.actions.models import Action
from mizan.institutions.models import Institution
from mizan.institutions.queries import with_units
from mizan.partnerships.enums import CommitteeRole
from mizan.partnerships.models import CommitteeMember, JointCommittee, PartnershipAgreement


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "dir": "auto"})


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.get_username()})"


def people() -> Any:
    """Active accounts with a role somewhere: the people who can sit on a committee or own
    a task."""
    return (
        User.objects.filter(is_active=True, memberships__isnull=False)
        .distinct()
        .order_by("display_name", "username")
    )


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    reference = forms.CharField(label=_("Reference"), max_length=80, required=False)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Institution.objects.all(),
        help_text=_("At least two institutions."),
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=_date_input())
    starts_on = forms.DateField(label=_("In force from"), widget=_date_input())
    ends_on = forms.DateField(
        label=_("In force until"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty for an agreement without an end date."),
    )
    scope = forms.CharField(label=_("Scope"), widget=_text_area(6))


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, an office document or an image."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("Commitment"), widget=_text_area())
    party = forms.ModelChoiceField(
        label=_("Committed party"), queryset=Institution.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=_date_input())

    def __init__(self, *args: Any, agreement: PartnershipAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = agreement.parties.all()  # type: ignore[attr-defined]


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.lead_institution}"


class CommitmentActionsForm(forms.Form):
    actions = ActionChoiceField(
        label=_("Actions carrying out this commitment"),
        queryset=Action.objects.select_related("lead_institution").order_by("title", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mandate = forms.CharField(label=_("Mandate"), widget=_text_area(), required=False)


class CommitteeMemberForm(forms.Form):
    """A seat: the person (only when adding), whom they represent and their role."""

    user = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    institution = forms.ModelChoiceField(
        label=_("Representing"),
        queryset=Institution.objects.none(),
        help_text=_("A party to the agreement, or a unit of one."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeRole.choices)
    since = forms.DateField(label=_("Member since"), required=False, widget=_date_input())
    until = forms.DateField(label=_("Member until"), required=False, widget=_date_input())

    def __init__(
        self, *args: Any, committee: JointCommittee, with_person: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        parties = committee.agreement.parties.values_list("id", flat=True)
        self.fields["institution"].queryset = Institution.objects.filter(  # type: ignore[attr-defined]
            pk__in=with_units(parties)
        )
        if with_person:
            self.fields["user"].queryset = people()  # type: ignore[attr-defined]
        else:
            del self.fields["user"]


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(label=_("Agenda"), widget=_text_area(6))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user} · {obj.institution} · {obj.get_role_display()}"


class RecordMeetingForm(forms.Form):
    attendees = MemberChoiceField(
        label=_("Members present"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label=_("Other people present"),
        required=False,
        widget=_text_area(2),
        help_text=_("Name and institution, one a line."),
    )
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=_text_area(8))
    documents = MultipleFileField(label=_("Documents"), required=False)

    def __init__(self, *args: Any, committee: JointCommittee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = committee.members.select_related(  # type: ignore[attr-defined]
            "user", "institution"
        )


class FollowUpTaskForm(forms.Form):
    description = forms.CharField(label=_("Task"), widget=_text_area(2))
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none())
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.all(), required=False
    )
    due_on = forms.DateField(label=_("Due date"), widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    """A decision and, optionally, one follow-up task it gives (more can be added to the
    decision afterwards)."""

    text = forms.CharField(label=_("Decision"), widget=_text_area(4))
    task_description = forms.CharField(
        label=_("Follow-up task"), required=False, widget=_text_area(2)
    )
    task_owner = PersonChoiceField(
        label=_("Task owner"), queryset=User.objects.none(), required=False
    )
    task_institution = forms.ModelChoiceField(
        label=_("Institution of the task"), queryset=Institution.objects.all(), required=False
    )
    task_due_on = forms.DateField(label=_("Task due date"), required=False, widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task_owner"].queryset = people()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        task_fields = ("task_description", "task_owner", "task_institution", "task_due_on")
        if any(cleaned.get(name) for name in task_fields):
            required = {
                "task_description": _("Describe the task."),
                "task_owner": _("Name the person who owns the task."),
                "task_due_on": _("The due date is required."),
            }
            for name, message in required.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def tasks(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if not data.get("task_description"):
            return []
        return [
            {
                "description": data["task_description"],
                "owner": data["task_owner"],
                "institution": data.get("task_institution"),
                "due_on": data["task_due_on"],
            }
        ]


class CompleteTaskForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=_date_input())
    outcome = forms.CharField(
        label=_("Outcome"), widget=_text_area(3), help_text=_("What was done, and what came of it.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=100, required=False)
