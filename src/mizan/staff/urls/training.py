"""Back-office URLs: curricula, their versions and modules, the question bank and the
parallel test forms."""

from django.urls import path

from mizan.staff.views import training as views

urlpatterns = [
    path("training/curricula/", views.CurriculumListView.as_view(), name="curriculum_list"),
    path("training/curricula/new/", views.CurriculumCreateView.as_view(), name="curriculum_create"),
    path(
        "training/curricula/<int:pk>/",
        views.CurriculumDetailView.as_view(),
        name="curriculum_detail",
    ),
    path(
        "training/curricula/<int:pk>/edit/",
        views.CurriculumEditView.as_view(),
        name="curriculum_edit",
    ),
    path(
        "training/versions/<int:pk>/",
        views.VersionDetailView.as_view(),
        name="curriculum_version_detail",
    ),
    path(
        "training/versions/<int:pk>/new-version/",
        views.NewVersionView.as_view(),
        name="curriculum_version_new",
    ),
    path(
        "training/versions/<int:pk>/changelog/",
        views.VersionChangelogView.as_view(),
        name="curriculum_version_changelog",
    ),
    path(
        "training/versions/<int:pk>/publish/",
        views.PublishVersionView.as_view(),
        name="curriculum_version_publish",
    ),
    path(
        "training/versions/<int:pk>/modules/new/",
        views.ModuleCreateView.as_view(),
        name="module_create",
    ),
    path(
        "training/versions/<int:pk>/questions/",
        views.QuestionBankView.as_view(),
        name="question_bank",
    ),
    path(
        "training/versions/<int:pk>/forms/",
        views.ParallelFormsView.as_view(),
        name="parallel_forms",
    ),
    path("training/modules/<int:pk>/edit/", views.ModuleEditView.as_view(), name="module_edit"),
    path(
        "training/modules/<int:pk>/remove/", views.ModuleRemoveView.as_view(), name="module_remove"
    ),
    path("training/modules/<int:pk>/move/", views.ModuleMoveView.as_view(), name="module_move"),
    path(
        "training/modules/<int:pk>/materials/",
        views.ModuleMaterialView.as_view(),
        name="module_material",
    ),
    path(
        "training/modules/<int:pk>/materials/<int:file_pk>/remove/",
        views.ModuleMaterialRemoveView.as_view(),
        name="module_material_remove",
    ),
    path(
        "training/modules/<int:pk>/objectives/new/",
        views.ObjectiveCreateView.as_view(),
        name="objective_create",
    ),
    path(
        "training/objectives/<int:pk>/edit/",
        views.ObjectiveEditView.as_view(),
        name="objective_edit",
    ),
    path(
        "training/objectives/<int:pk>/remove/",
        views.ObjectiveRemoveView.as_view(),
        name="objective_remove",
    ),
    path(
        "training/objectives/<int:pk>/questions/new/",
        views.QuestionCreateView.as_view(),
        name="question_create",
    ),
    path(
        "training/questions/<int:pk>/edit/",
        views.QuestionEditView.as_view(),
        name="question_edit",
    ),
]
