"""The back office: coordinators, focal points, trainers, committee members. One module
of URLs per area, all in the ``staff`` namespace."""

from mizan.staff.urls import (
    actions,
    attendance,
    certificates,
    decisions,
    evidence,
    institutions,
    marking,
    partnerships,
    registry,
    results,
    reviews,
    rosters,
    sessions,
    suggestions,
    training,
    work,
)

app_name = "staff"
urlpatterns = [
    *registry.urlpatterns,
    *work.urlpatterns,
    *institutions.urlpatterns,
    *actions.urlpatterns,
    *partnerships.urlpatterns,
    *evidence.urlpatterns,
    *training.urlpatterns,
    *sessions.urlpatterns,
    *rosters.urlpatterns,
    *attendance.urlpatterns,
    *marking.urlpatterns,
    *certificates.urlpatterns,
    *results.urlpatterns,
    *suggestions.urlpatterns,
    *reviews.urlpatterns,
    *decisions.urlpatterns,
]
