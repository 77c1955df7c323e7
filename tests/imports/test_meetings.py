"""Historical meetings (from the minutes): organisation, kind, date, topic and counts, through
the meeting service; the quorum rule of the kind decides validity, as for a logged meeting."""

import datetime

import pytest

from grassroots.models import Meeting
from tests.grassroots.factories import ensure_requirements
from tests.imports.helpers import csv_bytes, error_lines, run, xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "组织",
    "会议类型",
    "会议日期",
    "会议主题",
    "应到人数",
    "实到人数",
    "有表决权人数",
    "地点",
]
ROWS = [
    ["甲一村党支部", "支部党员大会", "2024-03-05", "学习党章", 23, 20, "", "村部"],
    # exactly half of those due present is not a quorum
    [
        "测试县委/甲镇党委/甲一村党支部",
        "党员大会",
        "2024年4月5日",
        "换届筹备",
        "20",
        "10人",
        "",
        "",
    ],
    ["甲一村党支部", "主题党日", "2024.5.6", "志愿服务", 10, 12, "", ""],
    ["甲一村党支部", "主题党日", "2099-01-01", "未来", 10, 8, "", ""],
    ["乙一村党支部", "支部党员大会", "2024-03-05", "越界", 10, 8, "", ""],
    ["甲一村党支部", "支部党员大会", "2024-03-05", "同一次", 23, 20, "", ""],
    ["甲一村党支部", "党课", "2024-06-01", "党课", "十", 8, "", ""],
]


@pytest.fixture(autouse=True)
def _requirements(db):
    ensure_requirements()


def test_past_meetings_with_their_counts_and_the_quorum_rule(world):
    # when the secretary of branch A1 imports the minutes of past meetings
    job = run("meetings", xlsx(HEADERS, ROWS), world.user("secretary"), apply=True)

    # then the rows that break a rule are rejected, each with its reason
    assert error_lines(job) == [
        "第 4 行 · 实到人数：实到人数多于应到人数。",
        "第 5 行 · 会议日期：已召开的会议日期不能晚于今天；如尚未召开，请登记为计划会议。",
        "第 6 行 · 组织：乙一村党支部不在你的管理范围内：你只能导入甲一村党支部及其下级组织的数据。",
        "第 7 行 · 组织：与第 2 行是同一条记录；每条记录只能出现一次。",
        "第 8 行 · 应到人数：“十”不是人数。",
    ]
    # and the others are held meetings with their counts frozen, valid by the quorum rule
    meetings = {m.topic: m for m in Meeting.objects.filter(organization=world.branch_a1)}
    assert set(meetings) == {"学习党章", "换届筹备"}
    study, election = meetings["学习党章"], meetings["换届筹备"]
    assert (study.kind, study.date, study.status, study.place) == (
        "general",
        datetime.date(2024, 3, 5),
        "held",
        "村部",
    )
    assert (study.due_count, study.present_count, study.voting_count) == (23, 20, 23)
    assert study.is_valid
    assert (election.present_count, election.present_voting_count) == (10, 10)
    assert not election.is_valid  # 10 of 20: not more than half
    assert not study.attendances.exists()  # no roster of that day to invent


def test_the_same_minutes_again_change_nothing_and_voting_counts_are_used(world):
    rows = [["甲一村党支部", "支部党员大会", "2024-03-05", "学习党章", 30, 20, 24, ""]]
    headers = [*HEADERS[:7], "有表决权实到人数"]
    data = csv_bytes(headers, [[*rows[0][:7], "12"]], encoding="gbk")
    first = run("meetings", data, world.user("staff"), apply=True)
    assert (first.new_rows, first.rejected_rows) == (1, 0)
    meeting = Meeting.objects.get()
    # The branch general meeting needs more than half of the voting members: 12 of 24 is not.
    assert (meeting.voting_count, meeting.present_voting_count, meeting.is_valid) == (24, 12, False)

    again = run("meetings", data, world.user("staff"))
    assert (again.new_rows, again.updated_rows, again.unchanged_rows) == (0, 0, 1)
    other = csv_bytes(headers, [[*rows[0][:3], "另一主题", 30, 20, 24, 12]], encoding="gbk")
    changed = run("meetings", other, world.user("staff"))
    assert error_lines(changed) == [
        "第 2 行 · 会议日期：该组织当天已记录同类会议，且内容不同；请在会议页面更正。"
    ]
    assert Meeting.objects.count() == 1
