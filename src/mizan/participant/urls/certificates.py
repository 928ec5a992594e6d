"""URLs of the participant pages: the certificate, as a PDF."""

from django.urls import path

from mizan.participant.views import certificates

urlpatterns = [
    path("<str:token>/certificate/", certificates.certificate, name="certificate"),
]
