"""Public pages of the supervision app (no login): the requester's progress lookup."""

app_name = "track"

urlpatterns: list = []
