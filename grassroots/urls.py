from django.urls import path

from grassroots import views

app_name = "grassroots"

urlpatterns = [
    path("", views.index, name="index"),
]
