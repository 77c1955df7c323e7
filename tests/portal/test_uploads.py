"""Uploads cannot carry script (portal/uploads.py): every upload form, every polyglot.

A polyglot is a real picture (or PDF) with a script inside or after it, named so that a careless
server would serve it as HTML or SVG. Each one goes in through each form a user (or an
administrator) has, and what comes back is checked as a browser would receive it: the type, the
`nosniff` and download headers, the bytes, and the stored name's extension.
"""

import datetime
import io
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from cadres.models import Cadre
from grassroots import services as grassroots_services
from grassroots.models import Meeting, MeetingAttachment
from poverty.models import VisitPhoto
from tests import uploads
from tests.cadres.factories import id_number_for, make_cadre
from tests.poverty.factories import make_household, make_pairing, make_village

pytestmark = pytest.mark.django_db


@dataclass
class Upload:
    response: object
    stored: list = field(default_factory=list)  # (stored name, URL that serves it)


def _cadre_fields(world) -> dict:
    return {
        "name": "王五",
        "gender": "male",
        "birth_date": "1985-03-02",
        "id_number": id_number_for(datetime.date(1985, 3, 2), "male"),
        "organization": world.township_a.pk,
        "ethnicity": "汉族",
        "health": "健康",
        "staff_category": "civil_servant",
    }


def _cadre_photos() -> list:
    return [
        (cadre.photo.name, reverse("cadres:cadre-photo", args=[cadre.pk]))
        for cadre in Cadre.objects.exclude(photo="")
    ]


def via_cadre_create(world, client_as, file) -> Upload:
    response = client_as("staff").post(
        reverse("cadres:cadre-create"), {**_cadre_fields(world), "photo": file}
    )
    if response.status_code == 200:
        # a refused photo leaves no record behind (the page is shown again to fix it)
        assert not Cadre.objects.exists()
    return Upload(response, _cadre_photos())


def via_cadre_update(world, client_as, file) -> Upload:
    cadre = make_cadre(world.township_a)
    data = {**_cadre_fields(world), "name": cadre.name, "id_number": "", "photo": file}
    data["birth_date"] = cadre.birth_date.isoformat()
    del data["organization"]
    response = client_as("staff").post(reverse("cadres:cadre-update", args=[cadre.pk]), data)
    return Upload(response, _cadre_photos())


def via_visit(world, client_as, file) -> Upload:
    household = make_household(make_village(world.branch_a1))
    helper = world.user("helper")
    make_pairing(household, make_cadre(world.township_a, user=helper))
    response = client_as("helper").post(
        reverse("poverty:visit-create", kwargs={"pk": household.pk}),
        {
            "date": timezone.localdate().isoformat(),
            "kind": "home",
            "findings": "生产生活正常",
            "photos": file,
        },
    )
    return Upload(
        response,
        [
            (photo.image.name, reverse("poverty:visit-photo", args=[photo.pk]))
            for photo in VisitPhoto.objects.all()
        ],
    )


def _attachments() -> list:
    return [
        (attachment.file.name, reverse("grassroots:attachment-file", args=[attachment.pk]))
        for attachment in MeetingAttachment.objects.all()
    ]


def via_meeting_create(world, client_as, file) -> Upload:
    response = client_as("secretary").post(
        reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk}),
        {
            "held": "True",
            "kind": "lecture",
            "date": "2026-11-02",
            "topic": "党课",
            "attachments": file,
        },
    )
    if response.status_code == 200:
        assert not Meeting.objects.exists()
    return Upload(response, _attachments())


def _meeting(world) -> Meeting:
    return grassroots_services.meeting_record(
        organization=world.branch_a1,
        kind="lecture",
        date=datetime.date(2026, 11, 2),
        topic="党课",
        today=datetime.date(2026, 11, 28),
    )


def via_meeting_attachment(world, client_as, file) -> Upload:
    meeting = _meeting(world)
    response = client_as("secretary").post(
        reverse("grassroots:attachment-create", args=[meeting.pk]), {"attachments": file}
    )
    # the page the secretary is sent back to shows the refusal
    return Upload(client_as("secretary").get(response["Location"]), _attachments())


def via_admin_attachment(world, client_as, file) -> Upload:
    meeting = _meeting(world)
    response = client_as("admin").post(
        reverse("admin:grassroots_meetingattachment_add"), {"meeting": meeting.pk, "file": file}
    )
    return Upload(response, _attachments())


PICTURE_FORMS = {
    "cadre-create": via_cadre_create,
    "cadre-update": via_cadre_update,
    "visit-create": via_visit,
}
PDF_FORMS = {
    "meeting-create": via_meeting_create,
    "meeting-attachment": via_meeting_attachment,
    "admin-attachment": via_admin_attachment,
}
CASES = [
    (form, polyglot)
    for forms, allow_pdf in ((PICTURE_FORMS, False), (PDF_FORMS, True))
    for form in forms
    for polyglot in uploads.polyglots(allow_pdf=allow_pdf)
]


@pytest.mark.parametrize(("form", "polyglot"), CASES)
def test_a_polyglot_comes_back_as_a_plain_picture_or_pdf(client_as, world, form, polyglot):
    # given a real picture (or PDF) carrying a script, named .html, .svg or .htm
    name, content = uploads.polyglots(allow_pdf=form in PDF_FORMS)[polyglot]
    assert uploads.SCRIPT in content
    # when it is uploaded through the form
    via = {**PICTURE_FORMS, **PDF_FORMS}[form]
    upload = via(world, client_as, SimpleUploadedFile(name, content, content_type="text/html"))
    # then it is accepted, and stored under the extension of what it really is
    assert upload.response.status_code in (200, 302)
    [(stored_name, url)] = upload.stored
    expected = {"pdf": "pdf", "jpeg": "jpg"}.get(polyglot.split("-")[0], "png")
    assert stored_name.rsplit(".", 1)[-1] == expected
    # and the portal serves it with an explicit type the browser may not second-guess
    response = client_as("admin").get(url)
    body = b"".join(response.streaming_content)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert uploads.SCRIPT not in body and b"<script" not in body.lower()
    if expected == "pdf":
        # a PDF is a download, never shown in the portal's own page, and its scripts are gone
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"/JavaScript" not in body and b"/JS" not in body and b"/OpenAction" not in body
        assert len(PdfReader(io.BytesIO(body)).pages) == 1
    else:
        # a picture is shown, and it is the same picture (16 x 12, red)
        assert response["Content-Type"] == {"png": "image/png", "jpg": "image/jpeg"}[expected]
        assert response["Content-Disposition"].startswith("inline;")
        picture = Image.open(io.BytesIO(body))
        assert picture.size == (16, 12)
        red, green, blue = picture.convert("RGB").getpixel((8, 6))
        assert red > 240 and green < 15 and blue < 15


ALL_FORMS = {**PICTURE_FORMS, **PDF_FORMS}


@pytest.mark.parametrize("form", list(ALL_FORMS))
def test_an_svg_is_refused_with_a_message_in_chinese(client_as, world, form):
    upload = ALL_FORMS[form](
        world, client_as, SimpleUploadedFile("logo.svg", uploads.SVG, content_type="image/svg+xml")
    )
    assert upload.stored == []
    page = upload.response.content.decode()
    assert "“logo.svg”不是" in page  # …不是图片 / …不是照片或PDF文件


@pytest.mark.parametrize("form", list(PICTURE_FORMS))
def test_a_pdf_is_refused_where_only_pictures_belong(client_as, world, form):
    upload = PICTURE_FORMS[form](world, client_as, SimpleUploadedFile("a.jpg", uploads.pdf()))
    assert upload.stored == []
    assert "“a.jpg”不是图片" in upload.response.content.decode()


# --- The rewrite itself --------------------------------------------------------------------


def _clean(content: bytes, name: str = "photo.jpg", **kwargs):
    from portal.uploads import clean_upload

    return clean_upload(SimpleUploadedFile(name, content), **kwargs)


def test_a_photo_taken_sideways_is_stored_upright_without_its_exif():
    # given a 40 x 20 JPEG whose EXIF says "rotate 90° clockwise to show" and where it was taken
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    original = uploads.picture("JPEG", size=(40, 20), exif=exif.tobytes())
    assert b"PhoneMaker" in original
    data = _clean(original).read()
    stored = Image.open(io.BytesIO(data))
    # then it is stored as it is shown: 20 wide, 40 high, with no EXIF left
    assert stored.size == (20, 40)
    assert not stored.getexif()
    assert b"PhoneMaker" not in data


def test_a_huge_picture_is_scaled_down_and_too_many_pixels_are_refused():
    from django.core.exceptions import ValidationError

    from portal.uploads import MAX_SIDE

    wide = _clean(uploads.picture("PNG", size=(MAX_SIDE * 2, 100)), "wide.png")
    assert Image.open(io.BytesIO(wide.read())).size == (MAX_SIDE, 50)
    # a small file that declares a 10,000 x 10,000 canvas is refused before it is decoded
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    bomb = buffer.getvalue()
    assert len(bomb) < 1_000_000
    with pytest.raises(ValidationError, match="百万像素"):
        _clean(bomb, "bomb.png")


def test_an_iphone_heic_photo_is_stored_as_jpeg():
    import pillow_heif

    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (32, 24), "blue")).save(buffer, quality=90)
    clean = _clean(buffer.getvalue() + uploads.SCRIPT, "IMG_0001.HEIC")
    assert clean.name == "IMG_0001.jpg" and clean.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(clean.read())).size == (32, 24)


def test_a_pdf_with_a_password_or_without_pages_is_refused_with_a_message():
    from django.core.exceptions import ValidationError
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(ValidationError, match="密码"):
        _clean(locked.getvalue(), "locked.pdf", allow_pdf=True)
    with pytest.raises(ValidationError, match="已损坏"):
        _clean(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "empty.pdf", allow_pdf=True)


def test_a_file_stored_before_this_rule_under_an_html_name_is_an_opaque_download(client_as, world):
    # given a sign-in sheet stored long ago under the name it was uploaded with
    meeting = _meeting(world)
    name = default_storage.save(
        f"grassroots/meetings/{meeting.pk}/sheet.html",
        ContentFile(uploads.picture("PNG") + uploads.SCRIPT),
    )
    attachment = MeetingAttachment.objects.create(
        meeting=meeting, file=name, content_type="image/png", size=1
    )
    response = client_as("secretary").get(
        reverse("grassroots:attachment-file", args=[attachment.pk])
    )
    # then it is never rendered by the browser: an opaque download, not sniffed
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sheet.bin" in response["Content-Disposition"]
