"""The portal's own error pages: 403 and 404 in the portal's layout, a CSRF failure that
explains a stale form, and a 500 page that needs neither the database nor a request context."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.roles import Area


def permission_denied(request, exception=None):
    """403: names the area the user's role does not reach (raised as PermissionDenied(area))."""
    area = exception.args[0] if exception is not None and exception.args else None
    label = Area(area).label if area in Area.values else None
    return render(request, "403.html", {"area": label}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """A form sent from a page that had been open too long, or after signing in elsewhere."""
    back = request.META.get("HTTP_REFERER", "")
    # Only a link back into this portal: never an address another site put in the header.
    if not back.startswith(request.build_absolute_uri("/")):
        back = ""
    return render(
        request,
        "403_csrf.html",
        {"back": back, "title": _("The form has expired")},
        status=403,
    )
