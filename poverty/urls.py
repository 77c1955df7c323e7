from django.urls import path

from poverty import views

app_name = "poverty"

urlpatterns = [
    path("", views.index, name="index"),
]
