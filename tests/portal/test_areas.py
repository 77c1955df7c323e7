"""The core's pages that span the apps read the apps' registered areas (portal/areas.py) and
never import an app."""

import ast
from pathlib import Path

import pytest

from portal import areas
from portal.roles import Area

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cadres", "grassroots", "poverty", "supervision")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("module", ["portal/views.py", "portal/context_processors.py"])
def test_the_core_imports_no_app(module):
    imported = imported_modules(ROOT / module)
    assert not {name for name in imported if name.split(".")[0] in APPS}


def test_every_area_is_registered_once_in_order():
    entries = areas.entries()
    assert [entry.area for entry in entries] == [
        Area.GRASSROOTS,
        Area.CADRES,
        Area.POVERTY,
        Area.SUPERVISION,
    ]
