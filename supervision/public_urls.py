"""Public pages of the supervision app (no login): the requester's progress lookup."""

from django.urls import path

from supervision import public_views

app_name = "track"

urlpatterns = [
    path("", public_views.lookup, name="lookup"),
    path("rate/", public_views.rate, name="rate"),
]
