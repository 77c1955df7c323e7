"""/track/: the requester's progress lookup. No login; the code and the secret together
show the stage and its dates, nothing else."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.clientip import client_ip
from portal.forms import attach_error
from supervision import forms, selectors, services, throttle

TEMPLATE = "supervision/track.html"


class Refused(Exception):
    """The address has used up its tries: the pair was not even looked at."""


def _refused(request):
    return render(request, TEMPLATE, {"form": forms.TrackForm(), "refused": True}, status=429)


def _lookup(request, form):
    """The matter for the posted pair, or None; a wrong pair counts against the address.

    The try is counted before the pair is checked (supervision/throttle.py), so parallel
    requests cannot all slip under the limit; a right pair gives its count back."""
    address = client_ip(request)
    count = throttle.attempt(address)
    if throttle.refuses(count):
        raise Refused
    throttle.slow_down(count)
    complaint = selectors.complaint_for_requester(
        form.cleaned_data["code"], form.cleaned_data["secret"]
    )
    if complaint is not None:
        throttle.succeeded(address)
    else:
        # The same words whether or not the code exists.
        form.add_error(
            None,
            _(
                "No matter matches this code and secret. Check both against your receipt; "
                "after several wrong tries the lookup pauses for a while."
            ),
        )
    return complaint


def _result(request, complaint, form, rate_form=None):
    if rate_form is None and complaint.status in services.RATEABLE_STATUSES:
        rate_form = forms.RateForm(
            initial={"code": form.cleaned_data["code"], "secret": form.cleaned_data["secret"]}
        )
    return render(request, TEMPLATE, {"form": form, "complaint": complaint, "rate_form": rate_form})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    if throttle.is_refused(client_ip(request)):
        return _refused(request)
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = _lookup(request, form)
        except Refused:
            return _refused(request)
        if complaint is not None:
            return _result(request, complaint, form)
    return render(request, TEMPLATE, {"form": form})


@login_not_required
@never_cache
@require_POST
def rate(request):
    if throttle.is_refused(client_ip(request)):
        return _refused(request)
    form = forms.RateForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": forms.TrackForm(request.POST)})
    try:
        complaint = _lookup(request, form)
    except Refused:
        return _refused(request)
    if complaint is None:
        return render(request, TEMPLATE, {"form": form})
    try:
        services.complaint_rate(complaint=complaint, rating=form.cleaned_data["rating"])
    except ValidationError as error:
        attach_error(form, error)
        return _result(request, complaint, form, rate_form=form)
    complaint = selectors.complaint_for_requester(
        form.cleaned_data["code"], form.cleaned_data["secret"]
    )
    return render(request, TEMPLATE, {"form": form, "complaint": complaint, "thanks": True})
