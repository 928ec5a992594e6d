"""Curricula: the list, a curriculum with its versions, a version with its modules in
order, the forms of curricula, modules and learning objectives, the question bank and the
parallel test forms. A frozen version shows no editing controls, and the services refuse
any change to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from mizan.core.errors import MizanError
from mizan.evidence.models import EvidenceFile
from mizan.staff.forms.errors import add_service_error
from mizan.staff.forms.training import (
    AssembleForm,
    ChangelogForm,
    CurriculumForm,
    MaterialForm,
    ModuleForm,
    NewVersionForm,
    ObjectiveForm,
    QuestionForm,
    choice_formset,
    choices_from,
    keep_other_languages,
)
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.suggestions import traceability
from mizan.training import services
from mizan.training.enums import CHOICE_KINDS, VersionStatus
from mizan.training.models import (
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    Question,
)
from mizan.training.queries import (
    curricula_visible_to,
    modules_visible_to,
    objectives_visible_to,
    parallel_forms_of,
    question_bank,
    question_counts,
    questions_visible_to,
    versions_visible_to,
    with_list_details,
    with_modules,
)

FORM_TEMPLATE = "staff/training/form.html"
NAV = "curricula"


class MemberFirstMixin(ReadFirstMixin):
    """Anyone who may not read curricula is refused before any record is looked up."""

    read_permission = "training.view_curriculum"
    kwargs: dict[str, Any]


class CurriculumMixin(MemberFirstMixin):
    @cached_property
    def curriculum(self) -> Curriculum:
        return get_object_or_404(
            curricula_visible_to(self.request.user).select_related("keeper"), pk=self.kwargs["pk"]
        )


class VersionMixin(MemberFirstMixin):
    @cached_property
    def version(self) -> CurriculumVersion:
        return get_object_or_404(
            versions_visible_to(self.request.user).select_related("curriculum"),
            pk=self.kwargs["pk"],
        )

    def back(self) -> HttpResponseRedirect:
        return redirect("staff:curriculum_version_detail", pk=self.version.pk)


class ModuleMixin(MemberFirstMixin):
    @cached_property
    def module(self) -> Module:
        return get_object_or_404(
            modules_visible_to(self.request.user).select_related("version__curriculum"),
            pk=self.kwargs["pk"],
        )

    def back(self) -> HttpResponseRedirect:
        url = reverse("staff:curriculum_version_detail", args=[self.module.version_id])
        return redirect(f"{url}#module-{self.module.pk}")


class ObjectiveMixin(MemberFirstMixin):
    @cached_property
    def objective(self) -> LearningObjective:
        return get_object_or_404(
            objectives_visible_to(self.request.user).select_related("module__version__curriculum"),
            pk=self.kwargs["pk"],
        )


class ServiceFormView(FormView):
    """A form whose valid data goes to a service; a refusal shows on the form."""

    template_name = FORM_TEMPLATE
    request: HttpRequest
    page_title = ""
    success_message = ""

    def back_url(self) -> str:
        raise NotImplementedError

    def save(self, form: Any) -> Any:
        raise NotImplementedError

    def success_url_for(self, saved: Any) -> str:
        return self.back_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "page_title": self.page_title,
            "back_url": self.back_url(),
        }

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            saved = self.save(form)
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.success_url_for(saved))


class PostStepView(View):
    """A POST-only step; a service refusal becomes a message on the page it returns to."""

    http_method_names = ["post"]
    request: HttpRequest

    def step(self, request: HttpRequest) -> str:
        """Do the step; returns the message to show."""
        raise NotImplementedError

    def back(self) -> HttpResponseRedirect:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            done = self.step(request)
        except MizanError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, done)
        return self.back()


# --- Curricula -------------------------------------------------------------------------


class CurriculumListView(MemberFirstMixin, TemplateView):
    """Rule: any member (``training.view_curriculum``)."""

    permission_required = "training.view_curriculum"
    template_name = "staff/training/curriculum_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "curricula": list(with_list_details(curricula_visible_to(user))),
            "can_add": user.has_perm("training.add_curriculum"),
        }


class CurriculumDetailView(CurriculumMixin, TemplateView):
    """Rule: any member (``training.view_curriculum``); the buttons show to coordinators
    and trainers (``training.change_curriculum``)."""

    permission_required = "training.view_curriculum"
    template_name = "staff/training/curriculum_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        curriculum = self.curriculum
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "curriculum": curriculum,
            "versions": curriculum.versions.select_related("based_on", "created_by").order_by(
                "-number"
            ),
            "can_edit": self.request.user.has_perm("training.change_curriculum", curriculum),
        }


class CurriculumCreateView(MemberFirstMixin, ServiceFormView):
    """Rule: coordinators and trainers (``training.add_curriculum``). The curriculum starts
    with an empty draft version 1."""

    permission_required = "training.add_curriculum"
    form_class = CurriculumForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("New curriculum")

    def back_url(self) -> str:
        return reverse("staff:curriculum_list")

    def save(self, form: CurriculumForm) -> Curriculum:
        self.success_message = _("Curriculum created, with a draft version 1.")
        return services.create_curriculum(**form.cleaned_data, by=self.request.user)

    def success_url_for(self, saved: Curriculum) -> str:
        return reverse("staff:curriculum_detail", args=[saved.pk])


class CurriculumEditView(CurriculumMixin, ServiceFormView):
    """Rule: coordinators and trainers (``training.change_curriculum``)."""

    permission_required = "training.change_curriculum"
    form_class = CurriculumForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Edit %(curriculum)s") % {"curriculum": self.curriculum}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "editing": True}

    def get_initial(self) -> dict[str, Any]:
        curriculum = self.curriculum
        return {
            "titles": curriculum.titles,
            "summary": curriculum.summary,
            "keeper": curriculum.keeper_id,
        }

    def back_url(self) -> str:
        return reverse("staff:curriculum_detail", args=[self.curriculum.pk])

    def save(self, form: CurriculumForm) -> Curriculum:
        self.success_message = _("Curriculum saved.")
        data = dict(form.cleaned_data)
        data["titles"] = keep_other_languages(self.curriculum.titles, data["titles"])
        return services.update_curriculum(curriculum=self.curriculum, by=self.request.user, **data)


# --- Versions --------------------------------------------------------------------------


class VersionDetailView(VersionMixin, TemplateView):
    """Rule: any member (``training.view_curriculum``). Editing controls show to
    coordinators and trainers (``training.change_curriculum``) while the version is not
    frozen; the question bank link to those who may read it (``training.view_question``)."""

    permission_required = "training.view_curriculum"
    template_name = "staff/training/version_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        version = get_object_or_404(with_modules(versions_visible_to(user)), pk=self.kwargs["pk"])
        may_change = user.has_perm("training.change_curriculum", version.curriculum)
        other_versions = list(
            version.curriculum.versions.exclude(pk=version.pk).order_by("-number")
        )
        draft = next((v for v in other_versions if v.status == VersionStatus.DRAFT), None)
        modules = list(version.modules.all())
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "version": version,
            "curriculum": version.curriculum,
            "modules": modules,
            "total_minutes": sum(m.duration_minutes for m in modules),
            "other_versions": other_versions,
            "other_draft": draft,
            "can_edit": may_change and not version.is_frozen,
            "can_publish": may_change and version.status == VersionStatus.DRAFT,
            "can_branch": may_change
            and version.status == VersionStatus.PUBLISHED
            and draft is None,
            "can_see_questions": user.has_perm("training.view_question", version),
            "material_form": MaterialForm() if may_change and not version.is_frozen else None,
            # Issue 5: the changes of this version and the suggestions behind them.
            "change_trails": traceability.for_version(version),
            "can_integrate": may_change
            and not version.is_frozen
            and user.has_perm("suggestions.integrate_suggestion"),
        }


class NewVersionView(VersionMixin, ServiceFormView):
    """Rule: coordinators and trainers (``training.change_curriculum``). Copies the version
    into the curriculum's next version, a draft, with a changelog."""

    permission_required = "training.change_curriculum"
    form_class = NewVersionForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("New version of %(curriculum)s, based on version %(number)s") % {
            "curriculum": self.version.curriculum,
            "number": self.version.number,
        }

    def back_url(self) -> str:
        return reverse("staff:curriculum_version_detail", args=[self.version.pk])

    def save(self, form: NewVersionForm) -> CurriculumVersion:
        self.success_message = _("New draft version created.")
        return services.new_version_from(
            version=self.version, changelog=form.cleaned_data["changelog"], by=self.request.user
        )

    def success_url_for(self, saved: CurriculumVersion) -> str:
        return reverse("staff:curriculum_version_detail", args=[saved.pk])


class VersionChangelogView(VersionMixin, ServiceFormView):
    """Rule: coordinators and trainers (``training.change_curriculum``), while the version
    is not frozen (the service refuses a frozen one). A version based on another keeps a
    changelog; a first version may have none."""

    permission_required = "training.change_curriculum"
    form_class = ChangelogForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.refuse_frozen(self.version)
        except MizanError as error:
            messages.error(request, str(error.message))
            return self.back()
        return super().get(request, *args, **kwargs)

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Edit the changelog of %(curriculum)s, version %(number)s") % {
            "curriculum": self.version.curriculum,
            "number": self.version.number,
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "required": self.version.based_on_id is not None}

    def get_initial(self) -> dict[str, Any]:
        return {"changelog": self.version.changelog}

    def back_url(self) -> str:
        return reverse("staff:curriculum_version_detail", args=[self.version.pk])

    def save(self, form: ChangelogForm) -> CurriculumVersion:
        self.success_message = _("Changelog saved.")
        return services.update_version(
            version=self.version, changelog=form.cleaned_data["changelog"], by=self.request.user
        )


class PublishVersionView(VersionMixin, PostStepView):
    """Rule: coordinators and trainers (``training.change_curriculum``)."""

    permission_required = "training.change_curriculum"

    def step(self, request: HttpRequest) -> str:
        services.publish_version(version=self.version, by=request.user)
        return _("Version published: sessions can now use it.")


# --- Modules ---------------------------------------------------------------------------


def module_data(form: ModuleForm, old_titles: dict[str, str] | None = None) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["titles"] = keep_other_languages(old_titles or {}, data["titles"])
    data["terms"] = list(data.get("terms") or [])
    data["methods"] = list(data.get("methods") or [])
    return data


class ModuleCreateView(VersionMixin, ServiceFormView):
    """Rule: coordinators and trainers (``training.change_curriculum``)."""

    permission_required = "training.change_curriculum"
    form_class = ModuleForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("New module in %(version)s") % {"version": self.version}

    def get_initial(self) -> dict[str, Any]:
        return {"duration_minutes": 90}

    def back_url(self) -> str:
        return reverse("staff:curriculum_version_detail", args=[self.version.pk])

    def save(self, form: ModuleForm) -> Module:
        self.success_message = _("Module added.")
        return services.add_module(version=self.version, by=self.request.user, **module_data(form))

    def success_url_for(self, saved: Module) -> str:
        return f"{self.back_url()}#module-{saved.pk}"


class ModuleEditView(ModuleMixin, ServiceFormView):
    """Rule: coordinators and trainers (``training.change_curriculum``)."""

    permission_required = "training.change_curriculum"
    form_class = ModuleForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Edit module %(module)s") % {"module": self.module}

    def get_initial(self) -> dict[str, Any]:
        module = self.module
        return {
            "titles": module.titles,
            "day": module.day,
            "duration_minutes": module.duration_minutes,
            "methods": module.methods,
            "summary": module.summary,
            "terms": list(module.terms.values_list("pk", flat=True)),
        }

    def back_url(self) -> str:
        url = reverse("staff:curriculum_version_detail", args=[self.module.version_id])
        return f"{url}#module-{self.module.pk}"

    def save(self, form: ModuleForm) -> Module:
        self.success_message = _("Module saved.")
        return services.update_module(
            module=self.module, by=self.request.user, **module_data(form, self.module.titles)
        )


class ModuleRemoveView(ModuleMixin, PostStepView):
    """Rule: coordinators and trainers (``training.change_curriculum``). Removes the module
    with its objectives and their questions."""

    permission_required = "training.change_curriculum"

    def step(self, request: HttpRequest) -> str:
        services.remove_module(module=self.module, by=request.user)
        return _("Module removed.")

    def back(self) -> HttpResponseRedirect:
        return redirect("staff:curriculum_version_detail", pk=self.module.version_id)


class ModuleMoveView(ModuleMixin, PostStepView):
    """Rule: coordinators and trainers (``training.change_curriculum``). ``direction`` is
    ``up`` or ``down``."""

    permission_required = "training.change_curriculum"

    def step(self, request: HttpRequest) -> str:
        offset = -1 if request.POST.get("direction") == "up" else 1
        services.move_module(module=self.module, offset=offset, by=request.user)
        return _("Modules reordered.")


class ModuleMaterialView(ModuleMixin, PostStepView):
    """Rule: coordinators and trainers (``training.change_curriculum``). The file is
    checked by content and size."""

    permission_required = "training.change_curriculum"

    def step(self, request: HttpRequest) -> str:
        form = MaterialForm(request.POST, request.FILES)
        if not form.is_valid():
            raise MizanError(_("Choose a file to upload."), field="file")
        services.attach_material(
            module=self.module,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
        return _("Material added.")


class ModuleMaterialRemoveView(ModuleMixin, PostStepView):
    """Rule: coordinators and trainers (``training.change_curriculum``). Unlinks the file;
    it stays stored, as earlier versions may use it."""

    permission_required = "training.change_curriculum"

    def step(self, request: HttpRequest) -> str:
        material = get_object_or_404(
            EvidenceFile, pk=self.kwargs["file_pk"], training_modules=self.module
        )
        services.detach_material(module=self.module, material=material, by=request.user)
        return _("Material removed from the module.")


# --- Learning objectives ---------------------------------------------------------------


class ObjectiveCreateView(ModuleMixin, ServiceFormView):
    """Rule: coordinators and trainers (``training.change_curriculum``)."""

    permission_required = "training.change_curriculum"
    form_class = ObjectiveForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("New learning objective for %(module)s") % {"module": self.module}

    def back_url(self) -> str:
        url = reverse("staff:curriculum_version_detail", args=[self.module.version_id])
        return f"{url}#module-{self.module.pk}"

    def save(self, form: ObjectiveForm) -> LearningObjective:
        self.success_message = _("Learning objective added.")
        return services.add_objective(module=self.module, by=self.request.user, **form.cleaned_data)


class ObjectiveEditView(ObjectiveMixin, ServiceFormView):
    """Rule: coordinators and trainers (``training.change_curriculum``)."""

    permission_required = "training.change_curriculum"
    form_class = ObjectiveForm

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Edit learning objective %(code)s") % {"code": self.objective.code}

    def get_initial(self) -> dict[str, Any]:
        return {"code": self.objective.code, "texts": self.objective.texts}

    def back_url(self) -> str:
        module = self.objective.module
        url = reverse("staff:curriculum_version_detail", args=[module.version_id])
        return f"{url}#module-{module.pk}"

    def save(self, form: ObjectiveForm) -> LearningObjective:
        self.success_message = _("Learning objective saved.")
        return services.update_objective(
            objective=self.objective,
            code=form.cleaned_data["code"],
            texts=keep_other_languages(self.objective.texts, form.cleaned_data["texts"]),
            by=self.request.user,
        )


class ObjectiveRemoveView(ObjectiveMixin, PostStepView):
    """Rule: coordinators and trainers (``training.change_curriculum``). Removes the
    objective with its questions."""

    permission_required = "training.change_curriculum"

    def step(self, request: HttpRequest) -> str:
        services.remove_objective(objective=self.objective, by=request.user)
        return _("Learning objective removed.")

    def back(self) -> HttpResponseRedirect:
        module = self.objective.module
        url = reverse("staff:curriculum_version_detail", args=[module.version_id])
        return redirect(f"{url}#module-{module.pk}")


# --- Question bank ---------------------------------------------------------------------


class QuestionBankView(VersionMixin, TemplateView):
    """Rule: coordinators and trainers (``training.view_question``): the bank holds the
    correct answers, which must not reach future participants."""

    permission_required = "training.view_question"
    template_name = "staff/training/question_bank.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = self.version
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "version": version,
            "objectives": question_bank(version),
            "can_edit": user.has_perm("training.change_question", version)
            and not version.is_frozen,
        }


class QuestionFormMixin(ServiceFormView):
    """The question's fields and, below them, its choices as a formset."""

    form_class = QuestionForm
    template_name = "staff/training/question_form.html"

    def choice_initial(self) -> list[dict[str, Any]]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("choices", choice_formset(initial=self.choice_initial()))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        choices = choice_formset(request.POST, initial=self.choice_initial())
        if form.is_valid() and choices.is_valid():
            try:
                self.save_question(form, choices_from(choices))
            except MizanError as error:
                add_service_error(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect(self.back_url())
        return self.render_to_response(self.get_context_data(form=form, choices=choices))

    def question_data(self, form: QuestionForm, choices: list[dict[str, Any]]) -> dict[str, Any]:
        data = dict(form.cleaned_data)
        # A short open answer has no choices, whatever rows were left filled in.
        data["choices"] = choices if data["kind"] in CHOICE_KINDS else []
        return data

    def save_question(self, form: QuestionForm, choices: list[dict[str, Any]]) -> Question:
        raise NotImplementedError


class QuestionCreateView(ObjectiveMixin, QuestionFormMixin):
    """Rule: coordinators and trainers (``training.change_question``)."""

    permission_required = "training.change_question"

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("New question for objective %(code)s") % {"code": self.objective.code}

    def back_url(self) -> str:
        url = reverse("staff:question_bank", args=[self.objective.module.version_id])
        return f"{url}#objective-{self.objective.pk}"

    def save_question(self, form: QuestionForm, choices: list[dict[str, Any]]) -> Question:
        self.success_message = _("Question added.")
        return services.add_question(
            objective=self.objective, by=self.request.user, **self.question_data(form, choices)
        )


class QuestionEditView(MemberFirstMixin, QuestionFormMixin):
    """Rule: coordinators and trainers (``training.change_question``)."""

    permission_required = "training.change_question"

    @cached_property
    def question(self) -> Question:
        return get_object_or_404(
            questions_visible_to(self.request.user).select_related("objective__module"),
            pk=self.kwargs["pk"],
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Refuse before the lookup, so that a viewer learns nothing about the bank.
        if not request.user.has_perm("training.view_question"):
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Edit a question of objective %(code)s") % {"code": self.question.objective.code}

    def get_initial(self) -> dict[str, Any]:
        question = self.question
        return {
            "kind": question.kind,
            "prompts": question.prompts,
            "model_answers": question.model_answers,
            "is_active": question.is_active,
        }

    def choice_initial(self) -> list[dict[str, Any]]:
        return [
            {"texts": choice.texts, "is_correct": choice.is_correct}
            for choice in self.question.choices.order_by("order", "id")
        ]

    def back_url(self) -> str:
        objective = self.question.objective
        url = reverse("staff:question_bank", args=[objective.module.version_id])
        return f"{url}#objective-{objective.pk}"

    def save_question(self, form: QuestionForm, choices: list[dict[str, Any]]) -> Question:
        self.success_message = _("Question saved.")
        data = self.question_data(form, choices)
        data["prompts"] = keep_other_languages(self.question.prompts, data["prompts"])
        return services.update_question(question=self.question, by=self.request.user, **data)


class ParallelFormsView(VersionMixin, FormView):
    """Rule: coordinators and trainers read the forms (``training.view_question``) and
    assemble them (``training.change_question``), while the version is not frozen."""

    permission_required = "training.view_question"
    template_name = "staff/training/parallel_forms.html"
    form_class = AssembleForm

    def get_permission_required(self) -> tuple[str, ...]:
        if self.request.method == "POST":
            return ("training.change_question",)
        return (self.permission_required,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = self.version
        forms_ = parallel_forms_of(version)
        counts = question_counts(version)
        objectives = question_bank(version)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "version": version,
            "test_forms": forms_,
            "objectives": [(o, counts.get(o.pk, 0)) for o in objectives],
            "can_assemble": self.request.user.has_perm("training.change_question", version)
            and not version.is_frozen,
        }

    def form_valid(self, form: AssembleForm) -> HttpResponse:
        try:
            result = services.assemble_parallel_forms(
                version=self.version,
                per_objective=form.cleaned_data["per_objective"],
                seed=form.cleaned_data["seed"],
                by=self.request.user,
            )
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Forms A and B assembled."))
        for short in result.short:
            messages.warning(
                self.request,
                _(
                    "Objective %(code)s has %(available)s questions in use; %(needed)s are "
                    "needed for both forms."
                )
                % {
                    "code": short.objective.code,
                    "available": short.available,
                    "needed": short.needed,
                },
            )
        return redirect("staff:parallel_forms", pk=self.version.pk)
