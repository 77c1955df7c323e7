"""The supervision app's URLs in the roles × URLs matrix (tests/access.py).

Matters are handled by the office of township A (inside: the county's office and township A's
reach it) or of township B (outside: only users who see the whole county reach it).
"""

import datetime

from django.urls import reverse

from portal.roles import Access, Area, Capability
from supervision import services
from supervision.models import Complaint, Finding, Status
from tests.access import Entry

DAY = datetime.date(2025, 3, 3)
ON = DAY.isoformat()


def _complaint(world, organization):
    complaint, _secret = services.complaint_record(
        receiver=world.user("supervisor"),
        handling_organization=organization,
        channel="letter",
        category="formalism",
        summary="会议过多",
        description="反映会议过多。",
        subject_organization=world.branch_a1,
        reporter={"name": "举报人乙", "unit": "", "address": "", "contact": ""},
        today=DAY,
        received_on=DAY,
    )
    return complaint


def inside(world, user):
    return {"pk": _complaint(world, world.township_a).pk}


def outside(world, user):
    return {"pk": _complaint(world, world.township_b).pk}


# --- The matter page's actions, each from the stage it is offered at -------------------------


def _walk(complaint, user, to: str) -> Complaint:
    """Make the moves up to status `to`, all on DAY (the county's office acting)."""
    moves = [
        (
            Status.ACCEPTED,
            lambda c: services.complaint_decide(
                complaint=c, user=user, accept=True, decided_on=DAY, today=DAY
            ),
        ),
        (
            Status.ASSIGNED,
            lambda c: services.complaint_assign(
                complaint=c, user=user, handler=user, assigned_on=DAY, today=DAY
            ),
        ),
        (
            Status.INVESTIGATING,
            lambda c: services.complaint_start_investigation(
                complaint=c, user=user, started_on=DAY, today=DAY
            ),
        ),
        (
            Status.CONCLUDED,
            lambda c: services.complaint_conclude(
                complaint=c,
                user=user,
                finding=Finding.PARTLY,
                findings="部分属实。",
                concluded_on=DAY,
                today=DAY,
            ),
        ),
        (
            Status.REPLIED,
            lambda c: services.complaint_reply(
                complaint=c, user=user, reply="已答复。", replied_on=DAY, today=DAY
            ),
        ),
        (
            Status.REVIEW,
            lambda c: services.complaint_request_review(
                complaint=c, user=user, requested_on=DAY, today=DAY
            ),
        ),
        (
            Status.REVIEWED,
            lambda c: services.complaint_answer_review(
                complaint=c, user=user, answer="维持原结论。", answered_on=DAY, today=DAY
            ),
        ),
        (
            Status.REREVIEW,
            lambda c: services.complaint_request_rereview(
                complaint=c, user=user, requested_on=DAY, today=DAY
            ),
        ),
    ]
    if to == Status.RECEIVED:
        return complaint
    for status, move in moves:
        complaint = move(complaint)
        if status == to:
            return complaint
    raise ValueError(to)


def _status(status):
    return lambda complaint: complaint.status == status


# action: (status it is offered at, data(user), what the matter shows afterwards)
ACTION_CASES = {
    "decide": (
        Status.RECEIVED,
        lambda u: {"accept": "1", "decided_on": ON},
        _status(Status.ACCEPTED),
    ),
    "assign": (
        Status.ACCEPTED,
        lambda u: {"handler": u.pk, "assigned_on": ON},
        _status(Status.ASSIGNED),
    ),
    "investigate": (Status.ASSIGNED, lambda u: {"started_on": ON}, _status(Status.INVESTIGATING)),
    "conclude": (
        Status.INVESTIGATING,
        lambda u: {"finding": Finding.PARTLY, "findings": "部分属实。", "concluded_on": ON},
        _status(Status.CONCLUDED),
    ),
    "extend": (
        Status.INVESTIGATING,
        lambda u: {
            "days": "10",
            "reason": "需要补充调查。",
            "approved_by": u.pk,
            "extended_on": ON,
        },
        lambda c: c.extension_days == 10,
    ),
    "hearing-start": (
        Status.INVESTIGATING,
        lambda u: {"started_on": ON},
        lambda c: c.hearings.filter(started_on=DAY, ended_on__isnull=True).exists(),
    ),
    "hearing-end": (
        "hearing",
        lambda u: {"ended_on": ON},
        lambda c: c.hearings.filter(ended_on=DAY).exists(),
    ),
    "reply": (
        Status.CONCLUDED,
        lambda u: {"reply": "已答复。", "replied_on": ON},
        _status(Status.REPLIED),
    ),
    "close": (Status.REPLIED, lambda u: {"closed_on": ON}, _status(Status.CLOSED)),
    "review-request": (Status.REPLIED, lambda u: {"requested_on": ON}, _status(Status.REVIEW)),
    "review-answer": (
        Status.REVIEW,
        lambda u: {"answer": "维持原结论。", "answered_on": ON},
        _status(Status.REVIEWED),
    ),
    "rereview-request": (Status.REVIEWED, lambda u: {"requested_on": ON}, _status(Status.REREVIEW)),
    "rereview-answer": (
        Status.REREVIEW,
        lambda u: {"answer": "维持复查结论。", "answered_on": ON},
        _status(Status.REREVIEWED),
    ),
}


def _action_record(world, organization, action):
    office = world.user("supervisor")
    status = ACTION_CASES[action][0]
    complaint = _complaint(world, organization)
    if status == "hearing":
        complaint = _walk(complaint, office, Status.INVESTIGATING)
        services.hearing_start(complaint=complaint, user=office, started_on=DAY, today=DAY)
    else:
        _walk(complaint, office, status)
    return {"pk": complaint.pk, "action": action}


def _action_data(world, user, kwargs):
    action = kwargs["action"]
    return {f"{action}-{key}": value for key, value in ACTION_CASES[action][1](user).items()}


def _action_done(response, world, user, kwargs):
    assert response["Location"] == reverse("supervision:complaint-detail", args=[kwargs["pk"]])
    complaint = Complaint.objects.get(pk=kwargs["pk"])
    assert ACTION_CASES[kwargs["action"]][2](complaint), (
        f"{kwargs['action']} left {complaint.status}"
    )


def _action(action):
    return Entry(
        "supervision:complaint-action",
        area=Area.SUPERVISION,
        level=Access.EDIT,
        make=lambda world, user: _action_record(world, world.township_a, action),
        outside=lambda world, user: _action_record(world, world.township_b, action),
        method="post",
        data=_action_data,
        ok_statuses=(302,),
        label=action,
        check=_action_done,
    )


ENTRIES = [
    Entry("supervision:index", area=Area.SUPERVISION, level=Access.STATS),
    Entry("supervision:complaint-statistics", area=Area.SUPERVISION, level=Access.STATS),
    Entry("supervision:complaint-list", area=Area.SUPERVISION, level=Access.READ),
    # Exports (tests/exchange/test_supervision_exports.py): the queue's rows as a file.
    Entry("supervision:complaint-export", area=Area.SUPERVISION, level=Access.READ),
    Entry("supervision:complaint-register", area=Area.SUPERVISION, level=Access.READ),
    Entry("supervision:complaint-create", area=Area.SUPERVISION, level=Access.EDIT),
    Entry(
        "supervision:complaint-detail",
        area=Area.SUPERVISION,
        level=Access.READ,
        make=inside,
        outside=outside,
    ),
    Entry(
        "supervision:complaint-receipt",
        area=Area.SUPERVISION,
        level=Access.READ,
        make=inside,
        outside=outside,
    ),
    Entry(
        "supervision:complaint-reissue",
        area=Area.SUPERVISION,
        level=Access.EDIT,
        make=inside,
        outside=outside,
        method="post",
        ok_statuses=(302,),
    ),
    Entry(
        "supervision:complaint-reveal",
        area=Area.SUPERVISION,
        level=Access.EDIT,
        make=inside,
        outside=outside,
        method="post",
        capability=Capability.REVEAL_REPORTER,
    ),
    *[_action(action) for action in ACTION_CASES],
    Entry("track:lookup", area=None, public=True),
    Entry("track:rate", area=None, public=True, method="post"),
]
