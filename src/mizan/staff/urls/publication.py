"""Back-office URLs: putting recommendations and actions on the public portal."""

from django.urls import path

from mizan.staff.views import publication as views

urlpatterns = [
    path(
        "recommendations/<int:pk>/publish/",
        views.RecommendationPublicationView.as_view(publish=True),
        name="recommendation_publish",
    ),
    path(
        "recommendations/<int:pk>/withdraw/",
        views.RecommendationPublicationView.as_view(publish=False),
        name="recommendation_withdraw",
    ),
    path(
        "documents/<int:pk>/publish/",
        views.DocumentPublicationView.as_view(publish=True),
        name="document_publish",
    ),
    path(
        "documents/<int:pk>/withdraw/",
        views.DocumentPublicationView.as_view(publish=False),
        name="document_withdraw",
    ),
    path(
        "actions/<int:pk>/publish/",
        views.ActionPublicationView.as_view(publish=True),
        name="action_publish",
    ),
    path(
        "actions/<int:pk>/withdraw/",
        views.ActionPublicationView.as_view(publish=False),
        name="action_withdraw",
    ),
]
