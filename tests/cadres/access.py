"""The cadres app's URLs in the roles × URLs matrix (tests/access.py)."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from cadres import services
from cadres.models import Appointment, Cadre, FourMust, Stage
from portal.roles import Access, Area, Capability
from tests.access import Entry
from tests.cadres.factories import make_cadre
from tests.cadres.workflow import TODAY, D, complete_musts, propose, walk


def _cadre(org):
    return make_cadre(org, name="访问测试", birth_date=D(1981, 3, 4))


def inside(world, user):
    return {"pk": _cadre(world.township_a).pk}


def outside(world, user):
    return {"pk": _cadre(world.township_b).pk}


MATRIX_PHOTO = "cadres/photos/access-matrix-test.png"


def _with_photo(org):
    # One shared file under MEDIA_ROOT rather than a new upload per role and entry (the
    # upload path is tested in test_services); the record points at it.
    cadre = _cadre(org)
    if not default_storage.exists(MATRIX_PHOTO):
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
        default_storage.save(MATRIX_PHOTO, ContentFile(buffer.getvalue()))
    Cadre.objects.filter(pk=cadre.pk).update(photo=MATRIX_PHOTO)
    return {"pk": cadre.pk}


def _appointment(org, stage=None):
    appointment = propose(_cadre(org), org)
    return walk(appointment, stage) if stage else appointment


# Each workflow step, from the stage it is offered at, with data that makes the move (302
# back to the record, which has moved on to `to`).
STEP_CASES = {
    # step: (stage to walk to first, the stage it leads to, data(appointment))
    "recommend": (
        None,
        Stage.RECOMMENDATION,
        lambda a: {"recommended_on": "2026-08-10", "note": "得票率 85%"},
    ),
    "inspect": (Stage.RECOMMENDATION, Stage.INSPECTION, lambda a: {"started_on": "2026-08-17"}),
    "decide": (
        Stage.INSPECTION,
        Stage.DECIDED,
        lambda a: {
            "meeting_on": "2026-09-01",
            "members_due": 11,
            "members_present": 10,
            "votes_for": 9,
        },
    ),
    "notice": (Stage.DECIDED, Stage.NOTICE, lambda a: {"starts_on": "2026-09-30"}),
    "appoint": (
        Stage.NOTICE,
        Stage.PROBATION,
        lambda a: {
            "appointed_on": (a.notice_ends_on + datetime.timedelta(days=1)).isoformat(),
            "document_number": "云委干〔2026〕45号",
        },
    ),
    "confirm": (
        Stage.PROBATION,
        Stage.CONFIRMED,
        lambda a: {"confirmed_on": a.probation_ends_on.isoformat(), "note": "考核称职"},
    ),
    "return": (
        Stage.PROBATION,
        Stage.RETURNED,
        lambda a: {
            "returned_on": (a.appointed_on + datetime.timedelta(days=30)).isoformat(),
            "document_number": "云委干〔2026〕50号",
            "note": "试用期考核不称职",
        },
    ),
    "withdraw": (
        Stage.INSPECTION,
        Stage.WITHDRAWN,
        lambda a: {"closed_on": "2026-08-25", "note": "动议撤回"},
    ),
}


def _step_record(org, step):
    stage = STEP_CASES[step][0]
    appointment = _appointment(org, stage)
    if stage == Stage.INSPECTION and step == "decide":
        complete_musts(appointment)
    return {"pk": appointment.pk, "step": step}


def _step_data(world, user, kwargs):
    step = kwargs["step"]
    appointment = Appointment.objects.get(pk=kwargs["pk"])
    return {f"{step}-{key}": value for key, value in STEP_CASES[step][2](appointment).items()}


def _step_moved(response, world, user, kwargs):
    assert response["Location"] == reverse("cadres:appointment-detail", args=[kwargs["pk"]])
    assert Appointment.objects.get(pk=kwargs["pk"]).stage == STEP_CASES[kwargs["step"]][1]


def _check(org):
    appointment = _appointment(org, Stage.INSPECTION)
    return {"pk": appointment.four_musts.get(item=FourMust.FILE_REVIEWED).pk}


def _objection(org):
    appointment = _appointment(org, Stage.NOTICE)
    objection = services.objection_record(
        appointment=appointment, received_on=D(2026, 10, 9), summary="反映问题"
    )
    return {"pk": objection.pk}


def _reserve(org):
    entry = services.reserve_add(cadre=_cadre(org), level="section_chief", added_on=TODAY)
    return {"pk": entry.pk}


def per_cadre(name, level=Access.READ, **kwargs):
    return Entry(name, area=Area.CADRES, level=level, make=inside, outside=outside, **kwargs)


def scoped(name, maker, level=Access.READ, **kwargs):
    return Entry(
        name,
        area=Area.CADRES,
        level=level,
        make=lambda world, user: maker(world.township_a),
        outside=lambda world, user: maker(world.township_b),
        **kwargs,
    )


ENTRIES = [
    # The dashboard of an organisation (issue #11): a township's; another township's is a
    # 404 below the county.
    Entry(
        "cadres:dashboard",
        area=Area.CADRES,
        level=Access.READ,
        make=lambda world, user: {"pk": world.township_a.pk},
        outside=lambda world, user: {"pk": world.township_b.pk},
    ),
    Entry("cadres:index", area=Area.CADRES, level=Access.READ),
    Entry("cadres:cadre-list", area=Area.CADRES, level=Access.READ),
    Entry("cadres:cadre-create", area=Area.CADRES, level=Access.EDIT),
    Entry("cadres:reserveentry-list", area=Area.CADRES, level=Access.READ),
    Entry("cadres:reserveentry-report", area=Area.CADRES, level=Access.READ),
    Entry("cadres:appointment-list", area=Area.CADRES, level=Access.READ),
    # Exports (tests/exchange): the lists' rows as files, the 干部名册; the forms of ticked
    # cadres answer a request that ticks none with a message (400).
    Entry("cadres:cadre-export", area=Area.CADRES, level=Access.READ),
    Entry("cadres:postrecord-export", area=Area.CADRES, level=Access.READ),
    Entry("cadres:cadre-register", area=Area.CADRES, level=Access.READ),
    Entry("cadres:cadre-forms", area=Area.CADRES, level=Access.READ, ok_statuses=(400,)),
    Entry("cadres:appointment-export", area=Area.CADRES, level=Access.READ),
    Entry("cadres:reserveentry-export", area=Area.CADRES, level=Access.READ),
    Entry("cadres:reserveentry-report-export", area=Area.CADRES, level=Access.READ),
    per_cadre("cadres:cadre-detail"),
    per_cadre("cadres:cadre-update", Access.EDIT),
    per_cadre("cadres:cadre-print"),
    per_cadre("cadres:cadre-xlsx"),
    per_cadre("cadres:cadre-timeline"),
    per_cadre(
        "cadres:cadre-reveal", Access.EDIT, method="post", capability=Capability.REVEAL_ID_NUMBER
    ),
    scoped("cadres:cadre-photo", _with_photo),
    per_cadre("cadres:postrecord-create", Access.EDIT),
    per_cadre("cadres:assessment-create", Access.EDIT),
    per_cadre("cadres:training-create", Access.EDIT),
    per_cadre("cadres:merit-create", Access.EDIT),
    per_cadre("cadres:faulttolerancecase-create", Access.EDIT),
    per_cadre("cadres:resumeline-create", Access.EDIT),
    per_cadre("cadres:familymember-create", Access.EDIT),
    per_cadre("cadres:reserveentry-create", Access.EDIT),
    per_cadre("cadres:appointment-create", Access.EDIT),
    scoped("cadres:reserveentry-remove", _reserve, Access.EDIT, method="post", ok_statuses=(302,)),
    scoped("cadres:appointment-detail", lambda org: {"pk": _appointment(org).pk}),
    *[
        scoped(
            "cadres:appointment-step",
            lambda org, step=step: _step_record(org, step),
            Access.EDIT,
            method="post",
            data=_step_data,
            ok_statuses=(302,),
            label=step,
            check=_step_moved,
        )
        for step in STEP_CASES
    ],
    scoped("cadres:fourmustcheck-complete", _check, Access.EDIT, method="post"),
    scoped(
        "cadres:noticeobjection-create",
        lambda org: {"pk": _appointment(org, Stage.NOTICE).pk},
        Access.EDIT,
        method="post",
        ok_statuses=(302,),
    ),
    scoped(
        "cadres:noticeobjection-resolve", _objection, Access.EDIT, method="post", ok_statuses=(302,)
    ),
]
