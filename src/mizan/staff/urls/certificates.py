"""Back-office URLs: a session's certificates (completion, issuing, PDFs, revoking) and
its cascades (reach, lineage, recording, relay trainers)."""

from django.urls import path

from mizan.staff.views import cascades, certificates

urlpatterns = [
    path(
        "sessions/<int:pk>/certificates/",
        certificates.SessionCertificatesView.as_view(),
        name="session_certificates",
    ),
    path(
        "sessions/<int:pk>/certificates/issue/",
        certificates.IssueCertificatesView.as_view(),
        name="session_certificates_issue",
    ),
    path(
        "certificates/<int:pk>/pdf/<slug:language>/",
        certificates.CertificatePdfView.as_view(),
        name="certificate_pdf",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        certificates.RevokeCertificateView.as_view(),
        name="certificate_revoke",
    ),
    path(
        "certificates/<int:pk>/reissue/",
        certificates.ReissueCertificateView.as_view(),
        name="certificate_reissue",
    ),
    path(
        "sessions/<int:pk>/cascades/",
        cascades.SessionCascadesView.as_view(),
        name="session_cascades",
    ),
    path(
        "sessions/<int:pk>/cascades/record/",
        cascades.RecordCascadeView.as_view(),
        name="session_cascade_record",
    ),
    path(
        "sessions/<int:pk>/cascades/<int:cascade>/remove/",
        cascades.RemoveCascadeView.as_view(),
        name="session_cascade_remove",
    ),
    path(
        "sessions/<int:pk>/cascades/relay-trainers/",
        cascades.RegisterRelayTrainerView.as_view(),
        name="relay_trainer_register",
    ),
    path(
        "sessions/<int:pk>/cascades/relay-trainers/<int:participant>/link/",
        cascades.RelayTrainerLinkView.as_view(),
        name="relay_trainer_link",
    ),
]
