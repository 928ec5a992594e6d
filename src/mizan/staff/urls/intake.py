"""Back-office URLs of the assistant: intake of UN documents."""

from django.urls import path

from mizan.staff.views import intake

urlpatterns: list = [
    path("recommendations/intake/", intake.IntakeView.as_view(), name="intake"),
    path(
        "recommendations/intake/<slug:token>/",
        intake.IntakeDraftView.as_view(),
        name="intake_draft",
    ),
    path(
        "recommendations/intake/<slug:token>/csv/",
        intake.IntakeCsvView.as_view(),
        name="intake_csv",
    ),
    path(
        "recommendations/intake/<slug:token>/rows/<int:number>/",
        intake.IntakeRowEditView.as_view(),
        name="intake_row",
    ),
    path(
        "recommendations/intake/<slug:token>/rows/<int:number>/drop/",
        intake.IntakeRowDropView.as_view(),
        name="intake_row_drop",
    ),
    path(
        "recommendations/intake/<slug:token>/import/",
        intake.IntakeImportView.as_view(),
        name="intake_import",
    ),
]
