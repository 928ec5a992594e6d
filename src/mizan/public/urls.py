from django.urls import path

from mizan.public import views, views_certificates

app_name = "public"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("verify/", views_certificates.VerifyFormView.as_view(), name="verify"),
    path("verify/<str:code>/", views_certificates.VerifyCodeView.as_view(), name="verify_code"),
]
