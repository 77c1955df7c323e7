"""The spreadsheets the import hands out: a template per kind, and the user's own file back
with an error column. Every cell goes through portal.exchange.cells (text never becomes a
formula)."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portal.exchange.cells import write_xlsx_cell

from . import values
from .kinds import ImportKind
from .models import ImportJob
from .reading import OLE2_MAGIC, XLSX_MAGIC, FileProblem, header_name, read_table

TEMPLATE_ROWS = 10_000  # rows the drop-down lists and text formats cover
HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_HEADER = "错误"


def dropdown(column) -> list[str]:
    if column.choices:
        return column.labels()
    if column.parse is values.parse_bool:
        return ["是", "否"]
    return []


def template(kind: ImportKind) -> bytes:
    """Chinese headers with a comment each, drop-down lists, one example row."""
    book = Workbook()
    sheet = book.active
    with translation.override("zh-hans"):
        sheet.title = str(kind.label)[:31]
        lists = book.create_sheet("选项")
        lists.sheet_state = "hidden"
        list_column = 0
        for index, column in enumerate(kind.columns, start=1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            write_xlsx_cell(cell, column.header)
            cell.font = Font(bold=True, color="9C0006" if column.required else "000000")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
            note = str(column.help)
            cell.comment = Comment(note, "组织部", width=260, height=110)
            sheet.column_dimensions[letter].width = column.width
            if column.field == "id_number" or column.parse is values.clean_code:
                # Text, so that Excel keeps all 18 digits of an ID number.
                sheet.column_dimensions[letter].number_format = "@"
            write_xlsx_cell(sheet.cell(row=2, column=index), column.example)
            sheet.cell(row=2, column=index).font = Font(color="808080", italic=True)
            options = dropdown(column)
            if options:
                list_column += 1
                list_letter = get_column_letter(list_column)
                for position, label in enumerate(options, start=1):
                    write_xlsx_cell(lists.cell(row=position, column=list_column), label)
                validation = DataValidation(
                    type="list",
                    formula1=f"选项!${list_letter}$1:${list_letter}${len(options)}",
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle=column.header,
                    error=_("Choose one of the values in the list."),
                )
                validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _messages_by_row(job: ImportJob) -> dict[int, str]:
    by_row: dict[int, list[str]] = {}
    for error in job.errors:
        text = f"{error['column']}：{error['message']}" if error["column"] else error["message"]
        by_row.setdefault(error["row"], []).append(text)
    return {row: "；".join(texts) for row, texts in by_row.items()}


def error_file(job: ImportJob, kind: ImportKind) -> tuple[bytes, str]:
    """The user's own file with an error column: the workbook itself when it is an .xlsx,
    otherwise (.xls, CSV) its rows in a new .xlsx. Returns (content, file name)."""
    data = bytes(job.data)
    messages = _messages_by_row(job)
    stem = job.filename.rsplit(".", 1)[0] or "import"
    try:
        read_table(data, known_headers=kind.headers)
    except FileProblem:
        return _error_list(job), f"{stem}-{_('errors')}.xlsx"
    if data.startswith(XLSX_MAGIC):
        book = load_workbook(io.BytesIO(data))
        sheet = book.worksheets[0]
        table = read_table(data, known_headers=kind.headers)
        header_row = table.header_row
        target = len(table.headers) + 1
        for index, name in enumerate(table.headers, start=1):
            if name == ERROR_HEADER:
                target = index
        write_xlsx_cell(sheet.cell(row=header_row, column=target), ERROR_HEADER)
        sheet.cell(row=header_row, column=target).font = Font(bold=True, color="9C0006")
        for number, _cells in table.rows:
            cell = sheet.cell(row=number, column=target)
            write_xlsx_cell(cell, messages.get(number, ""))
            if number in messages:
                cell.fill = ERROR_FILL
        sheet.column_dimensions[get_column_letter(target)].width = 60
    else:
        table = read_table(data, known_headers=kind.headers)
        book = Workbook()
        sheet = book.active
        headers = [h for h in table.headers if h != ERROR_HEADER]
        for index, name in enumerate([*table.headers, ERROR_HEADER], start=1):
            write_xlsx_cell(sheet.cell(row=1, column=index), name)
            sheet.cell(row=1, column=index).font = Font(bold=True)
        error_column = len(table.headers) + 1
        for position, (number, cells) in enumerate(table.rows, start=2):
            for index, value in enumerate(cells[: len(headers) + 1], start=1):
                write_xlsx_cell(sheet.cell(row=position, column=index), value)
            cell = sheet.cell(row=position, column=error_column)
            write_xlsx_cell(cell, messages.get(number, ""))
            if number in messages:
                cell.fill = ERROR_FILL
        sheet.freeze_panes = "A2"
        if data.startswith(OLE2_MAGIC):
            stem = f"{stem}（xls）"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), f"{stem}-{_('errors')}.xlsx"


def _error_list(job: ImportJob) -> bytes:
    """The errors alone (row, column, message), for a file that can no longer be read."""
    book = Workbook()
    sheet = book.active
    for index, name in enumerate(["行", "列", ERROR_HEADER], start=1):
        write_xlsx_cell(sheet.cell(row=1, column=index), name)
    for position, error in enumerate(job.errors, start=2):
        for index, value in enumerate([error["row"], error["column"], error["message"]], start=1):
            write_xlsx_cell(sheet.cell(row=position, column=index), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["dropdown", "error_file", "header_name", "template"]
