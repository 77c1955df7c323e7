"""SQL over the apps' deadline rows: the one place that says who is responsible for a row.

Each Deadline's `rows(today, lookahead_days, lookback_days)` is a values queryset
(portal/deadlines.py). It is embedded as a subquery, never loaded into Python, so the
memory the engine needs does not grow with the number of items. Both the sweep (which
inserts reminders) and "My deadlines" / the calendar feed (which read) join the rows to
their recipients through the fragments below.
"""

from datetime import date

from django.core.exceptions import EmptyResultSet

from portal.deadlines import Deadline
from portal.models.organizations import PATH_STEP
from portal.roles import ACCESS, Access, Area, Role

# The contract's columns, cast so that an app's NULL literal or varchar column still fits.
ROWS_SQL = """
    SELECT app_rows.item_key::text AS item_key,
           app_rows.due_date::date AS due_date,
           app_rows.organization_id::bigint AS organization_id,
           app_rows.user_id::bigint AS user_id,
           app_rows.title::text AS title
    FROM ({inner}) AS app_rows
"""

# Who is responsible for row `r`: the named user (even if deactivated: delivery then skips
# the reminder and says why, so the department sees that the item needs a new owner), or,
# when the row names nobody, the active users of the row's organisation whose role is one
# of the deadline's roles. Parameter: the roles array.
RESPONSIBLE_SQL = """
    SELECT u.id FROM portal_user u WHERE u.id = r.user_id
    UNION ALL
    SELECT u.id FROM portal_user u
    WHERE r.user_id IS NULL AND u.organization_id = r.organization_id
      AND u.is_active AND u.role = ANY(%s)
"""

# Escalation: the active users with the given roles in the nearest organisation above the
# row's organisation that has any (its parent, or further up if the parent has nobody in
# those roles). Ancestors are read from the materialized path: one indexed lookup a level.
# Parameter: the roles array.
ESCALATION_SQL = """
    SELECT u.id FROM portal_user u
    WHERE u.is_active AND u.role = ANY(%s) AND u.organization_id = (
        SELECT above.id
        FROM portal_organization o
        CROSS JOIN LATERAL generate_series(o.depth, 1, -1) AS level
        JOIN portal_organization above ON above.path = left(o.path, PATH_STEP * level)
        WHERE o.id = r.organization_id
          AND EXISTS (
              SELECT 1 FROM portal_user x
              WHERE x.organization_id = above.id AND x.is_active AND x.role = ANY(%s)
          )
        ORDER BY above.depth DESC
        LIMIT 1
    )
""".replace("PATH_STEP", str(PATH_STEP))


# What a queryset that can match nothing (filter(pk__in=[])) becomes: Django refuses to
# compile it (EmptyResultSet), so the engine substitutes an empty row set of the same shape.
NO_ROWS_SQL = """
    SELECT NULL::text AS item_key, NULL::date AS due_date, NULL::bigint AS organization_id,
           NULL::bigint AS user_id, NULL::text AS title
    WHERE false
"""


def rows_sql(deadline: Deadline, today: date, lookahead: int, lookback: int):
    """(sql, params) of the deadline's rows in [today - lookback, today + lookahead]."""
    queryset = deadline.rows(today, lookahead, lookback)
    if not queryset.query.is_sliced and not queryset.query.distinct_fields:
        # The rows are a subquery that the sweep and the pages order themselves: a model's
        # default ordering (a post's cadre name and start date) would only sort every row first.
        queryset = queryset.order_by()
    try:
        inner, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return NO_ROWS_SQL, []
    return ROWS_SQL.format(inner=inner), list(params)


def responsible_roles(deadline: Deadline) -> list[str]:
    return [str(role) for role in deadline.roles]


def escalation_roles(deadline: Deadline) -> list[str]:
    """Those above in the deadline's roles, and the department's staff, but only roles that
    may read the app's records: a complaint's deadline never reaches staff who see the
    supervision area as statistics only."""
    roles = {*responsible_roles(deadline), str(Role.STAFF)}
    if deadline.app in Area.values:
        roles = {role for role in roles if ACCESS.get(role, {}).get(deadline.app, 0) >= Access.READ}
    return sorted(roles)
