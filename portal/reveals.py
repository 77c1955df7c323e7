"""The one way a view answers a reveal (the value is already logged by
portal.services.reveal_record): in place for htmx (templates/components/reveal.html swaps it
in), otherwise on a page of its own with the way back, so it works without JavaScript."""

from django.shortcuts import render


def reveal_response(request, *, value: str, back_url: str):
    base = "components/fragment.html" if request.htmx else "base.html"
    return render(
        request,
        "components/revealed.html",
        {"value": value, "back_url": back_url, "base_template": base},
    )
