"""The export registry: each app declares its exports, the core writes them.

An app lists its exports in `<app>/exports.py` by calling `register(Export(...))` at import
time (like its deadlines): which area and access level they need, which columns (a Chinese
header and an accessor each, ID numbers marked sensitive), and `tables(query)`, which builds
the rows from the **same function its list page uses**, so that an export holds exactly the
rows the user sees with the filters of the page. The core (`portal.exchange`) never imports an
app's models: it loops over this registry for the views, the background task and the
`manage.py export` command.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.http import QueryDict

from portal.exchange.orgpaths import OrgPaths
from portal.exchange.writer import Table
from portal.roles import Access, can


@dataclass
class ExportQuery:
    """What an export is asked for: by whom, with the list page's query string (filters),
    the URL's record (a compliance page's organisation), and on which day."""

    user: object
    params: QueryDict
    kwargs: dict
    today: datetime.date
    org_path: OrgPaths = field(default_factory=OrgPaths)


def _anyone(user) -> bool:
    return True


@dataclass(frozen=True)
class Export:
    kind: str  # "members": the command line's KIND and the job's record; unique
    title: str  # "党员名单": the file's name and the first sheet's title
    area: str  # portal.roles.Area
    tables: Callable[[ExportQuery], Sequence[Table]]
    level: Access = Access.READ
    # A capability beyond the area's level (a helper may read poverty, not its county lists).
    allowed: Callable[[object], bool] = _anyone
    # Who may ask for the sensitive columns in full; None: the export has none.
    may_reveal: Callable[[object], bool] | None = None
    formats: tuple[str, ...] = ("xlsx", "csv")
    # A register: a printed document (title block, borders), or a plain list.
    register: bool = False
    # What the URL's <pk> names, when the export is about one record (a compliance page's
    # organisation); the command line asks for it as --record.
    record: str = ""
    description: str = ""

    def permits(self, user) -> bool:
        return can(user, self.area, self.level) and self.allowed(user)

    def reveals_for(self, user) -> bool:
        return self.may_reveal is not None and self.may_reveal(user)


_REGISTRY: dict[str, Export] = {}


def register(export: Export) -> Export:
    _REGISTRY[export.kind] = export
    return export


def registry() -> dict[str, Export]:
    """Every registered export, after importing each installed app's `exports` module."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "exports"):
            __import__(f"{config.name}.exports")
    return dict(_REGISTRY)


def get(kind: str) -> Export | None:
    return registry().get(kind)
