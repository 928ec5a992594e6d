"""Back-office URLs: the institution directory."""

from django.urls import path

from mizan.staff.views import institutions as views

urlpatterns = [
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/new/", views.InstitutionCreateView.as_view(), name="institution_create"),
    path(
        "institutions/<int:pk>/", views.InstitutionDetailView.as_view(), name="institution_detail"
    ),
    path(
        "institutions/<int:pk>/edit/",
        views.InstitutionEditView.as_view(),
        name="institution_edit",
    ),
    path(
        "institutions/<int:pk>/members/",
        views.MembershipAddView.as_view(),
        name="institution_member_add",
    ),
    path(
        "institutions/<int:pk>/members/<int:membership_pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="institution_member_remove",
    ),
]
