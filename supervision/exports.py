"""What the supervision app exports (portal/exchange/registry.py), for the complaint-handling
office only (the queue's READ access): the queue as the page shows it, and the register of
letters and visits (信访登记簿) of the same matters, to print.

The reporter's identity is never exported, not even masked: the rows come from
supervision/lists.py, which loads only the fields it names and never joins
ReporterIdentity; no column below reads it (tests/exchange/test_supervision_exports.py)."""

from portal.exchange.registry import Export, ExportQuery, register
from portal.exchange.writer import Column, Table
from portal.roles import Area
from supervision import lists


def _subject(complaint) -> str:
    subject = complaint.subject_cadre or complaint.subject_organization
    return subject.name if subject else ""


def _handler(complaint) -> str:
    handler = complaint.handler
    # The two loaded fields only (display_name would read the deferred first/last names).
    return (handler.full_name or handler.username) if handler else ""


def _days_left(complaint):
    return "" if complaint.days_left is None else complaint.days_left


def queue_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("编号", "tracking_code", width=14),
        Column("收件日期", "received_on", width=12),
        Column("来源渠道", lambda c: c.get_channel_display()),
        Column("问题类别", lambda c: c.get_category_display(), width=20),
        Column("被反映人或单位", _subject),
        Column("内容摘要", "summary", width=40),
        Column("线索具体", "has_specific_clues"),
        Column("匿名", "is_anonymous"),
        Column("办理环节", lambda c: c.get_status_display()),
        Column("承办人", _handler),
        Column("当前期限", "current_due", width=12),
        Column("剩余天数", _days_left),
    ]
    return [Table("信访件", columns, lists.complaints(query.user, query.params).qs)]


def _acceptance(complaint) -> str:
    if complaint.accepted_on:
        return f"受理 {complaint.accepted_on:%Y-%m-%d}"
    if complaint.decided_on:
        reason = "（不属本机关职责）" if complaint.outside_remit else ""
        return f"不予受理 {complaint.decided_on:%Y-%m-%d}{reason}"
    return "待决定"


def register_tables(query: ExportQuery) -> list[Table]:
    """信访登记簿: one line a matter with its statutory dates and outcome, A4 landscape."""
    rows = lists.complaint_register_rows(query.user, query.params)
    count = rows.count()
    columns = [
        Column("编号", "tracking_code", width=14),
        Column("收件日期", "received_on", width=11),
        Column("来源渠道", lambda c: c.get_channel_display(), width=10),
        Column("问题类别", lambda c: c.get_category_display(), width=16),
        Column("被反映人或单位", _subject, width=14),
        Column("内容摘要", "summary", width=30),
        Column("受理情况", _acceptance, width=16),
        Column("延期（天）", "extension_days", width=8),
        Column("办理期限", "current_due", width=11),
        Column("办结日期", "concluded_on", width=11),
        Column("调查结论", lambda c: c.get_finding_display() if c.finding else "", width=10),
        Column("答复日期", "replied_on", width=11),
        Column("办理环节", lambda c: c.get_status_display(), width=10),
        Column("承办人", _handler, width=10),
    ]
    day = query.today
    heading = ["信访举报登记簿", f"截至{day.year}年{day.month}月{day.day}日　共 {count} 件"]
    table = Table(
        "信访举报登记簿",
        columns,
        rows,
        heading=heading,
        numbered=True,
        boxed=True,
        landscape=True,
        total=count,
    )
    return [table]


S = Area.SUPERVISION

register(Export("complaints", "信访件", S, queue_tables))
register(Export("complaint-register", "信访举报登记簿", S, register_tables, register=True))
