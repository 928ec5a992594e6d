"""Back-office URLs: training results of a session and of a training action."""

from django.urls import path

from mizan.staff.views import results as views

urlpatterns = [
    path(
        "sessions/<int:pk>/results/",
        views.SessionResultsView.as_view(),
        name="session_results",
    ),
    path(
        "sessions/<int:pk>/results/officers-trained.csv",
        views.SessionResultsCSVView.as_view(),
        name="session_results_csv",
    ),
    path(
        "actions/<int:pk>/training/",
        views.ActionTrainingFiguresView.as_view(),
        name="action_training_figures",
    ),
    path(
        "actions/<int:pk>/training/officers-trained.csv",
        views.ActionTrainingFiguresCSVView.as_view(),
        name="action_training_figures_csv",
    ),
]
