"""The grassroots URLs in the roles × URLs matrix (tests/access.py)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grassroots import services
from grassroots.models import Meeting, MeetingAttachment, PartyMember
from portal.roles import Access, Area, Capability
from tests.access import Entry
from tests.grassroots.factories import PartyMemberFactory


def branch(world, user):
    return {"pk": world.branch_a1.pk}


def branch_outside(world, user):
    return {"pk": world.branch_b1.pk}


def township(world, user):
    # The helper sits in township A; everyone else reaches it too (the secretary does not).
    org = world.branch_a1 if user.role == "secretary" else world.township_a
    return {"pk": org.pk}


def township_outside(world, user):
    return {"pk": world.township_b.pk}


def _meeting(org, status=Meeting.Status.HELD):
    existing = Meeting.objects.filter(organization=org, status=status).first()
    if existing:
        return existing
    if status == Meeting.Status.PLANNED:
        return services.meeting_plan(
            organization=org, kind="lecture", date=datetime.date(2030, 1, 10), topic="党课"
        )
    return services.meeting_record(
        organization=org, kind="theme_day", date=datetime.date(2026, 1, 10), topic="主题党日"
    )


def meeting(world, user):
    return {"pk": _meeting(world.branch_a1).pk}


def meeting_outside(world, user):
    return {"pk": _meeting(world.branch_b1).pk}


def planned(world, user):
    return {"pk": _meeting(world.branch_a1, Meeting.Status.PLANNED).pk}


def planned_outside(world, user):
    return {"pk": _meeting(world.branch_b1, Meeting.Status.PLANNED).pk}


def _attachment(org):
    meeting = _meeting(org)
    existing = MeetingAttachment.objects.filter(meeting=meeting).first()
    if existing:
        return existing
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    file = SimpleUploadedFile("签到表.png", buffer.getvalue(), content_type="image/png")
    return services.meeting_attachment_add(meeting=meeting, file=file)


def attachment(world, user):
    return {"pk": _attachment(world.branch_a1).pk}


def attachment_outside(world, user):
    return {"pk": _attachment(world.branch_b1).pk}


def _member(org):
    return PartyMember.objects.filter(branch=org).first() or PartyMemberFactory(branch=org)


def member(world, user):
    return {"pk": _member(world.branch_a1).pk}


def member_outside(world, user):
    return {"pk": _member(world.branch_b1).pk}


READ, EDIT, G = Access.READ, Access.EDIT, Area.GRASSROOTS

ENTRIES = [
    Entry("grassroots:index", area=G, level=READ),
    Entry(
        "grassroots:organization-compliance",
        area=G,
        level=READ,
        make=township,
        outside=township_outside,
    ),
    # The dashboard of an organisation: the township's (a secretary's own branch's); another
    # township's is a 404 below the county.
    Entry("grassroots:dashboard", area=G, level=READ, make=township, outside=township_outside),
    Entry("grassroots:yearend", area=G, level=READ, make=township, outside=township_outside),
    # the year-end workbook (tests/grassroots/test_yearend.py reads its sheets)
    Entry("grassroots:yearend-export", area=G, level=READ, make=township, outside=township_outside),
    Entry("grassroots:branch-detail", area=G, level=READ, make=branch, outside=branch_outside),
    Entry("grassroots:meeting-create", area=G, level=EDIT, make=branch, outside=branch_outside),
    Entry("grassroots:meeting-list", area=G, level=READ),
    Entry("grassroots:meeting-detail", area=G, level=READ, make=meeting, outside=meeting_outside),
    Entry("grassroots:meeting-record", area=G, level=EDIT, make=planned, outside=planned_outside),
    # POST-only actions answer an empty form with a redirect back to the record.
    Entry(
        "grassroots:motion-create",
        area=G,
        level=EDIT,
        make=meeting,
        outside=meeting_outside,
        method="post",
        ok_statuses=(302,),
    ),
    Entry(
        "grassroots:attachment-create",
        area=G,
        level=EDIT,
        make=meeting,
        outside=meeting_outside,
        method="post",
        ok_statuses=(302,),
    ),
    Entry(
        "grassroots:attachment-file",
        area=G,
        level=READ,
        make=attachment,
        outside=attachment_outside,
    ),
    Entry("grassroots:member-list", area=G, level=READ),
    Entry("grassroots:member-create", area=G, level=EDIT),
    Entry("grassroots:member-detail", area=G, level=READ, make=member, outside=member_outside),
    Entry("grassroots:member-update", area=G, level=EDIT, make=member, outside=member_outside),
    Entry(
        "grassroots:member-transfer",
        area=G,
        level=EDIT,
        make=member,
        outside=member_outside,
        method="post",
        ok_statuses=(302,),
    ),
    Entry(
        "grassroots:member-advance",
        area=G,
        level=EDIT,
        make=member,
        outside=member_outside,
        method="post",
        ok_statuses=(302,),
    ),
    # Action pages: an empty POST shows the form again with its errors (200), saving nothing.
    Entry(
        "grassroots:member-assess",
        area=G,
        level=EDIT,
        make=member,
        outside=member_outside,
        method="post",
    ),
    Entry(
        "grassroots:member-remove",
        area=G,
        level=EDIT,
        make=member,
        outside=member_outside,
        method="post",
    ),
    # Staff and administrators see the ID number; a secretary or a
    # leader reaches the member but may not reveal (403).
    Entry(
        "grassroots:member-reveal",
        area=G,
        level=READ,
        make=member,
        outside=member_outside,
        method="post",
        ok_statuses=(200,),  # the number on a page of its own (portal.reveals)
        capability=Capability.REVEAL_ID_NUMBER,
    ),
    # Exports (tests/exchange): the list's rows as a file; an organisation's outside the
    # subtree is a 404 like its page.
    Entry("grassroots:member-export", area=G, level=READ),
    Entry("grassroots:meeting-export", area=G, level=READ),
    Entry(
        "grassroots:compliance-export",
        area=G,
        level=READ,
        make=township,
        outside=township_outside,
    ),
    Entry(
        "grassroots:compliance-report",
        area=G,
        level=READ,
        make=township,
        outside=township_outside,
    ),
    Entry(
        "grassroots:member-register",
        area=G,
        level=READ,
        make=township,
        outside=township_outside,
    ),
    Entry("grassroots:organization-export", area=G, level=READ),
]


# --- Collective decisions (grassroots/decisions) -----------------------------------------------


def _major_matter(org):
    from grassroots.decisions import services as decisions
    from grassroots.decisions.models import MajorMatter

    existing = MajorMatter.objects.filter(organization=org).first()
    return existing or decisions.major_matter_record(
        organization=org,
        category="project",
        title="农贸市场改造",
        raised_on=datetime.date(2026, 10, 1),
    )


def major_matter(world, user):
    return {"pk": _major_matter(world.township_a).pk}


def major_matter_outside(world, user):
    return {"pk": _major_matter(world.township_b).pk}


def team(world, user):
    return {"pk": world.township_a.pk}


def _village_matter(org):
    from grassroots.decisions import services as decisions
    from grassroots.decisions.models import VillageMatter

    existing = VillageMatter.objects.filter(organization=org).first()
    return existing or decisions.village_matter_propose(
        organization=org,
        subject="project",
        topic="村道硬化",
        proposed_on=datetime.date(2026, 10, 1),
        summary="支委会提议",
    )


def village_matter(world, user):
    return {"pk": _village_matter(world.branch_a1).pk}


def village_matter_outside(world, user):
    return {"pk": _village_matter(world.branch_b1).pk}


def _step(org):
    return _village_matter(org).steps.get()


def step(world, user):
    return {"pk": _step(world.branch_a1).pk}


def step_outside(world, user):
    return {"pk": _step(world.branch_b1).pk}


def _step_attachment(org):
    from grassroots.decisions import services as decisions

    proposal = _step(org)
    existing = proposal.attachments.first()
    if existing:
        return existing
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    file = SimpleUploadedFile("提议.png", buffer.getvalue(), content_type="image/png")
    return decisions.village_step_attach(step=proposal, file=file)


def step_attachment(world, user):
    return {"pk": _step_attachment(world.branch_a1).pk}


def step_attachment_outside(world, user):
    return {"pk": _step_attachment(world.branch_b1).pk}


# The leadership teams in the tree are the townships' committees: a village secretary reaches
# none of them (404), whatever the record.
NO_TEAM_FOR_SECRETARY = {"secretary": 404}

ENTRIES += [
    # An organisation's decisions, the rollup below it and its export (village A1 for the
    # secretary, township A for everyone else).
    Entry("grassroots:decision-list", area=G, level=READ, make=township, outside=township_outside),
    Entry(
        "grassroots:decision-rollup", area=G, level=READ, make=township, outside=township_outside
    ),
    Entry(
        "grassroots:decision-export", area=G, level=READ, make=township, outside=township_outside
    ),
    Entry(
        "grassroots:major-matter-create",
        area=G,
        level=EDIT,
        make=team,
        outside=township_outside,
        status_by_role=NO_TEAM_FOR_SECRETARY,
    ),
    Entry(
        "grassroots:major-matter-detail",
        area=G,
        level=READ,
        make=major_matter,
        outside=major_matter_outside,
        status_by_role=NO_TEAM_FOR_SECRETARY,
    ),
    Entry(
        "grassroots:major-matter-decide",
        area=G,
        level=EDIT,
        make=major_matter,
        outside=major_matter_outside,
        status_by_role=NO_TEAM_FOR_SECRETARY,
    ),
    Entry(
        "grassroots:major-matter-carry-out",
        area=G,
        level=EDIT,
        make=major_matter,
        outside=major_matter_outside,
        method="post",
        ok_statuses=(302,),
        status_by_role=NO_TEAM_FOR_SECRETARY,
    ),
    Entry(
        "grassroots:village-matter-create",
        area=G,
        level=EDIT,
        make=branch,
        outside=branch_outside,
        method="post",  # an empty form: shown again with its errors, nothing saved
    ),
    Entry(
        "grassroots:village-matter-detail",
        area=G,
        level=READ,
        make=village_matter,
        outside=village_matter_outside,
    ),
    Entry(
        "grassroots:village-step-create",
        area=G,
        level=EDIT,
        make=village_matter,
        outside=village_matter_outside,
    ),
    Entry(
        "grassroots:village-matter-carry-out",
        area=G,
        level=EDIT,
        make=village_matter,
        outside=village_matter_outside,
        method="post",
        ok_statuses=(302,),
    ),
    Entry(
        "grassroots:village-matter-notices",
        area=G,
        level=READ,
        make=village_matter,
        outside=village_matter_outside,
    ),
    Entry(
        "grassroots:village-step-remark",
        area=G,
        level=EDIT,
        make=step,
        outside=step_outside,
        method="post",
        ok_statuses=(302,),
    ),
    Entry(
        "grassroots:step-attachment-file",
        area=G,
        level=READ,
        make=step_attachment,
        outside=step_attachment_outside,
    ),
]
