from django.urls import path

from portal.reminders import views

app_name = "reminders"

urlpatterns = [
    path("deadlines/", views.my_deadlines, name="my-deadlines"),
    path("deadlines/<str:key>/<path:item_key>", views.deadline_open, name="deadline-open"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("calendar/renew/", views.calendar_renew, name="calendar-renew"),
]
