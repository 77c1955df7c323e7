"""Files to upload in tests: real pictures and PDFs, and the polyglots an attacker would try
(a real picture or PDF that also carries a script)."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

SCRIPT = b"<script>alert(document.cookie)</script>"
PDF_SCRIPT = "app.alert(document.cookie)"


def picture(fmt: str = "PNG", size=(16, 12), color="red", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def pdf(*, pages: int = 1, script: bool = False) -> bytes:
    """An A4 PDF; with `script`, JavaScript that runs on opening, on the document and on the
    first page, and an HTML script after the end of the file."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if script:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(PDF_SCRIPT),
            }
        )
        named = ArrayObject([TextStringObject("on-open"), writer._add_object(action)])
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): named})}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
        writer.pages[0][NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): writer._add_object(action)}
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue() + (b"\n" + SCRIPT if script else b"")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10" fill="red"/><script>alert(document.cookie)</script></svg>'
)


def polyglots(*, allow_pdf: bool) -> dict[str, tuple[str, bytes]]:
    """name -> (uploaded file name, bytes): each is a real picture (or PDF) with a script."""
    found = {
        "png-as-html": ("photo.html", picture("PNG") + SCRIPT),
        "gif-as-svg": ("photo.svg", picture("GIF") + SCRIPT),
        "jpeg-as-htm": ("photo.jpg.htm", picture("JPEG") + SCRIPT),
    }
    if allow_pdf:
        found["pdf-with-script-as-html"] = ("sheet.html", pdf(script=True))
    return found
