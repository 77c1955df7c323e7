"""What an import kind is, and the registry the apps fill (like portal/deadlines.py).

Each app declares its kinds in `<app>/imports.py` with `register(ImportKind(...))`; the
core imports every app's `imports` module and never an app's models. A kind names its
columns (the template's Chinese headers, the file format offices fill in) and saves one
parsed row through the app's services, saying whether the row was new, updated or
unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from portal.roles import Access, can

from . import values

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


class RowError(Exception):
    """A row that cannot be imported; `column` is the header it concerns, if one."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header of the template: the file format, matched by name
    field: str  # the key of the parsed value in the row given to ImportKind.save
    help: Any  # lazy text: the template's comment on the header
    parse: Callable | None = None  # raw cell -> value (raises values.CellError); text if None
    required: bool = False
    choices: Sequence[tuple[str, Any]] = ()  # (value, label): a drop-down, labels matched
    aliases: dict[str, str] = field(default_factory=dict)  # other spellings -> value
    example: Any = ""
    width: int = 14
    # The model field whose service errors belong to this column ("birth_date").
    model_field: str = ""

    def labels(self) -> list[str]:
        """The choice labels in Chinese, as the template's drop-down offers them."""
        with translation.override("zh-hans"):
            return [str(label) for _value, label in self.choices]

    def read(self, raw):
        if self.choices:
            return self._choice(raw)
        if self.parse is not None:
            return self.parse(raw)
        return values.clean_text(raw)

    @cached_property
    def _lookup(self) -> dict[str, Any]:
        """Every spelling of every choice: aliases, Chinese and English labels, the value."""
        lookup = {values.choice_key(alias): value for alias, value in self.aliases.items()}
        with translation.override("zh-hans"):
            for value, label in self.choices:
                lookup.setdefault(values.choice_key(str(label)), value)
        with translation.override("en"):
            for value, label in self.choices:
                lookup.setdefault(values.choice_key(str(label)), value)
                lookup.setdefault(values.choice_key(str(value)), value)
        return lookup

    def _choice(self, raw):
        text = values.clean_text(raw)
        if not text:
            return ""
        key = values.choice_key(text)
        if key in self._lookup:
            return self._lookup[key]
        raise values.CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(self.labels())}
        )


@dataclass
class Row:
    number: int  # as the user sees it in the sheet
    values: dict[str, Any]
    raw: dict[str, Any]  # header -> raw cell, for messages


@dataclass
class ImportKind:
    key: str  # URL and command-line name: "members"
    label: Any  # lazy: "Party members"
    area: str  # portal.roles.Area whose EDIT access the import needs
    columns: list[Column]
    # save(row, *, user, context, today) -> NEW / UPDATED / UNCHANGED; raises RowError or
    # ValidationError (from the services). Runs inside the import's transaction.
    save: Callable[..., str]
    # prepare(rows, *, user) -> context: lookups loaded once for the whole file.
    prepare: Callable[..., dict] = lambda rows, **kwargs: {}
    # The fields that identify a record: two rows with the same key are duplicates.
    key_fields: tuple[str, ...] = ()
    list_url: str = ""  # URL name of the list the imported rows appear in
    excluded_roles: tuple[str, ...] = ()  # roles with the area's access that may not import
    description: Any = ""  # lazy: one line on the upload page
    # Rows are applied in this order (organisations: parents before their children).
    order: Callable[[Row], Any] | None = None

    @property
    def headers(self) -> set[str]:
        return {column.header for column in self.columns}

    def column(self, header: str) -> Column | None:
        return next((c for c in self.columns if c.header == header), None)

    def column_for_field(self, name: str) -> Column | None:
        return next((c for c in self.columns if name in (c.field, c.model_field)), None)

    def allowed(self, user) -> bool:
        if not can(user, self.area, Access.EDIT):
            return False
        role = "admin" if user.is_superuser else user.role
        return role not in self.excluded_roles


_REGISTRY: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    _REGISTRY[kind.key] = kind
    return kind


def registry() -> dict[str, ImportKind]:
    """Every registered kind, after importing each installed app's `imports` module."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "imports"):
            __import__(f"{config.name}.imports")
    return dict(_REGISTRY)


def get_kind(key: str) -> ImportKind | None:
    return registry().get(key)


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def validation_messages(error: ValidationError, kind: ImportKind) -> list[tuple[str, str]]:
    """(header, message) pairs from a service's ValidationError, naming the column."""
    pairs = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            column = kind.column_for_field(name)
            header = column.header if column else ""
            for item in errors:
                pairs.extend((header, message) for message in item.messages)
    else:
        pairs.extend(("", message) for message in error.messages)
    return pairs


def columns_markdown() -> str:
    """Every kind's columns as the README lists them (`manage.py import --columns`)."""
    lines = []
    with translation.override("zh-hans"):
        for kind in sorted(registry().values(), key=lambda k: k.key):
            lines += [f"#### {kind.label} (`{kind.key}`)", "", str(kind.description), ""]
            lines += ["| 列名 | 必填 | 填写要求 |", "|---|---|---|"]
            for column in kind.columns:
                required = "是" if column.required else ""
                lines.append(f"| {column.header} | {required} | {column.help} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
