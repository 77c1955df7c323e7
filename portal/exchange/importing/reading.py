"""Reading an uploaded file into a table of raw cells, whatever the office saved it as.

The format is decided by the content, never by the file's name or by asking: an .xlsx is a
zip archive, a legacy .xls an OLE2 compound file, anything else must be text (CSV) in UTF-8
(with or without a byte-order mark), UTF-16 (Excel's "Unicode text") or GB18030 (a superset
of GBK, what Excel saves on a Chinese Windows). The header row is found by name, so a title
row above it ("某某支部党员花名册") does no harm.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .values import clean_text, is_blank

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The header row is looked for among the first rows (a title and a note may come first).
HEADER_SEARCH_ROWS = 10


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says what to do."""


@dataclass
class Table:
    headers: list[str]
    header_row: int
    # (row number as the user sees it in the sheet, cells in header order)
    rows: list[tuple[int, list]] = field(default_factory=list)
    format: str = ""


def max_size() -> int:
    return settings.IMPORT_MAX_SIZE


def header_name(value) -> str:
    """A header as it is compared: no spaces or line breaks, no required-field star."""
    return clean_text(value).replace(" ", "").strip("*＊")


def read_table(data: bytes, *, known_headers: set[str]) -> Table:
    if not data:
        raise FileProblem(_("The file is empty; fill in the template and upload it again."))
    if len(data) > max_size():
        raise FileProblem(
            _("The file is larger than %(size)s; split it into smaller files.")
            % {"size": filesizeformat(max_size())}
        )
    if data.startswith(XLSX_MAGIC):
        raw, fmt = _xlsx_rows(data), "xlsx"
    elif data.startswith(OLE2_MAGIC):
        raw, fmt = _xls_rows(data), "xls"
    else:
        raw, fmt = _csv_rows(data), "csv"
    return _find_header(raw, known_headers, fmt)


def _not_a_spreadsheet() -> FileProblem:
    return FileProblem(
        _(
            "This file is not a spreadsheet; upload the template filled in, as an Excel "
            "workbook (.xlsx or .xls) or a CSV file."
        )
    )


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise _not_a_spreadsheet() from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _xls_rows(data: bytes):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError, IndexError, KeyError):
        raise _not_a_spreadsheet() from None
    sheet = book.sheet_by_index(0)
    for index in range(sheet.nrows):
        cells = []
        for cell in sheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    cells.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                    cells.append(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                cells.append(None)
            else:
                cells.append(cell.value)
        yield cells


def decode_text(data: bytes) -> str:
    """Text in whichever encoding Chinese offices save CSV files with."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise _not_a_spreadsheet()


def _csv_rows(data: bytes):
    text = decode_text(data)
    # Control characters other than tab and line breaks mean a binary file (PDF, image...).
    sample = text[:4096]
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in sample):
        raise _not_a_spreadsheet()
    first_line = sample.splitlines()[0] if sample.strip() else ""
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    if first_line.count(delimiter) == 0 and first_line.count("，") > 0:
        delimiter = "，"
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        raise _not_a_spreadsheet() from None


def _trim(cells: list) -> list:
    cells = list(cells)
    while cells and is_blank(cells[-1]):
        cells.pop()
    return [None if isinstance(c, str) and not c.strip() else c for c in cells]


def _find_header(raw, known_headers: set[str], fmt: str) -> Table:
    rows = iter(raw)
    looked_at = []
    best = None
    for number, cells in enumerate(rows, start=1):
        cells = _trim(cells)
        looked_at.append((number, cells))
        names = [header_name(c) for c in cells]
        hits = sum(1 for name in names if name in known_headers)
        if hits and (best is None or hits > best[2]):
            best = (number, names, hits)
        if len(looked_at) >= HEADER_SEARCH_ROWS:
            break
    if not any(cells for _n, cells in looked_at):
        raise FileProblem(_("The file is empty; fill in the template and upload it again."))
    if best is None:
        raise FileProblem(
            _(
                "No header row was found: the first row must hold the column names of the "
                "template (for example %(examples)s)."
            )
            % {"examples": "、".join(sorted(known_headers)[:3])}
        )
    header_row, headers, _hits = best
    table = Table(headers=headers, header_row=header_row, format=fmt)
    for number, cells in looked_at:
        if number > header_row and any(not is_blank(c) for c in cells):
            table.rows.append((number, cells))
    for number, cells in enumerate(rows, start=len(looked_at) + 1):
        cells = _trim(cells)
        if any(not is_blank(c) for c in cells):
            table.rows.append((number, cells))
    if not table.rows:
        raise FileProblem(
            _("The file has a header row but no data rows; fill in at least one row.")
        )
    return table


def is_date_cell(value) -> bool:
    return isinstance(value, dt.date)
