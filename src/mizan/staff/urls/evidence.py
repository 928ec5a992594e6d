"""Back-office URLs: evidence files."""

from django.urls import path

from mizan.staff.views.evidence import EvidenceDownloadView

urlpatterns = [
    path("evidence/<int:pk>/", EvidenceDownloadView.as_view(), name="evidence_download"),
]
