"""Supervision exports: the complaint queue with its filters and the register of letters and
visits, for the handling office only, and never the reporter's identity, not even masked."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from portal.models import RevealLog
from supervision import services
from tests.exchange.helpers import column, content, csv_table, sheet_rows, workbook, xlsx_table
from tests.supervision.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 3)
IDENTITY = {
    "name": "滕雪棠",
    "unit": "云溪县白鹭湾合作社",
    "address": "青石巷十七号",
    "contact": "13712345678",
}


@pytest.fixture
def matters(world):
    office = world.user("supervisor")
    received = ComplaintFactory(
        receiver=office, subject_organization=world.branch_a1, reporter=IDENTITY, received_on=DAY
    )
    accepted = ComplaintFactory(
        receiver=office,
        subject_organization=world.branch_b1,
        reporter=IDENTITY,
        received_on=DAY,
        summary="反映选人用人问题",
        category="cronyism",
    )
    services.complaint_decide(
        complaint=accepted, user=office, accept=True, decided_on=DAY, today=DAY
    )
    return {"received": received, "accepted": accepted}


def _all_text(response) -> str:
    raw = content(response)
    if raw.startswith(b"PK"):  # every part of the workbook, not only the cells
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    return raw.decode("utf-8", errors="replace")


def test_complaint_export_follows_the_queue_and_its_filters(client_as, world, matters):
    client = client_as("supervisor")
    page = client.get(reverse("supervision:complaint-list"), {"status": "accepted"})
    rows = xlsx_table(client.get(reverse("supervision:complaint-export"), {"status": "accepted"}))
    assert column(rows, "编号") == [c.tracking_code for c in page.context["complaints"]]
    assert column(rows, "编号") == [matters["accepted"].tracking_code]
    row = rows[0]
    assert "任人唯亲" in row["问题类别"]
    assert (row["办理环节"], row["被反映人或单位"]) == ("已受理", "乙一村党支部")
    assert row["内容摘要"] == "反映选人用人问题"
    everything = csv_table(client.get(reverse("supervision:complaint-export"), {"format": "csv"}))
    assert sorted(column(everything, "编号")) == sorted(c.tracking_code for c in matters.values())


def test_the_reporter_s_identity_is_never_exported(client_as, world, matters):
    client = client_as("supervisor")
    responses = [
        client.get(reverse("supervision:complaint-export")),
        client.get(reverse("supervision:complaint-export"), {"format": "csv"}),
        client.get(reverse("supervision:complaint-register")),
        client.get(reverse("supervision:complaint-register"), {"format": "csv"}),
    ]
    for response in responses:
        assert response.status_code == 200
        text = _all_text(response)
        assert matters["received"].tracking_code in text  # the file holds the matters
        for value in IDENTITY.values():
            assert value not in text
    # Not even masked: no column of the file is about the reporter.
    header, _rows = sheet_rows(workbook(client.get(reverse("supervision:complaint-export"))).active)
    assert not {"举报人", "来信人", "反映人", "联系方式", "reporter"} & set(header)
    # And no reveal can be asked for with an export.
    refused = client.post(reverse("supervision:complaint-export"), {"full_ids": "on"})
    assert refused.status_code == 403
    assert not RevealLog.objects.exists()


def test_only_the_handling_office_exports_matters(client_as, world, matters):
    for role in ("staff", "leader", "secretary", "helper"):
        client = client_as(role)
        for name in ("complaint-export", "complaint-register"):
            assert client.get(reverse(f"supervision:{name}")).status_code == 403


def test_the_register_is_print_ready_with_the_handling_dates(client_as, world, matters):
    response = client_as("supervisor").get(reverse("supervision:complaint-register"))
    sheet = workbook(response).active
    assert sheet["A1"].value == "信访举报登记簿" and "共 2 件" in sheet["A2"].value
    header, rows = sheet_rows(sheet, header_row=3)
    assert header[:3] == ["序号", "编号", "收件日期"]
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_code[matters["accepted"].tracking_code]["受理情况"] == "受理 2025-03-03"
    assert by_code[matters["received"].tracking_code]["受理情况"] == "待决定"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$3"
