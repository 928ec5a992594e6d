"""The API's URLs: version 1 of the endpoints, the OpenAPI schema and its docs page, and
the public API (``public/v1/``) with its own schema and docs page."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from mizan.api import (
    actions,
    attendance,
    certificates,
    institutions,
    partnerships,
    public,
    reviews,
    sessions,
    suggestions,
    training,
    views,
    work,
)
from mizan.api.permissions import IsMember

# SimpleRouter rather than DefaultRouter: no browsable root view, which would answer an
# account without membership where every other endpoint refuses it.
router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("mechanisms", views.MechanismViewSet, basename="mechanism")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("vocabularies", views.VocabularyViewSet, basename="vocabulary")
router.register("taggings", views.TaggingViewSet, basename="tagging")
for area in (
    institutions,
    actions,
    partnerships,
    work,
    training,
    sessions,
    attendance,
    certificates,
    suggestions,
    reviews,
):
    area.register(router)

v1 = [
    *router.urls,
    path("me/", views.MeView.as_view(), name="me"),
    *institutions.urlpatterns,
    *actions.urlpatterns,
    *partnerships.urlpatterns,
    *work.urlpatterns,
    *training.urlpatterns,
    *sessions.urlpatterns,
    *attendance.urlpatterns,
    *certificates.urlpatterns,
    *suggestions.urlpatterns,
    *reviews.urlpatterns,
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsMember]), name="schema"),
    # The docs page is for people in a browser: logged out, they are sent to log in.
    path(
        "docs/",
        login_required(
            SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[IsMember])
        ),
        name="docs",
    ),
    # The public API: no account, its own schema and docs page, open to everyone.
    path("public/v1/", include(public.urlpatterns)),
    path(
        "public/schema/",
        SpectacularAPIView.as_view(
            patterns=public.schema_patterns,
            generator_class=public.PublicSchemaGenerator,
            custom_settings=public.SCHEMA_SETTINGS,
            permission_classes=[AllowAny],
            authentication_classes=[],
        ),
        name="public_schema",
    ),
    path(
        "public/docs/",
        SpectacularSwaggerView.as_view(
            url_name="api:public_schema", permission_classes=[AllowAny], authentication_classes=[]
        ),
        name="public_docs",
    ),
    # Only paths ending in "/": others still get CommonMiddleware's redirect to add one.
    re_path(r"^(?:.*/)?$", views.not_found),
]
