"""The participant's phone pages, opened with a personal link (``/p/<token>/``) or a
half-day's QR code (``/p/check-in/<code>/``), in the ``participant`` namespace. One module
of URLs per area."""

from mizan.participant.urls import certificates, check_in, pages, suggestions

app_name = "participant"
urlpatterns = [
    *check_in.urlpatterns,
    *suggestions.urlpatterns,
    *pages.urlpatterns,
    *certificates.urlpatterns,
]
