"""Back-office URLs: partnership agreements, joint committees, meetings and their tasks."""

from django.urls import path

from mizan.staff.views import partnerships as views

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path(
        "agreements/<int:pk>/history/",
        views.AgreementHistoryView.as_view(),
        name="agreement_history",
    ),
    path(
        "agreements/<int:pk>/documents/",
        views.AgreementDocumentView.as_view(),
        name="agreement_document_add",
    ),
    path(
        "agreements/<int:pk>/commitments/new/",
        views.CommitmentCreateView.as_view(),
        name="commitment_create",
    ),
    path(
        "agreements/<int:pk>/committees/new/",
        views.CommitteeCreateView.as_view(),
        name="committee_create",
    ),
    path(
        "agreements/commitments/<int:pk>/edit/",
        views.CommitmentEditView.as_view(),
        name="commitment_edit",
    ),
    path(
        "agreements/commitments/<int:pk>/actions/",
        views.CommitmentActionsView.as_view(),
        name="commitment_actions",
    ),
    path(
        "agreements/commitments/<int:pk>/remove/",
        views.CommitmentRemoveView.as_view(),
        name="commitment_remove",
    ),
    path(
        "agreements/committees/<int:pk>/",
        views.CommitteeDetailView.as_view(),
        name="committee_detail",
    ),
    path(
        "agreements/committees/<int:pk>/edit/",
        views.CommitteeEditView.as_view(),
        name="committee_edit",
    ),
    path(
        "agreements/committees/<int:pk>/members/new/",
        views.CommitteeMemberAddView.as_view(),
        name="committee_member_add",
    ),
    path(
        "agreements/committees/<int:pk>/meetings/new/",
        views.MeetingCreateView.as_view(),
        name="meeting_create",
    ),
    path(
        "agreements/seats/<int:pk>/edit/",
        views.CommitteeMemberEditView.as_view(),
        name="committee_member_edit",
    ),
    path(
        "agreements/seats/<int:pk>/remove/",
        views.CommitteeMemberRemoveView.as_view(),
        name="committee_member_remove",
    ),
    path("agreements/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path(
        "agreements/meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"
    ),
    path(
        "agreements/meetings/<int:pk>/record/",
        views.MeetingRecordView.as_view(),
        name="meeting_record",
    ),
    path(
        "agreements/meetings/<int:pk>/cancel/",
        views.MeetingCancelView.as_view(),
        name="meeting_cancel",
    ),
    path(
        "agreements/meetings/<int:pk>/decisions/",
        views.DecisionCreateView.as_view(),
        name="decision_create",
    ),
    path(
        "agreements/meetings/<int:pk>/history/",
        views.MeetingHistoryView.as_view(),
        name="meeting_history",
    ),
    path(
        "agreements/decisions/<int:pk>/tasks/",
        views.TaskCreateView.as_view(),
        name="task_create",
    ),
    path(
        "agreements/tasks/<int:pk>/complete/",
        views.TaskCompleteView.as_view(),
        name="task_complete",
    ),
    path("agreements/tasks/<int:pk>/reopen/", views.TaskReopenView.as_view(), name="task_reopen"),
]
