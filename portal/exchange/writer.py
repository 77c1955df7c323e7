"""The one writer for every export: .xlsx and CSV, in flat memory, ready to print.

An export is one or more `Table`s: a sheet title, the `Column`s (a Chinese header and an
accessor) and the rows (a queryset, iterated in chunks, or any iterable). This module turns
them into a file and knows nothing of the apps.

* **No formulas, ever.** Every value goes through `portal.exchange.cells`: text that a
  spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``, tab, carriage return) is stored as a
  string cell in .xlsx (with Excel's "quote prefix", so that editing the cell keeps it text)
  and gets a leading apostrophe in CSV.
* **Masking.** A column marked `sensitive` (an ID number) is masked unless the caller passes
  ``reveal=True``, which only `portal.exchange.services` does, after checking the user may
  reveal and recording the reveal.
* **Flat memory.** .xlsx is written with openpyxl's write-only mode, which streams each row
  to a temporary file (inline strings: no shared-string table growing with the rows); CSV is
  produced chunk by chunk for a `StreamingHttpResponse`. Querysets are read with
  ``.iterator()``. Only the first `WIDTH_SAMPLE` rows are held, to size the columns.
* **Print-ready.** A4, landscape when the columns are wider than a portrait page, fitted to
  the page width, the header row frozen and repeated on every printed page, page numbers in
  the footer; registers get a title block above the header and thin borders.
* **Excel opens Chinese CSV correctly**: UTF-8 with a byte-order mark, CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from portal.exchange.cells import csv_text, is_formula_like, safe_cell, write_xlsx_cell
from portal.masking import mask

# Rows read from the database at a time (a chunk's model instances are the memory cost).
CHUNK_SIZE = 2000
# Rows held back to size the columns before the sheet's first row is written.
WIDTH_SAMPLE = 100
# Column widths in Excel's units (about one Latin character; a Chinese character takes two).
MIN_WIDTH, MAX_WIDTH = 6, 50
# What fits across an A4 portrait page at the default margins; wider tables print landscape.
PORTRAIT_WIDTH = 95
# How often the progress callback is told how many rows are done.
PROGRESS_EVERY = 1000
PAPER_A4 = "9"  # the paper-size code of A4 in SpreadsheetML

# Characters XML 1.0 cannot carry (openpyxl refuses them); tab, LF and CR are allowed.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=16)
# "Centre across selection": the title is centred over the empty cells beside it, without a
# merged range (write-only sheets cannot merge).
TITLE_ALIGN = Alignment(horizontal="centerContinuous", vertical="center")


@dataclass(frozen=True)
class Column:
    """One column: its header (Chinese, as the import templates name it) and its value.

    `value` is an attribute path ("branch.name") or a function of the row. A `sensitive`
    column (an ID number) is masked unless the export reveals it.
    """

    header: str
    value: str | Callable[[Any], Any]
    width: float | None = None
    sensitive: bool = False

    def read(self, row) -> Any:
        if callable(self.value):
            return self.value(row)
        try:
            return attrgetter(self.value)(row)
        except AttributeError:  # a null relation on the way ("party_group.name")
            return None


@dataclass
class Table:
    """What one sheet (or one CSV file) holds.

    `heading` lines are printed above the header (a register's title, unit and date); list
    exports have none, so that their header is row 1 and the file can be imported back.
    `numbered` adds a 序号 column. `landscape` None decides from the columns' widths.
    """

    title: str
    columns: Sequence[Column]
    rows: Iterable
    heading: Sequence[str] = ()
    numbered: bool = False
    boxed: bool = False
    landscape: bool | None = None
    total: int | None = field(default=None, repr=False)

    def count(self) -> int:
        """How many rows the table has (one COUNT query for a queryset)."""
        if self.total is None:
            rows = self.rows
            self.total = rows.count() if isinstance(rows, QuerySet) else len(rows)
        return self.total

    def iter_rows(self) -> Iterator:
        rows = self.rows
        if isinstance(rows, QuerySet):
            # Chunked server-side reads: a queryset's result cache would hold every row.
            return rows.iterator(chunk_size=CHUNK_SIZE)
        return iter(rows)

    def headers(self) -> list[str]:
        return (["序号"] if self.numbered else []) + [column.header for column in self.columns]

    def values(self, row, number: int, *, reveal: bool) -> list:
        values = [number] if self.numbered else []
        for column in self.columns:
            value = column.read(row)
            if column.sensitive and not reveal:
                value = mask(value)
            values.append(safe_cell(value))
        return values


Progress = Callable[[int], None]


def display_width(value) -> int:
    """The width of a value as a spreadsheet shows it: East Asian wide characters count 2."""
    if value is None:
        return 0
    if not isinstance(value, str):
        value = csv_text(value)
    longest = max(value.split("\n"), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _widths(table: Table, sample: list[list]) -> list[float]:
    headers = table.headers()
    offset = 1 if table.numbered else 0
    widths = []
    for index, header in enumerate(headers):
        declared = table.columns[index - offset].width if index >= offset else 6
        if declared:
            widths.append(declared)
            continue
        longest = max([display_width(header), *(display_width(row[index]) for row in sample)])
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))
    return widths


# --- .xlsx ---------------------------------------------------------------------------------


def _text_cell(sheet, text: str):
    """A string cell that no spreadsheet will evaluate, even after the user edits it."""
    cell = WriteOnlyCell(sheet)
    cell.value = text
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    cell.quotePrefix = True
    return cell


def _xlsx_value(sheet, value, style: dict | None = None):
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        if is_formula_like(value):
            cell = _text_cell(sheet, value)
            for name, setting in (style or {}).items():
                setattr(cell, name, setting)
            return cell
    if style:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell
    return value


def _print_setup(sheet, table: Table, widths: list[float], header_row: int) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    landscape = table.landscape
    if landscape is None:
        landscape = sum(widths) > PORTRAIT_WIDTH
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    # Fit every column on the page's width; as many pages down as the rows need.
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel's sheet-name rules: at most 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "_", title).strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write_sheet(book: Workbook, table: Table, used: set[str], reveal: bool, tick) -> int:
    sheet = book.create_sheet(_sheet_title(table.title, used))
    rows = table.iter_rows()
    numbers = itertools.count(1)
    # Size the columns from the header and the first rows; the widths must be set before the
    # first row goes out (write-only sheets write <cols> then).
    sample = [
        table.values(row, next(numbers), reveal=reveal)
        for row in itertools.islice(rows, WIDTH_SAMPLE)
    ]
    widths = _widths(table, sample)
    columns = len(widths)
    header_row = len(table.heading) + 1
    _print_setup(sheet, table, widths, header_row)

    for index, line in enumerate(table.heading):
        style = {"font": TITLE_FONT if index == 0 else Font(), "alignment": TITLE_ALIGN}
        cells = [_xlsx_value(sheet, line, style)]
        cells += [_xlsx_value(sheet, "", {"alignment": TITLE_ALIGN}) for _ in range(columns - 1)]
        sheet.append(cells)
    header_style = {"font": HEADER_FONT, "fill": HEADER_FILL, "alignment": HEADER_ALIGN}
    if table.boxed:
        header_style["border"] = BOX
    sheet.append([_xlsx_value(sheet, header, header_style) for header in table.headers()])

    body_style = {"border": BOX} if table.boxed else None
    written = 0

    def emit(values):
        nonlocal written
        sheet.append([_xlsx_value(sheet, value, body_style) for value in values])
        written += 1
        tick()

    for values in sample:
        emit(values)
    for row in rows:
        emit(table.values(row, next(numbers), reveal=reveal))
    return written


# --- Forms (a record laid out on a grid) ------------------------------------------------------


@dataclass(frozen=True)
class FormCell:
    """One box of a form: a label (centred) or a value (left, top), spanning columns."""

    value: Any
    span: int = 1
    label: bool = False


@dataclass(frozen=True)
class FormRow:
    cells: Sequence[FormCell]
    height: float | None = None


@dataclass
class FormSheet:
    """A form on a grid with merged boxes, such as the 干部任免审批表: one record a sheet.
    Forms are written in a normal (not write-only) workbook, which merges cells; they are a
    few dozen rows each, so a workbook of a few hundred forms stays small."""

    title: str
    heading: str
    widths: Sequence[float]
    rows: Sequence[FormRow]
    landscape: bool = False

    def count(self) -> int:
        return 1


FORM_LABEL = Alignment(wrap_text=True, vertical="center", horizontal="center")
FORM_VALUE = Alignment(wrap_text=True, vertical="top", horizontal="left")
FORM_BOX = Border(
    left=Side(style="thin"),
    right=Side(style="thin"),
    top=Side(style="thin"),
    bottom=Side(style="thin"),
)


def _write_form(book: Workbook, form: FormSheet, used: set[str]) -> None:
    sheet = book.create_sheet(_sheet_title(form.title, used))
    columns = len(form.widths)
    for index, width in enumerate(form.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    write_xlsx_cell(sheet.cell(row=1, column=1), form.heading)
    sheet["A1"].font = TITLE_FONT
    sheet["A1"].alignment = FORM_LABEL
    for row_index, row in enumerate(form.rows, start=2):
        column = 1
        for box in row.cells:
            cell = sheet.cell(row=row_index, column=column)
            value = box.value
            if isinstance(value, str):
                value = _ILLEGAL.sub("", value)
            write_xlsx_cell(cell, value)
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.quotePrefix = True
            cell.alignment = FORM_LABEL if box.label or box.span == 1 else FORM_VALUE
            for offset in range(box.span):
                sheet.cell(row=row_index, column=column + offset).border = FORM_BOX
            if box.span > 1:
                sheet.merge_cells(
                    start_row=row_index,
                    start_column=column,
                    end_row=row_index,
                    end_column=column + box.span - 1,
                )
            column += box.span
        if row.height:
            sheet.row_dimensions[row_index].height = row.height
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.orientation = "landscape" if form.landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True


def write_xlsx(tables: Sequence, target, *, reveal: bool = False, progress=None) -> int:
    """Write the tables, one sheet each, to `target` (a path or a binary file opened for
    writing). Returns the number of data rows written; `progress(done)` is called every
    PROGRESS_EVERY rows. Forms (FormSheet) are written in a normal workbook, one a sheet."""
    if tables and all(isinstance(table, FormSheet) for table in tables):
        book = Workbook()
        book.remove(book.active)
        used_titles: set[str] = set()
        for form in tables:
            _write_form(book, form, used_titles)
        book.save(target)
        if progress:
            progress(len(tables))
        return len(tables)
    book = Workbook(write_only=True)
    used: set[str] = set()
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)

    written = sum(_write_sheet(book, table, used, reveal, tick) for table in tables)
    if not tables:
        book.create_sheet("Sheet")
    book.save(target)
    if progress:
        progress(written)
    return written


# --- CSV -----------------------------------------------------------------------------------

BOM = "\ufeff"


class _Line:
    """A file-like object for csv.writer that hands back what was written."""

    def __init__(self):
        self.buffer = io.StringIO()

    def write(self, text):
        self.buffer.write(text)

    def take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def csv_chunks(table: Table, *, reveal: bool = False, progress=None) -> Iterator[bytes]:
    """The table as CSV (UTF-8 with BOM, CRLF), in chunks of about a thousand rows, for a
    StreamingHttpResponse or a file. A CSV has one table: a register's heading is left out,
    so the header is always the first line."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow([csv_text(header) for header in table.headers()])
    yield (BOM + line.take()).encode("utf-8")
    done = 0
    for number, row in enumerate(table.iter_rows(), start=1):
        writer.writerow([csv_text(value) for value in table.values(row, number, reveal=reveal)])
        done = number
        if number % PROGRESS_EVERY == 0:
            yield line.take().encode("utf-8")
            if progress:
                progress(done)
    rest = line.take()
    if rest:
        yield rest.encode("utf-8")
    if progress:
        progress(done)


def write_csv(table: Table, target, *, reveal: bool = False, progress=None) -> int:
    """Write the table as CSV to a binary file object; returns the rows written."""
    done = 0

    def count(n):
        nonlocal done
        done = n
        if progress:
            progress(n)

    for chunk in csv_chunks(table, reveal=reveal, progress=count):
        target.write(chunk)
    return done
