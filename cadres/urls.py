from django.urls import path

from cadres import views

app_name = "cadres"

urlpatterns = [
    path("", views.index, name="index"),
]
