"""Values as offices write them, turned into what the services take.

Every parser takes the raw cell (str, int, float, datetime, date or None, as the file
reader gives it) and returns a Python value, or raises `CellError` with a whole sentence in
the user's language. Nothing here knows a model: the kinds (`<app>/imports.py`) say which
parser each column uses.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal import idnumbers
from portal.choices import Education


class CellError(ValueError):
    """A value that cannot be read; the message says why and what to write instead."""


# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space, as typed with a Chinese input
# method in full-width mode: "１９８０．０１" is 1980.01.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
# Spaces a spreadsheet or a copy from a web page leaves behind: no-break, zero-width, BOM.
_INVISIBLE = {0xA0: 0x20, 0x2007: 0x20, 0x202F: 0x20, 0x200B: None, 0xFEFF: None}
_SPACES = re.compile(r"\s+")
_BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def half_width(text: str) -> str:
    return text.translate(_FULL_WIDTH).translate(_INVISIBLE)


def clean_text(value) -> str:
    """Text with stray spaces removed: trimmed, inner runs collapsed to one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).translate(_INVISIBLE).replace("\u3000", " ")
    return _SPACES.sub(" ", text).strip()


def clean_name(value) -> str:
    """A person's name: offices pad two-character names to align them ("张  三")."""
    return _BETWEEN_CJK.sub("", clean_text(value))


def clean_code(value) -> str:
    """Numbers, codes, dates typed as text: half-width, no spaces at all."""
    return _SPACES.sub("", half_width(clean_text(value)))


def is_blank(value) -> bool:
    return clean_text(value) == ""


# --- Dates ---------------------------------------------------------------------------------

# Excel's day 0 is 1899-12-30 (it counts a 29 February 1900 that never was).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of 1 January 1900 .. 31 December 2199.
SERIAL_RANGE = (2, 109_574)

_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_SERIAL = re.compile(r"^\d{4,6}(\.0+)?$")


def _from_serial(number: float) -> dt.date:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise CellError(_("%(value)s is not a date.") % {"value": number})
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("“%(value)s” is not a real date.") % {"value": text}) from None


def parse_date(value, *, month_precision: bool = False) -> dt.date | None:
    """A date as offices write it: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, an
    Excel date or serial number. With `month_precision`, also 2024.03 and 2024年3月 (the
    appointment form's year.month), read as the first of the month."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    text = clean_code(value)
    if not text:
        return None
    if match := _FULL_DATE.match(text) or _COMPACT_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
        return _make_date(year, month, day, text)
    if month_precision and (match := _MONTH.match(text)):
        year, month = (int(part) for part in match.groups())
        return _make_date(year, month, 1, text)
    if _SERIAL.match(text) and len(text) != 4:
        return _from_serial(float(text))
    if month_precision:
        message = _(
            "“%(value)s” is not a date; write it as 2024-03-05, 2024.3.5, 2024年3月5日, "
            "or 2024.03 for a month."
        )
    else:
        message = _("“%(value)s” is not a date; write it as 2024-03-05, 2024.3.5 or 2024年3月5日.")
    raise CellError(message % {"value": text})


def is_month_only(value) -> bool:
    """Whether the cell gave a year and a month only (2024.03, 2024年3月)."""
    if not isinstance(value, str):
        return False
    return bool(_MONTH.match(clean_code(value))) and not _FULL_DATE.match(clean_code(value))


# --- ID numbers ----------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


def parse_id_number(value) -> str:
    """An 18-character resident ID number. Excel turns a long number typed into a General
    cell into a floating-point number (4.33127E+17) and keeps only 15 digits: the last
    digits are lost, and only the office's source can restore them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            _(
                "Excel stored this ID number as a number (%(value)s) and lost its last digits; "
                "format the column as text and type the number again."
            )
            % {"value": f"{value:.5E}"}
        )
    text = clean_code(value).upper()
    if _SCIENTIFIC.match(text):
        raise CellError(
            _(
                "Excel stored this ID number as a number (%(value)s) and lost its last digits; "
                "format the column as text and type the number again."
            )
            % {"value": text}
        )
    if not text:
        return ""
    try:
        idnumbers.parse_id_number(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return text


# --- Numbers, flags, choices ---------------------------------------------------------------


def parse_decimal(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = clean_code(value).replace(",", "").removesuffix("元")
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not an amount.") % {"value": text}) from None


def parse_count(value) -> int | None:
    """A number of people: 12, "12", "12人", "１２"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = clean_code(value).removesuffix("人").removesuffix("名")
    if not text:
        return None
    if not text.isdigit():
        raise CellError(_("“%(value)s” is not a number of people.") % {"value": text})
    return int(text)


YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "无", "没有", "n", "no", "false", "0", "×", "x"}


def parse_bool(value) -> bool | None:
    text = clean_code(value).lower()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": text})


def choice_key(text: str) -> str:
    """How a choice label is compared: half-width, no spaces or brackets' width, lower case."""
    return unicodedata.normalize("NFKC", clean_code(text)).lower()


# How offices write an education level, beyond the choices' own labels: one table for every
# import kind that has an education column (members, cadres, household members).
EDUCATION_ALIASES = {
    "文盲": Education.PRIMARY,
    "文盲或半文盲": Education.PRIMARY,
    "小学": Education.PRIMARY,
    "高中": Education.SENIOR,
    "中专": Education.SENIOR,
    "职高": Education.SENIOR,
    "技校": Education.SENIOR,
    "专科": Education.COLLEGE,
    "大专": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "本科": Education.BACHELOR,
    "大学": Education.BACHELOR,
    "研究生": Education.MASTER,
    "硕士": Education.MASTER,
    "博士": Education.DOCTOR,
}
