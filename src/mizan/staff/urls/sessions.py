"""Back-office URLs: training sessions, their half-days, nominations, enrolments, personal
links, and participants."""

from django.urls import path

from mizan.staff.views import sessions as views

urlpatterns = [
    path("sessions/", views.SessionListView.as_view(), name="session_list"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/edit/", views.SessionEditView.as_view(), name="session_edit"),
    path("sessions/<int:pk>/status/", views.SessionStatusView.as_view(), name="session_status"),
    path("sessions/<int:pk>/history/", views.SessionHistoryView.as_view(), name="session_history"),
    path(
        "sessions/<int:pk>/slots/add/",
        views.SlotsGenerateView.as_view(),
        name="session_slots_generate",
    ),
    path("sessions/<int:pk>/nominate/", views.NominateView.as_view(), name="session_nominate"),
    path("sessions/<int:pk>/enrol/", views.EnrolView.as_view(), name="session_enrol"),
    path("sessions/<int:pk>/links/", views.LinksView.as_view(), name="session_links"),
    path("sessions/slots/<int:pk>/edit/", views.SlotEditView.as_view(), name="slot_edit"),
    path("sessions/slots/<int:pk>/remove/", views.SlotRemoveView.as_view(), name="slot_remove"),
    path(
        "sessions/enrolments/<int:pk>/decide/",
        views.DecideView.as_view(),
        name="enrolment_decide",
    ),
    path(
        "sessions/enrolments/<int:pk>/withdraw/",
        views.WithdrawView.as_view(),
        name="enrolment_withdraw",
    ),
    path(
        "sessions/enrolments/<int:pk>/link/",
        views.LinkIssueView.as_view(),
        name="enrolment_link",
    ),
    path(
        "participants/<int:pk>/",
        views.ParticipantDetailView.as_view(),
        name="participant_detail",
    ),
    path(
        "participants/<int:pk>/edit/",
        views.ParticipantEditView.as_view(),
        name="participant_edit",
    ),
    path(
        "participants/<int:pk>/history/",
        views.ParticipantHistoryView.as_view(),
        name="participant_history",
    ),
]
