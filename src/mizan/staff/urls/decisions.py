"""Back-office URLs: the committee's decisions on suggestions and their release, the
minutes of a meeting as a PDF, and integrating accepted suggestions into a curriculum
version, with a module's traceability."""

from django.urls import path

from mizan.staff.views import decisions as views

urlpatterns = [
    path(
        "reviews/<int:pk>/decisions/",
        views.RoundDecisionsView.as_view(),
        name="review_round_decisions",
    ),
    path(
        "reviews/<int:pk>/release/",
        views.RoundReleaseView.as_view(),
        name="review_round_release",
    ),
    path(
        "agreements/meetings/<int:pk>/minutes.pdf",
        views.MeetingMinutesPDFView.as_view(),
        name="meeting_minutes_pdf",
    ),
    path(
        "training/versions/<int:pk>/integrate/",
        views.IntegrateSuggestionsView.as_view(),
        name="curriculum_version_integrate",
    ),
    path(
        "training/modules/<int:pk>/traceability/",
        views.ModuleTraceabilityView.as_view(),
        name="module_traceability",
    ),
]
