"""Root URL configuration: each audience mounts its own URLs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from mizan.accounts.language import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("mizan.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("mizan.api.urls")),
    path("staff/", include("mizan.staff.urls")),
    path("p/", include("mizan.participant.urls")),
    path("", include("mizan.public.urls")),
]

if settings.DEBUG:  # pragma: no cover - development only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
