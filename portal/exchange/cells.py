"""One rule for every value written into a spreadsheet cell (export, import templates, the
import's error file): text can never become a formula.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (CSV/formula injection, OWASP). Such text is written as text:
for .xlsx the cell's data type is forced to string; for CSV a leading apostrophe is added,
which Excel and WPS hide and do not evaluate.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Plain = str | int | float | Decimal | dt.date | dt.datetime | None


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def safe_cell(value) -> Plain:
    """A value ready for a spreadsheet cell: numbers, dates and None as they are; anything else
    as text. Text that a spreadsheet would evaluate is returned unchanged but must be written
    with `write_xlsx_cell` (string type) or `csv_text`."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("是" if value else "否")
    if isinstance(value, int | float | Decimal | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return str(value)


def write_xlsx_cell(cell, value) -> None:
    """Set an openpyxl cell so that text is always stored as a string, never as a formula."""
    value = safe_cell(value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl infers "f" (formula) for text starting with "="; force the string type.
        cell.data_type = "s"


def csv_text(value) -> str:
    """A CSV field: text that a spreadsheet would evaluate gets a leading apostrophe. A
    number is a number: -3 (days overdue) is written as it is."""
    value = safe_cell(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return str(value)
    return "'" + value if is_formula_like(value) else value
