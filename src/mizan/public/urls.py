from django.urls import path

from mizan.public import views, views_certificates, views_open_data, views_portal

app_name = "public"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("verify/", views_certificates.VerifyFormView.as_view(), name="verify"),
    path("verify/<str:code>/", views_certificates.VerifyCodeView.as_view(), name="verify_code"),
    path(
        "recommendations/",
        views_portal.RecommendationListView.as_view(),
        name="recommendation_list",
    ),
    path(
        "recommendations/<int:pk>/",
        views_portal.RecommendationDetailView.as_view(),
        name="recommendation_detail",
    ),
    path("actions/", views_portal.ActionListView.as_view(), name="action_list"),
    path("actions/<int:pk>/", views_portal.ActionDetailView.as_view(), name="action_detail"),
    path("open-data/", views_open_data.OpenDataView.as_view(), name="open_data"),
    path(
        "open-data/recommendations.csv",
        views_open_data.RecommendationsFile.as_view(format="csv"),
        name="open_data_recommendations_csv",
    ),
    path(
        "open-data/recommendations.json",
        views_open_data.RecommendationsFile.as_view(format="json"),
        name="open_data_recommendations_json",
    ),
    path(
        "open-data/actions.csv",
        views_open_data.ActionsFile.as_view(format="csv"),
        name="open_data_actions_csv",
    ),
    path(
        "open-data/actions.json",
        views_open_data.ActionsFile.as_view(format="json"),
        name="open_data_actions_json",
    ),
    path(
        "open-data/training-figures.csv",
        views_open_data.TrainingFiguresFile.as_view(format="csv"),
        name="open_data_figures_csv",
    ),
    path(
        "open-data/training-figures.json",
        views_open_data.TrainingFiguresFile.as_view(format="json"),
        name="open_data_figures_json",
    ),
]
