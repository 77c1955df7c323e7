"""The roles × URLs matrix, declared once per app in tests/<app>/access.py as ENTRIES.

Each Entry names a URL, the area and access level it needs, and the capability if any
(portal/roles.py), and, for a
URL about one record, how to build a record *inside* the acting user's reach and one
*outside* it. tests/portal/test_access_matrix.py then checks every subject (one user per
role at the county, and township-level staff, leader and supervisor; the secretary sits in a
village branch, the helper in a township) against every entry:

- below the level, or without the entry's `capability` (portal.roles.CAPABILITIES) → 403;
- a record outside the user's subtree → 404, for every user below the county (a county user
  sees the whole tree, so for them `outside` is just another record);
- otherwise exactly the one status in `ok_statuses` (or the role's in `status_by_role`).

A URL that no entry names fails the test, so new pages cannot be forgotten; an entry for a URL
that takes a record must build an `outside` record or say in `outside_exempt` why none exists.
A URL with a parameter that picks an action (a workflow step, a deadline's kind) gets one
entry per value, told apart by `label`.

Adding a row: `Entry("app:name", area=Area.X, level=Access.READ)` for a page without a record;
add `make=`/`outside=` for a page about one record, `method="post"` and `data=` for an action.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse

# make(world, user) -> kwargs for reverse(): a record the user may reach by scope.
Maker = Callable[..., dict]
# data(world, user, kwargs) -> the POST (or GET) data; a plain dict when it does not depend on
# the record or the user.
Data = dict | Callable[..., dict]
# check(response, world, user, kwargs): what a user would notice after an answer with
# its expected status (the record moved on, the redirect's target); raises AssertionError.
Check = Callable[[HttpResponse, object, object, dict], None]


@dataclass(frozen=True)
class Entry:
    name: str
    area: str | None  # None: any logged-in user
    level: int = 2  # portal.roles.Access
    make: Maker | None = None
    # A record outside the acting user's subtree. Roles that reach the area but see records
    # only through their own link (a helper's pairings): for them `outside` is any record not
    # linked to them.
    outside: Maker | None = None
    method: str = "get"
    data: Data = field(default_factory=dict)
    # The answer every role that passes the access checks gets: exactly one status (the
    # matrix refuses "either" tuples). A page whose answer differs by role says so:
    # `capability` for a 403, `status_by_role` for anything else.
    ok_statuses: tuple[int, ...] = (200,)
    status_by_role: dict[str, int] = field(default_factory=dict)
    public: bool = False
    # Tells apart the entries of one URL name (one per step of a workflow URL).
    label: str = ""
    # Why a URL about a record has no `outside` record (personal pages, public links).
    outside_exempt: str = ""
    check: Check | None = None

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name

    def data_for(self, world, user, kwargs) -> dict:
        return self.data(world, user, kwargs) if callable(self.data) else self.data

    # A capability the page needs beside the area's level (portal.roles.CAPABILITIES): a
    # role without it gets 403 (a helper on a department workflow, a secretary revealing).
    capability: str | None = None
    # Roles refused a page by a rule outside the role table (the import kinds'
    # excluded_roles): they get 403.
    denied_roles: tuple[str, ...] = ()
