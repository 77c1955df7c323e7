"""The organisation tree as an import kind (portal/exchange/importing): one organisation a
row, hung under its parent (a path of names or a code). Written through
portal.services.organization_create / organization_update, like the admin."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import services
from portal.exchange.importing import values
from portal.exchange.importing.kinds import (
    NEW,
    UNCHANGED,
    UPDATED,
    Column,
    ImportKind,
    RowError,
    register,
)
from portal.exchange.importing.organizations import (
    SEPARATORS,
    OrganizationIndex,
    check_reach,
)
from portal.models import Organization
from portal.roles import Area, Role

KIND_ALIASES = {"支部": Organization.Kind.BRANCH, "总支": Organization.Kind.GENERAL_BRANCH}

COLUMNS = [
    Column(
        "组织名称",
        "name",
        gettext_lazy("Required. For example 上金寨村党支部."),
        values.clean_text,
        True,
        example="上金寨村党支部",
        width=20,
    ),
    Column(
        "上级组织",
        "parent",
        gettext_lazy(
            "Required. The parent's full path (for example 云溪县委/青龙镇党委) or its organisation code; organisations of the same file may be parents."
        ),
        required=True,
        example="云溪县委/青龙镇党委",
        width=28,
    ),
    Column(
        "组织类型",
        "kind",
        gettext_lazy("Required. 党委, 党总支, 党支部, 联合党支部, 党小组 ..."),
        choices=Organization.Kind.choices,
        aliases=KIND_ALIASES,
        required=True,
        example="党支部",
        width=12,
    ),
    Column(
        "单位类别",
        "category",
        gettext_lazy("村, 社区, 机关, 事业单位 ...; empty means 其他."),
        choices=Organization.Category.choices,
        example="村",
        width=12,
    ),
    Column(
        "组织代码",
        "code",
        gettext_lazy(
            "The code in the Party's information system, if known; an organisation with this code is updated."
        ),
        values.clean_code,
        example="",
        width=16,
    ),
]


def _prepare(rows, *, user):
    return {"orgs": OrganizationIndex()}


def _depth(row):
    """Parents before their children: by the number of levels the parent's path names."""
    parent = values.clean_text(row.values.get("parent"))
    return len([part for part in SEPARATORS.split(parent) if part])


def _save(row, *, user, context, today):
    data = dict(row.values)
    index: OrganizationIndex = context["orgs"]
    try:
        parent = check_reach(user, index.find(data["parent"]))
    except values.CellError as error:
        raise RowError(str(error), "上级组织") from None
    category = data.get("category") or Organization.Category.OTHER
    code = data.get("code", "")
    existing = index.by_code.get(code.upper()) if code else None
    if existing is None:
        existing = next(
            (
                org
                for org in index.by_last_name.get(data["name"].replace(" ", ""), [])
                if org.parent_id == parent.pk
            ),
            None,
        )
    if existing is None:
        org = services.organization_create(
            name=data["name"], kind=data["kind"], category=category, parent=parent, code=code
        )
        index.add(org)
        return NEW
    if existing.parent_id != parent.pk:
        raise RowError(
            _(
                "The organisation with this code hangs under %(parent)s; move it in the administration."
            )
            % {"parent": index.by_pk[existing.parent_id].name if existing.parent_id else "—"},
            "上级组织",
        )
    if existing.kind != data["kind"]:
        raise RowError(
            _("%(org)s is on record as a %(kind)s; its type is not changed by an import.")
            % {"org": existing.name, "kind": existing.get_kind_display()},
            "组织类型",
        )
    wanted = {"name": data["name"], "category": category, "code": code or existing.code}
    if all(getattr(existing, name) == value for name, value in wanted.items()):
        return UNCHANGED
    services.organization_update(organization=existing, is_active=existing.is_active, **wanted)
    return UPDATED


ORGANIZATIONS = register(
    ImportKind(
        key="organizations",
        label=gettext_lazy("Organisations"),
        area=Area.GRASSROOTS,
        columns=COLUMNS,
        save=_save,
        prepare=_prepare,
        key_fields=("parent", "name"),
        list_url="grassroots:index",
        # The tree is the department's to keep; branch secretaries import their members.
        excluded_roles=(Role.SECRETARY,),
        order=_depth,
        description=gettext_lazy(
            "The organisation tree, one organisation a row under its parent, identified by "
            "its code or by its path of names."
        ),
    )
)
