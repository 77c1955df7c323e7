"""Files as offices make them, and a job run through the engine as the task runs it."""

import csv
import io

from openpyxl import Workbook

from portal.exchange.importing import engine
from portal.exchange.importing.models import ImportJob
from portal.idnumbers import check_char


def id_number(birth: str, seq: int, *, female: bool = False, area: str = "433127") -> str:
    """A valid ID number: birth "19850612", a sequence 0–99, the gender digit last."""
    body = f"{area}{birth}{seq:02d}{2 if female else 1}"
    return body + check_char(body)


def xlsx(headers: list, rows: list[list], *, title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: list, rows: list[list], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xls(headers: list, rows: list[list]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for column, header in enumerate(headers):
        sheet.write(0, column, header)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if hasattr(value, "year"):
                sheet.write(number, column, value, date_style)
            else:
                sheet.write(number, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(kind: str, data: bytes, user, *, apply: bool = False, filename: str = "file.xlsx"):
    """Upload, check and (with `apply`) confirm, as the views and tasks do."""
    job = ImportJob.objects.create(
        kind=kind, user=user, organization=user.organization, filename=filename, data=data
    )
    job = engine.run(job, apply=False)
    if apply and engine.importable(job):
        assert engine.claim_for_apply(job)
        job = engine.run(job, apply=True)
    return job


def error_lines(job) -> list[str]:
    """The row errors as the preview shows them: "第 17 行 · 身份证号：..."."""
    return [
        f"第 {e['row']} 行 · {e['column']}：{e['message']}"
        if e["column"]
        else f"第 {e['row']} 行 · {e['message']}"
        for e in job.errors
    ]
