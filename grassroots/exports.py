"""What the grassroots app exports (portal/exchange/registry.py): its lists as the pages show
them, the 党员花名册 of a branch or a township, and a township's 三会一课 report.

The member list's columns are the member import's (grassroots/imports.py), in its order, so
that an exported roster can be imported back."""

from collections import OrderedDict

from django.utils import formats

from grassroots import lists, yearend
from grassroots.decisions.exports import decision_tables
from grassroots.models import ComplianceStatus, MeetingKind
from portal.exchange.registry import Export, ExportQuery, register
from portal.exchange.writer import Column, Table
from portal.roles import Area, Capability, may


def _member_columns(query: ExportQuery) -> list[Column]:
    return [
        Column("姓名", "name"),
        Column("性别", lambda m: m.get_gender_display()),
        Column("民族", "ethnicity"),
        Column("出生日期", "birth_date"),
        Column("身份证号", "id_number", width=21, sensitive=True),
        Column("联系电话", "phone"),
        Column("学历", lambda m: m.get_education_display()),
        Column("所在支部", lambda m: query.org_path(m.branch)),
        Column("发展阶段", lambda m: m.get_stage_display()),
        Column("申请入党日期", "applied_on"),
        Column("确定积极分子日期", "activist_on"),
        Column("确定发展对象日期", "target_on"),
        Column("入党日期", "joined_on"),
        Column("转正日期", "full_on"),
        Column("流动党员", "is_flowing"),
        Column("离退休", "is_retired"),
    ]


def member_tables(query: ExportQuery) -> list[Table]:
    rows = lists.members(query.user, query.params).qs
    return [Table("党员名单", _member_columns(query), rows)]


def meeting_tables(query: ExportQuery) -> list[Table]:
    rows = lists.meetings(query.user, query.params).qs
    columns = [
        Column("组织", lambda m: query.org_path(m.organization)),
        Column("会议类型", lambda m: m.get_kind_display()),
        Column("状态", lambda m: m.get_status_display()),
        Column("日期", "date"),
        Column("时间", lambda m: f"{m.time:%H:%M}" if m.time else ""),
        Column("地点", "place"),
        Column("主持人", "host"),
        Column("主讲人", "speaker"),
        Column("主题", "topic", width=30),
        Column("应到人数", "due_count"),
        Column("实到人数", "present_count"),
        Column("有表决权人数", "voting_count"),
        Column("有表决权实到人数", "present_voting_count"),
        Column("达到法定人数", "is_valid"),
    ]
    return [Table("会议记录", columns, rows)]


def compliance_tables(query: ExportQuery) -> list[Table]:
    """The compliance page: the rollup of the organisations below (the CSV holds this one),
    then the organisation's own requirements."""
    organization = lists.compliance_organization(query.user, query.kwargs["pk"])
    day = lists.day_from(query.params, query.today)
    rollup = Table(
        "下级组织",
        [
            Column("组织", lambda row: row["organization"].name),
            Column("已完成", lambda row: row["met"]),
            Column("待完成", lambda row: row["due"]),
            Column("未完成", lambda row: row["missed"]),
            Column("上一周期未完成", lambda row: row["missed_before"]),
        ],
        lists.rollup_rows(organization, day, query.today),
    )
    own = Table(
        "本级要求",
        [
            Column("要求", lambda cell: cell.requirement.get_kind_display()),
            Column("周期开始", "period_start"),
            Column("周期结束", "period_end"),
            Column("状态", lambda cell: ComplianceStatus(cell.status).label),
        ],
        lists.requirement_cells(organization, day, query.today),
    )
    return [rollup, own]


def _today_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def member_register_tables(query: ExportQuery) -> list[Table]:
    """党员花名册: the Party members on the roster of a branch, or of every branch of a
    township, on the day of the export; printed A4 landscape, the header on every page."""
    organization = lists.compliance_organization(query.user, query.kwargs["pk"])
    rows = lists.roster_below(organization, query.today)
    count = rows.count()
    columns = [
        Column("姓名", "name"),
        Column("性别", lambda m: m.get_gender_display()),
        Column("民族", "ethnicity"),
        Column("出生日期", "birth_date", width=12),
        Column("身份证号", "id_number", width=21, sensitive=True),
        Column("学历", lambda m: m.get_education_display()),
        Column("党员类别", lambda m: m.get_stage_display()),
        Column("入党日期", "joined_on", width=12),
        Column("转正日期", "full_on", width=12),
        Column("所在支部", lambda m: m.branch.name),
        Column("党小组", lambda m: m.party_group.name if m.party_group else ""),
        Column("联系电话", "phone", width=13),
        Column("备注", _member_notes),
    ]
    heading = [
        "党员花名册",
        f"{query.org_path(organization)}　截至{_today_text(query.today)}　共 {count} 名党员",
    ]
    table = Table(
        "党员花名册",
        columns,
        rows,
        heading=heading,
        numbered=True,
        boxed=True,
        landscape=True,
        total=count,
    )
    return [table]


def _member_notes(member) -> str:
    notes = []
    if member.is_flowing:
        notes.append("流动党员")
    if member.is_retired:
        notes.append("离退休")
    return "、".join(notes)


STATUS_MARKS = {
    ComplianceStatus.MET: "✓ 已完成",
    ComplianceStatus.DUE: "待完成",
    ComplianceStatus.MISSED: "✗ 未完成",
}


def compliance_report_tables(query: ExportQuery) -> list[Table]:
    """A township's "三会一课" report for the periods containing ?day=: one row per
    organisation, one column per required meeting (its period in the header), and how many
    were missed; the organisations in tree order."""
    organization = lists.compliance_organization(query.user, query.kwargs["pk"])
    day = lists.day_from(query.params, query.today)
    by_org: OrderedDict[int, dict] = OrderedDict()
    periods: dict[str, tuple] = {}
    for cell in lists.subtree_cells(organization, day, query.today):
        kind = cell.requirement.kind
        periods.setdefault(kind, (cell.period_start, cell.period_end))
        row = by_org.setdefault(
            cell.organization_id, {"organization": cell.organization, "missed": 0}
        )
        row[kind] = STATUS_MARKS[cell.status]
        row["missed"] += cell.status == ComplianceStatus.MISSED
    kinds = [kind for kind in MeetingKind.values if kind in periods]
    columns = [Column("组织", lambda row: query.org_path(row["organization"]), width=40)]
    for kind in kinds:
        start, end = periods[kind]
        header = f"{MeetingKind(kind).label}\n{start:%Y.%m.%d}—{end:%Y.%m.%d}"
        columns.append(Column(header, lambda row, kind=kind: row.get(kind, "—"), width=16))
    columns.append(Column("未完成项数", lambda row: row["missed"], width=10))
    rows = list(by_org.values())
    missed = sum(1 for row in rows if row["missed"])
    heading = [
        "“三会一课”落实情况",
        f"{query.org_path(organization)}　统计日 {formats.date_format(day, 'Y-m-d')}"
        f"　共 {len(rows)} 个组织，{missed} 个有未完成项",
    ]
    table = Table("三会一课落实情况", columns, rows, heading=heading, numbered=True, boxed=True)
    return [table]


def _chart_sheet(chart, heading: list[str]) -> Table:
    """One table of a statistical report as a sheet: the chart's categories down, its series
    across (the same rows the page prints)."""
    columns = [Column(str(chart.category_label), "label", width=28)]
    columns += [
        Column(str(series.label), lambda row, i=i: row["cells"][i]["value"], width=14)
        for i, series in enumerate(chart.series)
    ]
    rows = [{"label": str(row["label"]), "cells": row["cells"]} for row in chart.rows()]
    title = str(chart.title)
    return Table(title[:31], columns, rows, heading=[title, *heading], boxed=True)


def yearend_tables(query: ExportQuery) -> list[Table]:
    """党内统计年报: the year-end tables of the page (grassroots/yearend.py), one sheet each."""
    organization = lists.compliance_organization(query.user, query.kwargs["pk"])
    year = yearend.YearForm(query.params, today=query.today).chosen
    heading = [f"{query.org_path(organization)}　截至{_today_text(yearend.year_end(year))}"]
    return [_chart_sheet(chart, heading) for chart in yearend.tables(organization, year)]


G = Area.GRASSROOTS


def may_reveal(user) -> bool:
    return may(user, Capability.REVEAL_ID_NUMBER)


register(Export("members", "党员名单", G, member_tables, may_reveal=may_reveal))
register(Export("meetings", "会议记录", G, meeting_tables))
register(Export("compliance", "三会一课落实情况汇总", G, compliance_tables, record="organisation"))
register(
    Export(
        "member-register",
        "党员花名册",
        G,
        member_register_tables,
        may_reveal=may_reveal,
        register=True,
        record="organisation",
    )
)
register(
    Export(
        "compliance-report",
        "三会一课落实情况",
        G,
        compliance_report_tables,
        formats=("xlsx",),
        register=True,
        record="organisation",
    )
)


register(
    Export(
        "yearend",
        "党内统计年报",
        G,
        yearend_tables,
        formats=("xlsx",),
        register=True,
        record="organisation",
    )
)
register(
    Export(
        "decisions",
        "集体决策",
        G,
        decision_tables,
        record="organisation",
        description="四议两公开、三重一大事项",
    )
)
