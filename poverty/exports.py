"""What the poverty app exports (portal/exchange/registry.py): its lists as the pages show
them, and the 建档立卡 register of the households the list shows.

The household, household-member and pairing exports begin with the import's columns
(poverty/imports.py), in its order and with its Chinese labels, so that an exported file can
be imported back; the list's other figures follow (the import ignores them)."""

from portal.exchange.registry import Export, ExportQuery, register
from portal.exchange.writer import Column, Table
from portal.roles import Area, Capability, may
from poverty import lists
from poverty.imports import INCOME_HEADERS
from poverty.models import VillageStatus
from poverty.models.households import GUARANTEES, Cause

CAUSES = dict(Cause.choices)


def _causes(labels) -> str:
    return "、".join(str(CAUSES.get(cause, cause)) for cause in labels)


def _today_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _village_path(query: ExportQuery):
    return lambda h: query.org_path(h.village.organization)


def _guarantees(household) -> str:
    """两不愁三保障: 达标, or the guarantees still missing."""
    missing = [str(label) for field, label in GUARANTEES if not getattr(household, field)]
    return "达标" if not missing else "未达标：" + "、".join(missing)


def household_columns(query: ExportQuery) -> list[Column]:
    """The household import's columns (poverty/imports.py HOUSEHOLD_COLUMNS), then the
    list's figures."""
    return [
        Column("户编号", "number", width=16),
        Column("所在村", _village_path(query), width=30),
        Column("详细地址", "address"),
        Column("识别标准", lambda h: h.get_standard_display()),
        Column("贫困户属性", lambda h: h.get_kind_display()),
        Column("主要致贫原因", lambda h: h.get_main_cause_display()),
        Column("其他致贫原因", lambda h: _causes(h.extra_causes)),
        Column("住房", lambda h: h.get_housing_display()),
        Column("饮水", lambda h: h.get_water_display()),
        Column("用电", lambda h: h.get_electricity_display()),
        *[
            Column(header, lambda h, source=source: getattr(h, f"income_{source}"))
            for source, header in INCOME_HEADERS.items()
        ],
        Column("户主", "head_name"),
        Column("户状态", lambda h: h.get_status_display()),
        Column("退出程序", lambda h: h.get_exit_stage_display() if h.exit_stage else ""),
        Column("家庭人口", "member_count"),
        Column("人均纯收入", "net_income_per_head"),
        Column("帮扶责任人", "official_name"),
    ]


def household_tables(query: ExportQuery) -> list[Table]:
    rows = lists.with_incomes(lists.households(query.user, query.params).qs)
    return [Table("贫困户名单", household_columns(query), rows)]


def member_columns() -> list[Column]:
    """The household-member import's columns (poverty/imports.py MEMBER_COLUMNS)."""
    return [
        Column("户编号", "household.number", width=16),
        Column("姓名", "name"),
        Column("身份证号", "id_number", width=21, sensitive=True),
        Column("与户主关系", lambda m: m.get_relation_display()),
        Column("文化程度", lambda m: m.get_education_display()),
        Column("健康状况", lambda m: m.get_health_display()),
        Column("劳动能力", lambda m: m.get_labour_display()),
        Column("外出务工", "migrant_worker"),
        Column("基本医疗保险", "medical_insurance"),
        Column("基本养老保险", "pension_insurance"),
    ]


def member_tables(query: ExportQuery) -> list[Table]:
    rows = lists.household_members(query.user, query.params)
    return [Table("家庭成员", member_columns(), rows)]


def pairing_tables(query: ExportQuery) -> list[Table]:
    """The pairing import's columns, then where the household is and when it was visited."""
    columns = [
        Column("户编号", "household.number", width=16),
        Column("帮扶责任人身份证号", "official.id_number", width=21, sensitive=True),
        Column("帮扶责任人", "official.name"),
        Column("结对日期", "start", width=12),
        Column("户主", "head_name"),
        Column("所在村", lambda p: query.org_path(p.household.village.organization), width=30),
        Column("责任人单位", "official.organization.name"),
        Column("最近走访", "last_visit_on", width=12),
        Column("下次走访截止", "next_visit_due", width=12),
    ]
    return [Table("结对帮扶", columns, lists.pairings(query.user, query.params))]


def _five_ones(village) -> str:
    if village.status == VillageStatus.NOT_POOR:
        return "不需要"
    return "齐全" if village.five_ones_complete else "不齐全"


def village_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("村", "name"),
        Column("所属组织", lambda v: query.org_path(v.organization.parent), width=24),
        Column("贫困村状态", lambda v: v.get_status_display()),
        Column("贫困户数", "household_count"),
        Column("县级联系领导", "responsible_leader.name"),
        Column("帮扶单位", "assisting_unit.name"),
        Column("第一书记", "first_secretary.name"),
        Column("驻村工作队", lambda v: "、".join(c.name for c in v.work_team.all()), width=24),
        Column("农技员", "technician_name"),
        Column("农技员电话", "technician_phone", width=13),
        Column("五个一", _five_ones),
    ]
    return [Table("五个一", columns, lists.villages(query.user, query.params).qs)]


def official_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("姓名", "name"),
        Column("单位", lambda c: query.org_path(c.organization), width=24),
        Column("现任职务", lambda c: c.current_title or ""),
        Column("结对户数下限", "quota"),
        Column("结对户数", "households"),
        Column("逾期未走访", "overdue"),
        Column("未达下限", "under_quota"),
    ]
    rows = lists.officials(query.user, query.params, query.today)
    return [Table("帮扶责任人", columns, rows)]


def overdue_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("户编号", "household.number", width=16),
        Column("户主", "head_name"),
        Column("所在村", lambda p: query.org_path(p.household.village.organization), width=30),
        Column("帮扶责任人", "official.name"),
        Column("责任人单位", "official.organization.name"),
        Column("最近走访", "last_visit_on", width=12),
        Column("应走访日期", "next_visit_due", width=12),
        Column("逾期天数", lambda p: (query.today - p.next_visit_due).days),
    ]
    return [Table("逾期未走访", columns, lists.overdue_pairings(query.user, query.today))]


def exit_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("户编号", "number", width=16),
        Column("户主", "head_name"),
        Column("所在村", _village_path(query), width=30),
        Column("退出环节", lambda h: h.get_exit_stage_display()),
        Column("公示截止", "exit_notice_ends_on", width=12),
        Column("两不愁三保障", _guarantees, width=24),
        Column("人均纯收入", "net_income_per_head"),
        Column("收入高于标准", "income_above_line"),
        Column("符合退出条件", "exit_gate_open"),
    ]
    return [Table("退出名单", columns, lists.exits(query.user, query.params))]


def register_tables(query: ExportQuery) -> list[Table]:
    """建档立卡贫困户花名册: the households the list shows with its filters, one line each as
    offices print them, then their members; A4 landscape, the header on every page."""
    households = lists.household_register_rows(query.user, query.params)
    members = lists.household_members(query.user, query.params)
    count, people = households.count(), members.count()
    columns = [
        Column("户编号", "number", width=16),
        Column("乡镇", "village.organization.parent.name"),
        Column("村", "village.name"),
        Column("户主姓名", "head_name"),
        Column("户主身份证号", "head_id_number", width=21, sensitive=True),
        Column("家庭人口", "member_count", width=6),
        Column("贫困户属性", lambda h: h.get_kind_display()),
        Column("识别标准", lambda h: h.get_standard_display()),
        Column("主要致贫原因", lambda h: h.get_main_cause_display()),
        Column("其他致贫原因", lambda h: _causes(h.extra_causes)),
        Column("年人均纯收入（元）", "net_income_per_head", width=10),
        Column("住房", lambda h: h.get_housing_display()),
        Column("饮水", lambda h: h.get_water_display()),
        Column("两不愁三保障", _guarantees, width=20),
        Column("户状态", lambda h: h.get_status_display()),
        Column("脱贫日期", "exited_on", width=12),
        Column("帮扶责任人", "official_name"),
    ]
    on = f"截至{_today_text(query.today)}"
    household_table = Table(
        "贫困户",
        columns,
        households,
        heading=["建档立卡贫困户花名册", f"{on}　共 {count} 户 {people} 人"],
        numbered=True,
        boxed=True,
        landscape=True,
        total=count,
    )
    member_table = Table(
        "家庭成员",
        [Column("户主", "household_head", width=10), *member_columns()],
        members.annotate(household_head=lists.head_name_of_household()),
        heading=["建档立卡贫困户家庭成员", f"{on}　共 {people} 人"],
        numbered=True,
        boxed=True,
        landscape=True,
        total=people,
    )
    return [household_table, member_table]


P = Area.POVERTY


def all_households(user) -> bool:
    """The department's lists (villages, officials, overdue visits, exits): not a helper's."""
    return may(user, Capability.ALL_HOUSEHOLDS)


def may_reveal(user) -> bool:
    return may(user, Capability.REVEAL_ID_NUMBER)


register(Export("households", "贫困户名单", P, household_tables))
register(Export("household-members", "家庭成员", P, member_tables, may_reveal=may_reveal))
register(Export("pairings", "结对帮扶", P, pairing_tables, may_reveal=may_reveal))
register(Export("villages", "五个一落实情况", P, village_tables, allowed=all_households))
register(Export("officials", "帮扶责任人", P, official_tables, allowed=all_households))
register(Export("overdue-visits", "逾期未走访", P, overdue_tables, allowed=all_households))
register(Export("exits", "退出名单", P, exit_tables, allowed=all_households))
register(
    Export(
        "household-register",
        "建档立卡贫困户花名册",
        P,
        register_tables,
        may_reveal=may_reveal,
        register=True,
    )
)
