"""The organisation tree as an export (portal/exchange/registry.py): the organisations below
the user's own, one a row under its parent, with exactly the columns of the organisations
import (portal/imports.py), so that the file can be imported back unchanged.

The user's own organisation (and the tree's root) is left out: its parent lies outside the
user's reach, so the import could not take that row back."""

from portal.exchange.registry import Export, ExportQuery, register
from portal.exchange.writer import Column, Table
from portal.models import Organization
from portal.models.organizations import PATH_STEP
from portal.roles import Area


def organizations_below(user):
    """The organisations of the user's subtree under the user's own, parents first."""
    return (
        Organization.objects.visible_to(user)
        .filter(parent__isnull=False)
        .exclude(pk=user.organization_id)
        .order_by("path")
    )


def organization_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("组织名称", "name", width=20),
        Column("上级组织", lambda org: query.org_path.of_path(org.path[:-PATH_STEP]), width=36),
        Column("组织类型", lambda org: org.get_kind_display(), width=12),
        Column("单位类别", lambda org: org.get_category_display(), width=12),
        Column("组织代码", "code", width=16),
    ]
    return [Table("组织机构", columns, organizations_below(query.user))]


register(Export("organizations", "组织机构", Area.GRASSROOTS, organization_tables))
