"""One tap, one move: the forms that move a record on or add to it (a planned meeting recorded
as held, an attachment, an objection, every appointment step, every complaint action), sent 8
times at once with one key, have exactly the effect of one tap: the same rows in every table
(records, history, notifications) as a single send to a twin record, one state change, and
8 answers that are the first one's redirect."""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone

from cadres.models import Appointment
from grassroots import services as grassroots_services
from grassroots.models import Meeting, MeetingKind
from supervision.models import Complaint
from tests.cadres.access import STEP_CASES, _appointment, _step_record
from tests.cadres.workflow import walk
from tests.grassroots.factories import PartyMemberFactory, ensure_requirements
from tests.portal.concurrency import clients_for, form_key, send_together
from tests.supervision.access import ACTION_CASES, _action_record
from tests.uploads import picture

# Tables a second browser adds to by itself (its session, the sign-in trail), not by the form.
NOT_EFFECTS = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def _rows() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_EFFECTS and model._meta.managed
    }


def _effect(before: dict, after: dict) -> dict:
    return {label: after[label] - before[label] for label in after if after[label] != before[label]}


def _planned(world):
    # The twin is planned a day earlier: one meeting of a kind per branch and day is a rule
    # of its own.
    ensure_requirements()
    planned = Meeting.objects.filter(organization=world.branch_a1).count()
    if not planned:
        for _ in range(3):
            PartyMemberFactory(branch=world.branch_a1)
    return grassroots_services.meeting_plan(
        organization=world.branch_a1,
        kind=MeetingKind.GENERAL,
        date=timezone.localdate() - datetime.timedelta(days=planned),
        topic="学习党章",
    )


def _pk(url) -> int:
    return resolve(url).kwargs["pk"]


# name: (role, make(world) -> (url, form page), data(url) -> dict, state(url) -> comparable)
def _meeting_record():
    def make(world):
        meeting = _planned(world)
        url = reverse("grassroots:meeting-record", kwargs={"pk": meeting.pk})
        return url, url

    def data(url):
        meeting = Meeting.objects.get(pk=_pk(url))
        return {"kind": meeting.kind, "date": meeting.date.isoformat(), "topic": "学习党章"}

    def state(url):
        return Meeting.objects.get(pk=_pk(url)).status

    return "secretary", make, data, state


def _attachment():
    def make(world):
        meeting = _planned(world)
        page = reverse("grassroots:meeting-detail", kwargs={"pk": meeting.pk})
        return reverse("grassroots:attachment-create", kwargs={"pk": meeting.pk}), page

    def data(url):
        return {"attachments": SimpleUploadedFile("签到表.png", picture(), "image/png")}

    def state(url):
        meeting = Meeting.objects.get(pk=_pk(url))
        return meeting.attachments.count()

    return "secretary", make, data, state


def _objection():
    from cadres.models import Stage

    def make(world):
        appointment = _appointment(world.township_a, Stage.NOTICE)
        page = reverse("cadres:appointment-detail", kwargs={"pk": appointment.pk})
        return reverse("cadres:noticeobjection-create", kwargs={"pk": appointment.pk}), page

    def data(url):
        appointment = Appointment.objects.get(pk=_pk(url))
        return {
            "objection-received_on": appointment.notice_starts_on.isoformat(),
            "objection-summary": "群众反映该同志作风问题。",
        }

    def state(url):
        return Appointment.objects.get(pk=_pk(url)).objections.count()

    return "staff", make, data, state


def _step(step):
    def make(world):
        kwargs = _step_record(world.township_a, step)
        page = reverse("cadres:appointment-detail", kwargs={"pk": kwargs["pk"]})
        return reverse("cadres:appointment-step", kwargs=kwargs), page

    def data(url):
        appointment = Appointment.objects.get(pk=_pk(url))
        return {f"{step}-{key}": value for key, value in STEP_CASES[step][2](appointment).items()}

    def state(url):
        return Appointment.objects.get(pk=_pk(url)).stage

    return "staff", make, data, state


def _action(action):
    holder = {}

    def make(world):
        holder["user"] = world.user("supervisor")
        kwargs = _action_record(world, world.township_a, action)
        page = reverse("supervision:complaint-detail", kwargs={"pk": kwargs["pk"]})
        return reverse("supervision:complaint-action", kwargs=kwargs), page

    def data(url):
        return {
            f"{action}-{key}": value
            for key, value in ACTION_CASES[action][1](holder["user"]).items()
        }

    def state(url):
        complaint = Complaint.objects.get(pk=_pk(url))
        return (
            complaint.status,
            complaint.extension_days,
            list(complaint.hearings.values_list("started_on", "ended_on")),
        )

    return "supervisor", make, data, state


def _village_step():
    from grassroots.decisions import services as decisions
    from grassroots.decisions.models import VillageMatter

    def make(world):
        matter = decisions.village_matter_propose(
            organization=world.branch_a1,
            subject="project",
            topic=f"村道硬化 {VillageMatter.objects.count() + 1}",
            proposed_on=timezone.localdate() - datetime.timedelta(days=3),
            summary="支委会提议",
        )
        url = reverse("grassroots:village-step-create", kwargs={"pk": matter.pk})
        return url, url

    def data(url):
        return {
            "step": "2_consultation",
            "done_on": timezone.localdate().isoformat(),
            "summary": "两委联席会议商议同意。",
            "participants": "两委成员 7 人",
        }

    def state(url):
        return VillageMatter.objects.get(pk=_pk(url)).steps.count()

    return "secretary", make, data, state


CASES = {
    "meeting-record": _meeting_record(),
    "attachment": _attachment(),
    "objection": _objection(),
    "village-step": _village_step(),
    **{f"step-{step}": _step(step) for step in STEP_CASES},
    **{f"action-{action}": _action(action) for action in ACTION_CASES},
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", list(CASES))
def test_eight_simultaneous_taps_have_the_effect_of_one(name, world):
    role, make, data, state = CASES[name]
    user = world.user(role)
    clients = clients_for(user)

    # given two twin records, and the effect one tap has on the first
    single_url, single_page = make(world)
    twin_url, twin_page = make(world)
    initial = state(twin_url)
    key = form_key(clients[0], single_page)
    before = _rows()
    once = clients[0].post(single_url, {**data(single_url), "submission_key": key})
    assert once.status_code == 302, once.content.decode()[:2000]
    one_tap = _effect(before, _rows())
    assert state(single_url) != initial, "the single tap changed nothing: the case is wrong"

    # when the twin's form is sent 8 times at the same moment with its one key
    key = form_key(clients[0], twin_page)
    before = _rows()
    responses = send_together(clients, twin_url, lambda: {**data(twin_url), "submission_key": key})

    # then every tap is answered with the same redirect, and the effect is one tap's
    assert [r.status_code for r in responses] == [302] * len(clients)
    assert len({r["Location"] for r in responses}) == 1
    assert _effect(before, _rows()) == one_tap
    assert state(twin_url) == state(single_url)

    # and a resend after success changes nothing more
    again = clients[0].post(twin_url, {**data(twin_url), "submission_key": key})
    assert again.status_code == 302
    assert again["Location"] == responses[0]["Location"]
    assert _effect(before, _rows()) == one_tap


def test_every_keyed_move_has_a_case():
    """A form that moves a record on gets a case here when it gets `@once_per_key`."""
    from cadres.views import STEPS
    from supervision.views import ACTIONS

    assert set(STEP_CASES) == set(STEPS)
    assert set(ACTION_CASES) == set(ACTIONS)
    assert walk  # the walk helper the cases rely on is importable
