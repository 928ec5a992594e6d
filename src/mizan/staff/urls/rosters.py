"""Back-office URLs: importing a session's roster, and merging duplicate participants."""

from django.urls import path

from mizan.staff.views import rosters as views

urlpatterns = [
    path(
        "sessions/<int:pk>/roster/import/",
        views.RosterImportView.as_view(),
        name="roster_import",
    ),
    path(
        "sessions/<int:pk>/roster/import/confirm/",
        views.RosterConfirmView.as_view(),
        name="roster_import_confirm",
    ),
    path(
        "sessions/<int:pk>/roster/template/<str:file_format>/",
        views.RosterTemplateView.as_view(),
        name="roster_template",
    ),
    path(
        "participants/duplicates/",
        views.DuplicateListView.as_view(),
        name="participant_duplicates",
    ),
    path(
        "participants/merge/<int:keep>/<int:duplicate>/",
        views.MergeView.as_view(),
        name="participant_merge",
    ),
]
