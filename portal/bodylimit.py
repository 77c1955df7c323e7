"""A cap on the size of a whole request body (REQUEST_MAX_BODY_MB, 25 MB by default).

DATA_UPLOAD_MAX_MEMORY_SIZE counts form fields only, never file data, so without this a single
request could stream gigabytes into a worker's temporary files. Each upload is still limited
by its own kind (portal/uploads.py: 10 MB a file, IMPORT_MAX_SIZE an import); this cap bounds
a form carrying several files at once. The reverse proxy refuses the same size first
(client_max_body_size in deploy/nginx.conf); this answers when it is bypassed or misset.

The middleware runs first and reads only the Content-Length header: the refused body is never
read, and the page needs neither the session nor the database. A body sent in chunks, with no
Content-Length, is no way around it: Django reads such a body as empty (WSGIRequest limits its
stream to the declared length), and nginx refuses one above client_max_body_size.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def limit_bytes() -> int:
    return settings.REQUEST_MAX_BODY_MB * 1024 * 1024


def declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def too_large(request) -> HttpResponse:
    """413, in the language of the user's cookie or browser (LocaleMiddleware has not run)."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        limit = settings.REQUEST_MAX_BODY_MB
        message = _(
            "What you sent is larger than %(limit)s MB, the most the portal accepts in one "
            "request. Send fewer or smaller files at a time (each picture or scan up to "
            "10 MB), or make a picture smaller before attaching it."
        ) % {"limit": limit}
        if "application/json" in request.META.get("HTTP_ACCEPT", ""):
            return JsonResponse({"error": message}, status=413)
        html = render_to_string(
            "413.html",
            {"message": message, "language": language, "title": _("Too much at once")},
        )
    response = HttpResponse(html, status=413)
    # The client is still sending the body we will not read: end the connection.
    response["Connection"] = "close"
    return response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        if length is None or length > limit_bytes():
            return too_large(request)
        return self.get_response(request)
