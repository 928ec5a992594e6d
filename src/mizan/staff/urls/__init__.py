"""The back office: coordinators, focal points, trainers, committee members. One module
of URLs per area, all in the ``staff`` namespace."""

from mizan.staff.urls import (
    actions,
    evidence,
    institutions,
    partnerships,
    registry,
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
]
