"""Scoping: which records a user may see, as querysets (STYLE.md rule 3).

Every app's `visible_to(user)` narrows by the organisation subtree through
`scope_to_subtree`; views take objects only from those querysets, so an id outside the
user's subtree is a 404.
"""

from django.db.models import QuerySet

from portal.roles import Role


def in_subtree(queryset: QuerySet, organization, *, field: str = "organization") -> QuerySet:
    """Rows whose organisation (reached through `field`; "" for Organization itself) is
    `organization` or lies beneath it: one indexed prefix scan of the materialized path."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return queryset.filter(**{lookup: organization.path})


def sees_everything(user) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.ADMIN)


def scope_to_subtree(queryset: QuerySet, user, *, field: str = "organization") -> QuerySet:
    """Rows whose organisation (reached through `field`) lies in the user's subtree.

    `field` is the lookup path from the model to an Organization ("" for Organization
    itself, "branch", "village__organization", ...).
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_everything(user):
        return queryset
    if user.organization_id is None:
        return queryset.none()
    if user.organization.depth == 0:
        # The tree's root: its subtree is every row. No join to the organisations and no
        # prefix test per row (the county's staff and leaders see the whole county).
        return queryset
    return in_subtree(queryset, user.organization, field=field)
