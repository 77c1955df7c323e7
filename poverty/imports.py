"""What the poverty app contributes to data import (portal/exchange/importing): the
registered households (建档立卡) with their incomes, the household members, and the
pairings with the officials responsible. Writes go through poverty.services.

A helper (an official with paired households) imports nothing: registers are kept by the
department's staff."""

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre
from portal.choices import Education
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
    OrganizationIndex,
    check_reach,
    within_reach,
)
from portal.roles import Area, Role
from poverty import services
from poverty.models import Household, Member, Pairing, Village
from poverty.models.households import (
    Cause,
    Electricity,
    Health,
    HouseholdKind,
    Housing,
    IncomeSource,
    Labour,
    Relation,
    Standard,
    Water,
)

NO_HELPERS = (Role.HELPER,)
KIND_ALIASES = {
    "一般户": HouseholdKind.ORDINARY,
    "一般农户": HouseholdKind.ORDINARY,
    "低保户": HouseholdKind.DIBAO,
    "五保户": HouseholdKind.WUBAO,
    "特困户": HouseholdKind.WUBAO,
    "特困供养户": HouseholdKind.WUBAO,
}
CAUSE_ALIASES = {
    "病": Cause.ILLNESS,
    "残": Cause.DISABILITY,
    "学": Cause.SCHOOLING,
    "灾": Cause.DISASTER,
}
RELATION_ALIASES = {
    "本人": Relation.HEAD,
    "户主本人": Relation.HEAD,
    "妻": Relation.SPOUSE,
    "妻子": Relation.SPOUSE,
    "丈夫": Relation.SPOUSE,
    "夫": Relation.SPOUSE,
    "子": Relation.CHILD,
    "女": Relation.CHILD,
    "儿子": Relation.CHILD,
    "女儿": Relation.CHILD,
    "长子": Relation.CHILD,
    "次子": Relation.CHILD,
    "长女": Relation.CHILD,
    "次女": Relation.CHILD,
    "父亲": Relation.PARENT,
    "母亲": Relation.PARENT,
    "父": Relation.PARENT,
    "母": Relation.PARENT,
    "孙子": Relation.GRANDCHILD,
    "孙女": Relation.GRANDCHILD,
}
HEALTH_ALIASES = {"残疾": Health.DISABLED, "长期慢性病": Health.CHRONIC, "大病": Health.SERIOUS}
INCOME_HEADERS = {
    IncomeSource.WAGES: "工资性收入",
    IncomeSource.PRODUCTION: "生产经营性收入",
    IncomeSource.PROPERTY: "财产性收入",
    IncomeSource.TRANSFER: "转移性收入",
}
_LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")

CAUSE_COLUMN = Column(
    "主要致贫原因",
    "main_cause",
    gettext_lazy("Required. From the list, for example 因病."),
    choices=Cause.choices,
    aliases=CAUSE_ALIASES,
    required=True,
    example="因病",
    width=14,
)


def extra_causes(raw) -> list[str]:
    """Up to two more causes, separated by 、 or commas: 因学、缺技术."""
    words = [w for w in _LIST_SEPARATORS.split(values.clean_text(raw)) if w]
    return [CAUSE_COLUMN.read(word) for word in words]


def _village_column(header="所在村"):
    return Column(
        header,
        "village",
        gettext_lazy("Required. The village's full path or organisation code."),
        required=True,
        example="云溪县委/青龙镇党委/上金寨村党支部",
        width=30,
        model_field="village",
    )


HOUSEHOLD_COLUMNS = [
    Column(
        "户编号",
        "number",
        gettext_lazy(
            "Required. The registration number; a household already registered is updated."
        ),
        values.clean_code,
        True,
        example="4331270101001",
        width=16,
    ),
    _village_column(),
    Column(
        "详细地址",
        "address",
        gettext_lazy("For example 上金寨村三组."),
        example="上金寨村三组",
        width=16,
    ),
    Column(
        "识别标准",
        "standard",
        gettext_lazy("国家标准 or 省定标准."),
        choices=Standard.choices,
        example="国家标准",
        width=10,
    ),
    Column(
        "贫困户属性",
        "kind",
        gettext_lazy("From the list."),
        choices=HouseholdKind.choices,
        aliases=KIND_ALIASES,
        example="一般贫困户",
        width=16,
    ),
    CAUSE_COLUMN,
    Column(
        "其他致贫原因",
        "extra_causes",
        gettext_lazy("Up to two more causes, separated by 、 (for example 因学、缺技术)."),
        extra_causes,
        example="缺技术",
        width=16,
    ),
    Column(
        "住房",
        "housing",
        gettext_lazy("From the list."),
        choices=Housing.choices,
        example="砖木结构",
        width=10,
    ),
    Column(
        "饮水",
        "water",
        gettext_lazy("From the list."),
        choices=Water.choices,
        example="自来水",
        width=10,
    ),
    Column(
        "用电",
        "electricity",
        gettext_lazy("From the list."),
        choices=Electricity.choices,
        example="电网供电",
        width=10,
    ),
    *[
        Column(
            header,
            f"income_{source}",
            gettext_lazy("Yuan a year; 0 for none."),
            values.parse_decimal,
            example="8000",
            width=12,
        )
        for source, header in INCOME_HEADERS.items()
    ],
]
HOUSEHOLD_FIELDS = (
    "village",
    "address",
    "standard",
    "kind",
    "main_cause",
    "extra_causes",
    "housing",
    "water",
    "electricity",
)


def _village(context, user, raw, header="所在村") -> Village:
    try:
        organization = check_reach(user, context["orgs"].find(raw))
    except values.CellError as error:
        raise RowError(str(error), header) from None
    village = context["villages"].get(organization.pk)
    if village is None:
        raise RowError(
            _("%(org)s is not registered as a village of the poverty work.")
            % {"org": organization.name},
            header,
        )
    return village


def _prepare_households(rows, *, user):
    numbers = [row.values["number"] for row in rows if row.values.get("number")]
    existing = {}
    for start in range(0, len(numbers), 5000):
        chunk = numbers[start : start + 5000]
        for household in (
            Household.objects.filter(number__in=chunk)
            .select_related("village__organization")
            .prefetch_related("incomes")
        ):
            existing[household.number] = household
    return {
        "orgs": OrganizationIndex(),
        "villages": {v.organization_id: v for v in Village.objects.select_related("organization")},
        "existing": existing,
    }


def _save_household(row, *, user, context, today):
    data = dict(row.values)
    data["village"] = _village(context, user, data["village"])
    amounts = {
        source: data.pop(f"income_{source}")
        for source in INCOME_HEADERS
        if f"income_{source}" in data
    }
    amounts = {source: amount for source, amount in amounts.items() if amount is not None}
    for name in ("standard", "kind", "housing", "water", "electricity"):
        if name in data and not data[name]:
            data.pop(name)  # the model's default
    number = data.pop("number")
    household = context["existing"].get(number)
    if household is None:
        household = services.household_register(number=number, **data)
        services.income_record(household=household, amounts=amounts)
        context["existing"][number] = household
        return NEW
    if not within_reach(user, household.village.organization):
        raise RowError(
            _("This household is registered in %(village)s, outside your reach.")
            % {"village": household.village.name},
            "户编号",
        )
    changed = {name: value for name, value in data.items() if getattr(household, name) != value}
    have = {income.source: income.amount for income in household.incomes.all()}
    new_amounts = {s: a for s, a in amounts.items() if have.get(s) != Decimal(a)}
    if not changed and not new_amounts:
        return UNCHANGED
    if changed:
        services.household_update(household=household, **changed)
    if new_amounts:
        services.income_record(household=household, amounts=new_amounts)
    return UPDATED


HOUSEHOLDS = register(
    ImportKind(
        key="households",
        label=gettext_lazy("Registered households"),
        area=Area.POVERTY,
        columns=HOUSEHOLD_COLUMNS,
        save=_save_household,
        prepare=_prepare_households,
        key_fields=("number",),
        list_url="poverty:household-list",
        excluded_roles=NO_HELPERS,
        description=gettext_lazy(
            "The registered households (建档立卡), one household a row with its incomes, "
            "identified by the registration number."
        ),
    )
)


# --- Household members -------------------------------------------------------------------------

MEMBER_COLUMNS = [
    Column(
        "户编号",
        "household",
        gettext_lazy("Required. The registration number of the household."),
        values.clean_code,
        True,
        example="4331270101001",
        width=16,
    ),
    Column(
        "姓名",
        "name",
        gettext_lazy("Required."),
        values.clean_name,
        True,
        example="张大山",
        width=10,
    ),
    Column(
        "身份证号",
        "id_number",
        gettext_lazy(
            "Required. 18 characters, in a text column; a person already registered is updated."
        ),
        values.parse_id_number,
        True,
        example="433127196502140013",
        width=21,
    ),
    Column(
        "与户主关系",
        "relation",
        gettext_lazy("Required. 户主, 配偶, 子女, 父母, 孙子女 or 其他亲属."),
        choices=Relation.choices,
        aliases=RELATION_ALIASES,
        required=True,
        example="户主",
        width=12,
    ),
    Column(
        "文化程度",
        "education",
        gettext_lazy("From the list."),
        choices=Education.choices,
        aliases=values.EDUCATION_ALIASES,
        example="初中",
        width=12,
    ),
    Column(
        "健康状况",
        "health",
        gettext_lazy("From the list; empty means 健康."),
        choices=Health.choices,
        aliases=HEALTH_ALIASES,
        example="健康",
        width=12,
    ),
    Column(
        "劳动能力",
        "labour",
        gettext_lazy("From the list."),
        choices=Labour.choices,
        example="普通劳动力",
        width=14,
    ),
    Column(
        "外出务工",
        "migrant_worker",
        gettext_lazy("是 or 否; empty means 否."),
        values.parse_bool,
        example="否",
        width=9,
    ),
    Column(
        "基本医疗保险",
        "medical_insurance",
        gettext_lazy("是 or 否; empty means 是."),
        values.parse_bool,
        example="是",
        width=12,
    ),
    Column(
        "基本养老保险",
        "pension_insurance",
        gettext_lazy("是 or 否; empty means 否."),
        values.parse_bool,
        example="否",
        width=12,
    ),
]
MEMBER_DEFAULTS = {
    "health": Health.HEALTHY,
    "labour": Labour.NORMAL,
    "migrant_worker": False,
    "medical_insurance": True,
    "pension_insurance": False,
}


def _households_for(rows, field="household"):
    numbers = {row.values[field] for row in rows if row.values.get(field)}
    return {
        h.number: h
        for h in Household.objects.filter(number__in=numbers).select_related(
            "village__organization"
        )
    }


def _prepare_members(rows, *, user):
    numbers = [row.values["id_number"] for row in rows if row.values.get("id_number")]
    return {
        "households": _households_for(rows),
        "existing": {m.id_number: m for m in Member.objects.filter(id_number__in=numbers)},
    }


def _household(context, user, number) -> Household:
    household = context["households"].get(number)
    if household is None:
        raise RowError(_("No household has this number; import the household first."), "户编号")
    if not within_reach(user, household.village.organization):
        raise RowError(
            _("This household is registered in %(village)s, outside your reach.")
            % {"village": household.village.name},
            "户编号",
        )
    return household


def _save_member(row, *, user, context, today):
    data = dict(row.values)
    household = _household(context, user, data.pop("household"))
    for name, default in MEMBER_DEFAULTS.items():
        if name in data and data[name] in (None, ""):
            data[name] = default
    member = context["existing"].get(data["id_number"])
    if member is None:
        member = services.member_add(household=household, **data)
        context["existing"][member.id_number] = member
        return NEW
    if member.household_id != household.pk:
        raise RowError(
            _("This person is a member of another household; correct it on the household's page."),
            "户编号",
        )
    data.pop("id_number")
    changed = {name: value for name, value in data.items() if getattr(member, name) != value}
    if not changed:
        return UNCHANGED
    services.member_update(member=member, **changed)
    return UPDATED


HOUSEHOLD_MEMBERS = register(
    ImportKind(
        key="household-members",
        label=gettext_lazy("Household members"),
        area=Area.POVERTY,
        columns=MEMBER_COLUMNS,
        save=_save_member,
        prepare=_prepare_members,
        key_fields=("id_number",),
        list_url="poverty:household-list",
        excluded_roles=NO_HELPERS,
        description=gettext_lazy(
            "The members of registered households, one person a row, identified by the ID "
            "number; the household must be registered first."
        ),
    )
)


# --- Pairings --------------------------------------------------------------------------------

PAIRING_COLUMNS = [
    Column(
        "户编号",
        "household",
        gettext_lazy("Required. The registration number of the household."),
        values.clean_code,
        True,
        example="4331270101001",
        width=16,
    ),
    Column(
        "帮扶责任人身份证号",
        "official",
        gettext_lazy("Required. The ID number of the official responsible (a cadre on record)."),
        values.parse_id_number,
        True,
        example="433127197603150017",
        width=21,
    ),
    Column(
        "帮扶责任人",
        "official_name",
        gettext_lazy("The official's name, checked against the record."),
        values.clean_name,
        example="李建华",
        width=10,
    ),
    Column(
        "结对日期",
        "start",
        gettext_lazy("Required. The day the pairing began."),
        values.parse_date,
        True,
        example="2024-03-01",
        width=12,
    ),
]


def _prepare_pairings(rows, *, user):
    numbers = {row.values["official"] for row in rows if row.values.get("official")}
    households = _households_for(rows)
    return {
        "households": households,
        "officials": {c.id_number: c for c in Cadre.objects.filter(id_number__in=numbers)},
        "current": {
            p.household_id: p
            for p in Pairing.objects.active().filter(household__in=households.values())
        },
    }


def _save_pairing(row, *, user, context, today):
    data = row.values
    household = _household(context, user, data["household"])
    official = context["officials"].get(data["official"])
    if official is None:
        raise RowError(
            _("No cadre has this ID number; import the cadre register first."), "帮扶责任人身份证号"
        )
    if data.get("official_name") and data["official_name"] != official.name:
        raise RowError(
            _("The ID number belongs to %(name)s, not to this name.") % {"name": official.name},
            "帮扶责任人",
        )
    current = context["current"].get(household.pk)
    if current is not None and current.official_id == official.pk:
        return UNCHANGED
    if current is None:
        pairing = services.pairing_assign(
            household=household, official=official, start=data["start"], today=today
        )
        result = NEW
    else:
        pairing = services.pairing_reassign(
            household=household, official=official, on=data["start"], today=today
        )
        result = UPDATED
    context["current"][household.pk] = pairing
    return result


PAIRINGS = register(
    ImportKind(
        key="pairings",
        label=gettext_lazy("Pairings"),
        area=Area.POVERTY,
        columns=PAIRING_COLUMNS,
        save=_save_pairing,
        prepare=_prepare_pairings,
        key_fields=("household",),
        list_url="poverty:household-list",
        excluded_roles=NO_HELPERS,
        description=gettext_lazy(
            "Which official is responsible for which household, one household a row; a "
            "different official than today's takes over from the pairing date."
        ),
    )
)
