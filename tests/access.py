"""The roles × URLs matrix, declared once per app in tests/<app>/access.py as ENTRIES.

Each Entry names a URL, the area and access level it needs (portal/roles.py), and, for a
URL about one record, how to build a record *inside* the acting user's reach and one
*outside* it. tests/portal/test_access_matrix.py then checks every role against every
entry: below the level → 403; a record outside the user's subtree → 404; otherwise the
page answers. A URL that no entry names fails the test, so new pages cannot be forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# make(world, user) -> kwargs for reverse(): a record the user may reach by scope.
Maker = Callable[..., dict]


@dataclass(frozen=True)
class Entry:
    name: str
    area: str | None  # None: any logged-in user
    level: int = 2  # portal.roles.Access
    make: Maker | None = None
    outside: Maker | None = None  # a record outside the acting user's subtree
    method: str = "get"
    data: dict = field(default_factory=dict)
    # Roles that reach the area but see records only through their own link (a helper's
    # pairings): for them `outside` is any record not linked to them.
    ok_statuses: tuple[int, ...] = (200,)
    public: bool = False
    # Roles that reach the area's level but not this page (a helper on a staff-only
    # workflow such as reassigning a pairing): they get 403.
    denied_roles: tuple[str, ...] = ()
