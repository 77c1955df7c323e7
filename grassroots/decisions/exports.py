"""The export of collective decisions below an organisation (portal/exchange/registry.py):
the village matters with their status and the 三重一大 matters, as the rollup page shows
them; registered from grassroots/exports.py."""

from grassroots.decisions import selectors
from grassroots.decisions.models import MajorMatter, VillageMatter
from portal.exchange.registry import ExportQuery
from portal.exchange.writer import Column, Table


def _yes(value) -> str:
    return "是" if value else ""


def decision_tables(query: ExportQuery) -> list[Table]:
    organization = selectors.organization(query.user, query.kwargs["pk"])
    village = (
        VillageMatter.objects.in_subtree(organization)
        .with_due(query.today)
        .select_related("organization")
        .order_by("organization__path", "-created_at", "-pk")
    )
    village_columns = [
        Column("村党支部", lambda m: query.org_path(m.organization), width=40),
        Column("事项", "topic", width=30),
        Column("类别", lambda m: m.get_subject_display()),
        Column("金额（元）", "amount"),
        Column("最近步骤", lambda m: m.get_stage_display(), width=24),
        Column("决议日期", "decided_on"),
        Column(
            "是否通过", lambda m: "" if m.adopted is None else ("通过" if m.adopted else "未通过")
        ),
        Column("决议公开日期", "decision_published_on"),
        Column("实施日期", "carried_out_on"),
        Column("公开期限", "next_due_on"),
        Column("公开逾期", lambda m: _yes(m.overdue)),
        Column("未公开即实施", lambda m: _yes(m.skipped_notice)),
    ]
    major = (
        MajorMatter.objects.in_subtree(organization)
        .select_related("organization")
        .order_by("organization__path", "-raised_on", "-pk")
    )
    major_columns = [
        Column("领导班子", lambda m: query.org_path(m.organization), width=40),
        Column("事项", "title", width=30),
        Column("类别", lambda m: m.get_category_display(), width=16),
        Column("金额（元）", "amount"),
        Column("提出日期", "raised_on"),
        Column("状态", lambda m: m.get_status_display()),
        Column("会议日期", "meeting_on"),
        Column("应到", "members_due"),
        Column("实到", "members_present"),
        Column("赞成", "votes_for"),
        Column("反对", "votes_against"),
        Column("弃权", "votes_abstain"),
        Column("决定结果", "result", width=30),
        Column("文号", "document_number"),
        Column("实施日期", "carried_out_on"),
        Column("未经会议即实施", lambda m: _yes(m.status == "pending" and m.carried_out_on)),
    ]
    return [
        Table("四议两公开", village_columns, village),
        Table("三重一大", major_columns, major),
    ]
