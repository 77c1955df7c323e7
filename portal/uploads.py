"""Uploaded files (photos, sign-in sheets, scans): one rule for every app, on the way in and on
the way out.

In: `clean_upload` reads the file's type from its content (never from its name or the type the
browser claims), refuses anything that is not a picture (or, where allowed, a PDF), and rewrites
what it accepts: a picture is decoded and encoded again by Pillow (EXIF orientation applied,
at most MAX_SIDE pixels a side, no metadata kept), a PDF is rebuilt page by page by pypdf
(no document or page actions, no annotations, no JavaScript). Nothing that followed the picture
or the PDF in the uploaded bytes survives, so a PNG with a `<script>` appended is a plain PNG
again. The stored name's extension is the one of the type written, never the uploaded one.

Out: `upload_response` serves a stored file with an explicit image or PDF type, `nosniff`, a
sandboxing Content-Security-Policy, and as a download for anything that is not a picture. It
decides from the stored extension, so a file stored before this rule under a name like
`photo.html` is served as an opaque download.
"""

import io
import re
import warnings
from pathlib import PurePath

import filetype
import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter

# HEIC/HEIF (iPhone photos) open in Pillow through pillow-heif; they are stored as JPEG.
pillow_heif.register_heif_opener()

# Picture types accepted (by content); every one is re-encoded to JPEG or PNG.
PICTURE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/tiff",
    "image/heic",
    "image/heif",
    "image/avif",
}
# A longer side is scaled down to this: a scan of an A4 sheet stays legible at 4096 px, and a
# phone's 50-megapixel photo no longer costs 20 MB to show as a thumbnail.
MAX_SIDE = 4096
# Refused before decoding: a small file can declare a huge canvas (a decompression bomb), and
# decoding 64 million pixels already costs about 200 MB of memory.
MAX_PIXELS = 64_000_000
JPEG_QUALITY = 85

# What a stored file is served as, by its extension. Anything else is an opaque download.
SERVED_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    # Stored before re-encoding existed; their content was checked to be a picture of the type.
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "pdf": "application/pdf",
}
OPAQUE = "application/octet-stream"


def _fail(message: str, field: str | None):
    raise ValidationError({field: message} if field else message)


def _stem(name: str) -> str:
    """A harmless stem from the uploaded name (letters, digits, - and _; no dot, so no second
    extension), for names a person reads, such as a sign-in sheet's."""
    stem = re.sub(r"[^\w-]", "", PurePath(name).stem.replace(".", "_"))[:60]
    return stem or "upload"


def clean_upload(file, *, allow_pdf: bool = False, field: str | None = None) -> ContentFile:
    """Check and rewrite an uploaded picture (or, with `allow_pdf`, a PDF) of at most 10 MB.

    Returns a new file holding only the re-encoded content, named `<stem>.<jpg|png|pdf>` after
    the type written, with `content_type` set. Raises ValidationError (on `field`, if named)
    saying what to do."""
    name = getattr(file, "name", "") or _("The file")
    if file.size > settings.MAX_UPLOAD_SIZE:
        _fail(
            _("“%(name)s” is larger than 10 MB; please upload a smaller file.") % {"name": name},
            field,
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else ""
    if allow_pdf and mime == "application/pdf":
        content, extension, content_type = _rewrite_pdf(data, name, field), "pdf", mime
    elif mime in PICTURE_TYPES:
        content, extension, content_type = _reencode_picture(data, name, field)
    elif allow_pdf:
        _fail(
            _("“%(name)s” is not a photo or a PDF; please attach an image or a PDF scan.")
            % {"name": name},
            field,
        )
    else:
        _fail(
            _("“%(name)s” is not a picture; please upload a photo (JPEG, PNG, WebP or HEIC).")
            % {"name": name},
            field,
        )
    clean = ContentFile(content, name=f"{_stem(name)}.{extension}")
    clean.content_type = content_type
    return clean


def _damaged(name: str, field: str | None):
    _fail(
        _("“%(name)s” is damaged and cannot be read; please upload it again.") % {"name": name},
        field,
    )


def _reencode_picture(data: bytes, name: str, field: str | None) -> tuple[bytes, str, str]:
    """Decode the picture and encode its pixels alone: JPEG for photos, PNG for pictures that
    are lossless already (PNG, GIF) or have transparency. Only the first frame of an animation
    is kept. No EXIF (the place a photo was taken), ICC profile or text chunk is written."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit; MAX_PIXELS below is the stricter rule applied.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data))
        with source:
            if source.width * source.height > MAX_PIXELS:
                _fail(
                    _(
                        "“%(name)s” has more than %(millions)s million pixels; please upload a "
                        "smaller picture."
                    )
                    % {"name": name, "millions": MAX_PIXELS // 1_000_000},
                    field,
                )
            lossless = source.format in ("PNG", "GIF")
            # A JPEG is decoded straight at a reduced scale when it is much larger than kept.
            source.draft("RGB", (MAX_SIDE, MAX_SIDE))
            picture = ImageOps.exif_transpose(source)
            picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            transparent = picture.mode in ("RGBA", "LA", "PA") or (
                picture.mode == "P" and "transparency" in picture.info
            )
            if lossless or transparent:
                picture = picture.convert("RGBA" if transparent else "RGB")
                picture.info = {}
                out, fmt, extension, mime = io.BytesIO(), "PNG", "png", "image/png"
                picture.save(out, fmt)
            else:
                picture = picture.convert("L" if picture.mode in ("1", "L") else "RGB")
                picture.info = {}
                out, fmt, extension, mime = io.BytesIO(), "JPEG", "jpg", "image/jpeg"
                picture.save(out, fmt, quality=JPEG_QUALITY, optimize=True)
    except Image.DecompressionBombError:
        _fail(
            _(
                "“%(name)s” has more than %(millions)s million pixels; please upload a smaller "
                "picture."
            )
            % {"name": name, "millions": MAX_PIXELS // 1_000_000},
            field,
        )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        _damaged(name, field)
    return out.getvalue(), extension, mime


# Entries a page may carry that act when the page is opened or closed, or link elsewhere.
PAGE_ACTIONS = ("/AA", "/Annots", "/B")


def _rewrite_pdf(data: bytes, name: str, field: str | None) -> bytes:
    """Rebuild the PDF from its pages alone. The document's catalogue is not copied, so its
    open action, named JavaScript, forms, attachments and outline are left behind; each page
    loses its actions and annotations (links, form fields), which a scan does not need."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _fail(
                _("“%(name)s” is protected by a password; please upload a copy without a password.")
                % {"name": name},
                field,
            )
        writer = PdfWriter()
        for page in reader.pages:
            for key in PAGE_ACTIONS:
                if key in page:
                    del page[key]
            writer.add_page(page)
        if not writer.pages:
            _damaged(name, field)
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - any parser error on user bytes means "cannot be read"
        _damaged(name, field)
    return out.getvalue()


def stored_name(directory: str, filename: str, *, stem: str | None = None) -> str:
    """A storage path in `directory` for a file cleaned by `clean_upload`: its extension is
    kept only if it is one served as what it is, and the stem is `stem` or the cleaned one."""
    extension = PurePath(filename).suffix.lstrip(".").lower()
    if extension not in SERVED_TYPES:
        extension = "bin"
    return f"{directory}/{stem or _stem(filename)}.{extension}"


def upload_response(stored, *, download_name: str | None = None) -> FileResponse:
    """Serve a stored upload (a FieldFile): a picture shown in the page, anything else (a PDF)
    downloaded, never sniffed by the browser, and never able to run script in the portal's
    origin even if opened on its own."""
    extension = PurePath(stored.name).suffix.lstrip(".").lower()
    content_type = SERVED_TYPES.get(extension, OPAQUE)
    is_picture = content_type.startswith("image/")
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = download_name or PurePath(stored.name).name
    if content_type == OPAQUE:
        filename = f"{_stem(filename)}.bin"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not is_picture,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own (a new tab), the file runs in a sandbox with nothing allowed.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
