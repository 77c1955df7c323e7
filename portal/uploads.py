"""Uploaded files (photos, sign-in sheets, scans): checked by content, never by name, and at
most settings.MAX_UPLOAD_SIZE (10 MB). One check for every app."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Formats Pillow can open to prove the picture is not damaged; others (HEIC) pass on type.
VERIFIABLE = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"}


def _fail(message: str, field: str | None):
    raise ValidationError({field: message} if field else message)


def check_upload(file, *, allow_pdf: bool = False, field: str | None = None) -> str:
    """Return the file's MIME type after checking it is an image (or, with `allow_pdf`, a
    PDF) of at most 10 MB. Raises ValidationError (on `field`, if named) saying what to do."""
    name = getattr(file, "name", "") or _("The file")
    if file.size > settings.MAX_UPLOAD_SIZE:
        _fail(
            _("“%(name)s” is larger than 10 MB; please upload a smaller file.") % {"name": name},
            field,
        )
    head = file.read(2048)
    file.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if allow_pdf and mime == "application/pdf":
        return mime
    if not mime.startswith("image/"):
        if allow_pdf:
            _fail(
                _("“%(name)s” is not a photo or a PDF; please attach an image or a PDF scan.")
                % {"name": name},
                field,
            )
        _fail(
            _("“%(name)s” is not a picture; please upload a photo (JPEG, PNG, WebP or HEIC).")
            % {"name": name},
            field,
        )
    if mime in VERIFIABLE:
        try:
            with Image.open(file) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            _fail(
                _("“%(name)s” is damaged and cannot be read; please upload it again.")
                % {"name": name},
                field,
            )
        finally:
            file.seek(0)
    return mime
