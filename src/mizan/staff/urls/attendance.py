"""Back-office URLs: attendance per half-day (the session's grid and its export, the
tablet page of a half-day, the check-in QR code)."""

from django.urls import path

from mizan.staff.views import attendance as views

urlpatterns = [
    path(
        "sessions/<int:pk>/attendance/",
        views.SessionAttendanceView.as_view(),
        name="session_attendance",
    ),
    path(
        "sessions/<int:pk>/attendance/export.csv",
        views.AttendanceExportView.as_view(),
        {"format": "csv"},
        name="session_attendance_csv",
    ),
    path(
        "sessions/<int:pk>/attendance/export.xlsx",
        views.AttendanceExportView.as_view(),
        {"format": "xlsx"},
        name="session_attendance_xlsx",
    ),
    path("slots/<int:pk>/attendance/", views.SlotAttendanceView.as_view(), name="slot_attendance"),
    path(
        "slots/<int:pk>/attendance/mark-absent/",
        views.MarkUnrecordedAbsentView.as_view(),
        name="slot_mark_unrecorded_absent",
    ),
    path(
        "slots/<int:pk>/check-in-code/",
        views.CheckInCodeView.as_view(),
        name="slot_check_in_code",
    ),
    path(
        "slots/<int:pk>/check-in-code.png",
        views.CheckInCodePngView.as_view(),
        name="slot_check_in_code_png",
    ),
]
