"""A session's cascades: how many people it reached, directly and through the cascade
sessions its participants gave in turn (every member: counts only); who trained whom
(roster readers: names); recording a cascade session on behalf of a participant,
registering a relay trainer with their personal link, and removing a cascade session
recorded by mistake (the session's managers, ``training.record_cascade``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from mizan.core.errors import MizanError
from mizan.core.qr import qr_svg
from mizan.institutions.models import Institution
from mizan.staff.forms.errors import add_service_error
from mizan.staff.views.certificates import PostStep, SessionMixin
from mizan.training.cascades import cascade_givers, lineage_of, reach_of
from mizan.training.enums import Sex
from mizan.training.models import (
    CascadeSession,
    Module,
    Participant,
    PersonalLink,
    TrainingSession,
)
from mizan.training.services import cascades as services
from mizan.training.services.sessions import issue_personal_link

NAV = "sessions"


# --- Forms -------------------------------------------------------------------------------


class CascadeForm(forms.Form):
    reporter = forms.ModelChoiceField(
        label=gettext_lazy("Given by"), queryset=Participant.objects.none()
    )
    held_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    modules = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Modules covered"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reporter = self.fields["reporter"]
        assert isinstance(reporter, forms.ModelChoiceField)
        reporter.queryset = cascade_givers(session)
        modules = self.fields["modules"]
        assert isinstance(modules, forms.ModelMultipleChoiceField)
        modules.queryset = Module.objects.filter(version_id=session.version_id).order_by(
            "order", "id"
        )


class AudienceForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"),
        queryset=Institution.objects.order_by("code"),
        required=False,
        empty_label=gettext_lazy("From elsewhere"),
    )
    women = forms.IntegerField(label=gettext_lazy("Women"), min_value=0, required=False)
    men = forms.IntegerField(label=gettext_lazy("Men"), min_value=0, required=False)


AudienceFormSet = forms.formset_factory(AudienceForm, extra=3, max_num=30)


class CascadeChoiceField(forms.ModelChoiceField[CascadeSession]):
    def label_from_instance(self, obj: CascadeSession) -> str:
        return _("%(place)s, %(date)s, given by %(name)s (generation %(generation)s)") % {
            "place": obj.place,
            "date": obj.held_on.isoformat(),
            "name": obj.reported_by.name,
            "generation": obj.generation,
        }


class RelayTrainerForm(forms.Form):
    cascade = CascadeChoiceField(
        label=gettext_lazy("Trained in the cascade session"), queryset=CascadeSession.objects.none()
    )
    name_latin = forms.CharField(
        label=gettext_lazy("Name (Latin script)"), max_length=200, required=False
    )
    name_arabic = forms.CharField(
        label=gettext_lazy("Name (Arabic script)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "ar", "dir": "rtl"}),
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"), choices=Sex.choices, widget=forms.RadioSelect
    )
    rank = forms.CharField(label=gettext_lazy("Rank"), max_length=100, required=False)
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"),
        queryset=Institution.objects.order_by("code"),
        required=False,
    )
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=200, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    consent = forms.BooleanField(
        label=gettext_lazy("The person agreed that their data be kept for the training."),
        required=False,
    )

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cascade = self.fields["cascade"]
        assert isinstance(cascade, forms.ModelChoiceField)
        cascade.queryset = (
            CascadeSession.objects.filter(source_session=session)
            .select_related("reported_by")
            .order_by("-held_on", "id")
        )

    def participant_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("cascade")
        consent = data.pop("consent")
        data["consent_given_at"] = timezone.now() if consent else None
        return data


# --- Pages -------------------------------------------------------------------------------


def personal_link_path(token: str) -> str:
    """The address of a personal link's pages (``/p/<token>/``)."""
    try:
        return reverse("participant:home", args=[token])
    except NoReverseMatch:
        # The phone pages' home is the parent of the certificate download.
        return reverse("participant:certificate", args=[token]).rsplit("certificate/", 1)[0]


class SessionCascadesView(SessionMixin, TemplateView):
    """Rule: any member (``training.view_session``) sees the reach, counts only; roster
    readers (``training.view_roster``) the lineage with names; managers
    (``training.record_cascade``) the forms."""

    permission_required = "training.view_session"
    template_name = "staff/cascades/session_cascades.html"

    def page_context(self, **forms_: Any) -> dict[str, Any]:
        session = self.session
        user = self.request.user
        sees_names = user.has_perm("training.view_roster", session)
        may_record = user.has_perm("training.record_cascade", session)
        context: dict[str, Any] = {
            "nav": NAV,
            "session": session,
            "reach": reach_of(session),
            "sees_names": sees_names,
            "may_record": may_record,
            "lineage": lineage_of(session) if sees_names else None,
        }
        if may_record:
            context["cascade_form"] = forms_.get("cascade_form") or CascadeForm(
                session=session, prefix="cascade"
            )
            context["audience_formset"] = forms_.get("audience_formset") or AudienceFormSet(
                prefix="audience"
            )
            context["relay_form"] = forms_.get("relay_form") or RelayTrainerForm(
                session=session, prefix="relay"
            )
        return context

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.page_context()}


class RecordCascadeView(SessionCascadesView):
    """Rule: the session's managers (``training.record_cascade``): a cascade session given
    by one of the session's participants (or a relay trainer), recorded on their behalf."""

    permission_required = "training.record_cascade"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.session
        form = CascadeForm(request.POST, session=session, prefix="cascade")
        audience = AudienceFormSet(request.POST, prefix="audience")
        if form.is_valid() and audience.is_valid():
            counts = [
                services.AudienceCount(
                    row.get("institution"), row.get("women") or 0, row.get("men") or 0
                )
                for row in audience.cleaned_data
                if row
            ]
            try:
                services.report_cascade(
                    reporter=form.cleaned_data["reporter"],
                    held_on=form.cleaned_data["held_on"],
                    place=form.cleaned_data["place"],
                    audience=counts,
                    modules=form.cleaned_data["modules"],
                    notes=form.cleaned_data["notes"],
                    source_session=session,
                    by=request.user,
                )
            except MizanError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Cascade session recorded."))
                return redirect("staff:session_cascades", pk=session.pk)
        context = self.page_context(cascade_form=form, audience_formset=audience)
        return self.render_to_response(context)


class RegisterRelayTrainerView(SessionCascadesView):
    """Rule: the session's managers (``training.record_cascade``). The new relay trainer's
    personal link is shown next."""

    permission_required = "training.record_cascade"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.session
        form = RelayTrainerForm(request.POST, session=session, prefix="relay")
        if form.is_valid():
            try:
                relay = services.register_relay_trainer(
                    cascade=form.cleaned_data["cascade"],
                    by=request.user,
                    **form.participant_fields(),
                )
            except MizanError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Relay trainer registered, with a personal link."))
                return redirect(
                    "staff:relay_trainer_link", pk=session.pk, participant=relay.participant.pk
                )
        return self.render_to_response(self.page_context(relay_form=form))


class RelayTrainerLinkView(SessionMixin, TemplateView):
    """Rule: the session's managers (``training.record_cascade``): the relay trainer's
    current personal link as an address and a QR code, to hand over; POST gives a new
    link and stops the old one."""

    permission_required = "training.record_cascade"
    template_name = "staff/cascades/relay_link.html"

    @cached_property
    def participant(self) -> Participant:
        return get_object_or_404(
            Participant.objects.select_related("trained_in_cascade"),
            pk=self.kwargs["participant"],
            trained_in_cascade__source_session=self.session,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        participant = self.participant
        link = (
            PersonalLink.objects.filter(
                participant=participant,
                enrolment__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .order_by("-created_at")
            .first()
        )
        context: dict[str, Any] = {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "session": self.session,
            "participant": participant,
            "link": link,
        }
        if link is not None:
            url = self.request.build_absolute_uri(personal_link_path(link.token))
            context["link_url"] = url
            context["qr_code"] = qr_svg(
                url,
                label=_("QR code of the personal link of %(name)s") % {"name": participant.name},
            )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        issue_personal_link(participant=self.participant, by=request.user)
        messages.success(request, _("New personal link issued; the earlier one no longer works."))
        return redirect(
            "staff:relay_trainer_link", pk=self.session.pk, participant=self.participant.pk
        )


class RemoveCascadeView(SessionMixin, PostStep):
    """Rule: the session's managers (``training.record_cascade``); a reason is required."""

    permission_required = "training.record_cascade"

    def step(self, request: HttpRequest) -> None:
        cascade = get_object_or_404(
            CascadeSession, pk=self.kwargs["cascade"], source_session=self.session
        )
        services.remove_cascade(
            cascade=cascade, reason=request.POST.get("reason", ""), by=request.user
        )
        messages.success(request, _("Cascade session removed."))

    def back(self) -> HttpResponseRedirect:
        return redirect("staff:session_cascades", pk=self.session.pk)
