"""Reading export responses as a user would open them: the .xlsx in openpyxl (a spreadsheet
program's view of the cells), the CSV as Excel reads it (UTF-8 with BOM)."""

import csv
import io

from openpyxl import load_workbook


def content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def workbook(response):
    return load_workbook(io.BytesIO(content(response)))


def sheet_rows(sheet, *, header_row: int = 1) -> tuple[list, list[list]]:
    """(header, data rows) of a sheet whose header is on `header_row`."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[header_row - 1], rows[header_row:]


def xlsx_table(response, sheet: int = 0, *, header_row: int = 1) -> list[dict]:
    book = workbook(response)
    header, rows = sheet_rows(book.worksheets[sheet], header_row=header_row)
    return [dict(zip(header, row, strict=False)) for row in rows]


def csv_table(response) -> list[dict]:
    raw = content(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "a CSV for Excel starts with the UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def column(rows: list[dict], header: str) -> list:
    return [row[header] for row in rows]
