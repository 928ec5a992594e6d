"""Back-office URLs: the user's own work and calendar feed."""

from django.urls import path

from mizan.staff.views.work import CalendarFeedResetView, CalendarFeedView, MyWorkView

urlpatterns = [
    path("my-work/", MyWorkView.as_view(), name="my_work"),
    path("my-work/calendar/", CalendarFeedResetView.as_view(), name="calendar_feed_reset"),
    path("calendar/<str:token>.ics", CalendarFeedView.as_view(), name="calendar_feed"),
]
