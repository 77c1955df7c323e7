"""Every list shows the rows inside the user's reach and none outside it.

One table, one row per (list, user): `seed(world, user)` makes a record inside the user's reach
and one outside it, each carrying a name no other row has, and returns the two names. The
test opens the list (an export is read cell by cell) and asserts the inside name is shown and
the outside one is not. A new list, export or API list adds a row here; the test below fails
on a list URL that has none.

"Outside" is another subtree for users below the county (a township's staff, leader and
supervisor, the branch secretary), and for a helper any household not paired with them.
"""

import datetime
import io
import itertools
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def _marker(where: str) -> str:
    return f"{where}标记{next(_serial):03d}"


# --- Seeds: (inside name, outside name) -----------------------------------------------------


def _cadres(world, user):
    from tests.cadres.factories import make_cadre

    inside, outside = _marker("内"), _marker("外")
    make_cadre(world.township_a, name=inside)
    make_cadre(world.township_b, name=outside)
    return inside, outside


def _reserve(world, user):
    from cadres import services
    from tests.cadres.factories import make_cadre

    inside, outside = _marker("内"), _marker("外")
    for org, name in ((world.township_a, inside), (world.township_b, outside)):
        services.reserve_add(
            cadre=make_cadre(org, name=name), level="section_chief", added_on=timezone.localdate()
        )
    return inside, outside


def _appointments(world, user):
    from tests.cadres.factories import make_cadre
    from tests.cadres.workflow import propose

    inside, outside = _marker("内"), _marker("外")
    for org, name in ((world.township_a, inside), (world.township_b, outside)):
        propose(make_cadre(org, name=name), org)
    return inside, outside


def _members(world, user):
    from tests.grassroots.factories import PartyMemberFactory

    inside, outside = _marker("内"), _marker("外")
    PartyMemberFactory(branch=world.branch_a1, name=inside)
    # For the secretary of A1, a sister branch of the same township is outside too.
    other = world.branch_a2 if user.organization_id == world.branch_a1.pk else world.branch_b1
    PartyMemberFactory(branch=other, name=outside)
    return inside, outside


def _meetings(world, user):
    from grassroots import services

    inside, outside = _marker("内"), _marker("外")
    other = world.branch_a2 if user.organization_id == world.branch_a1.pk else world.branch_b1
    for org, topic in ((world.branch_a1, inside), (other, outside)):
        services.meeting_record(
            organization=org, kind="theme_day", date=datetime.date(2026, 1, 10), topic=topic
        )
    return inside, outside


def _village(org):
    from poverty.models import Village
    from tests.poverty.factories import make_village

    return Village.objects.filter(organization=org).first() or make_village(org)


def _household(world, user, *, outside: bool, head: str, overdue: bool = False):
    """A household in A1 paired with `user` (a helper) or a township A official; outside: in
    B1 (or, for a helper, in A1 but paired with someone else)."""
    from poverty import services
    from tests.factories import id_number_for
    from tests.poverty.factories import make_cadre, make_household, make_pairing

    helper = user.role == "helper"
    village = _village(world.branch_a1 if outside and helper or not outside else world.branch_b1)
    household = make_household(village, members=0)
    services.member_add(household=household, name=head, id_number=id_number_for(), relation="head")
    if helper and not outside:
        official = getattr(user, "cadre", None) or make_cadre(world.township_a, user=user)
    else:
        official = make_cadre(world.township_b if outside and not helper else world.township_a)
    days = 200 if overdue else 10
    make_pairing(household, official, start=timezone.localdate() - datetime.timedelta(days=days))
    return household


def _households(world, user):
    inside = _household(world, user, outside=False, head=_marker("内"))
    outside = _household(world, user, outside=True, head=_marker("外"))
    return inside.number, outside.number


def _villages(world, user):
    from tests.factories import OrganizationFactory
    from tests.poverty.factories import make_village

    inside, outside = _marker("内村"), _marker("外村")
    for parent, name in ((world.township_a, inside), (world.township_b, outside)):
        make_village(OrganizationFactory(name=name, parent=parent, category="village"))
    return inside, outside


def _officials(world, user):
    from tests.poverty.factories import make_cadre

    inside, outside = _marker("内"), _marker("外")
    for parent, branch, name in (
        (world.township_a, world.branch_a1, inside),
        (world.township_b, world.branch_b1, outside),
    ):
        official = make_cadre(parent, name=name)
        from tests.poverty.factories import make_household, make_pairing

        make_pairing(make_household(_village(branch)), official)
    return inside, outside


def _overdue(world, user):
    from poverty.models import Pairing

    names = []
    for outside in (False, True):
        household = _household(world, user, outside=outside, head=_marker("户"), overdue=True)
        official = Pairing.objects.get(household=household).official
        official.name = _marker("外" if outside else "内")
        official.save(update_fields=["name"])
        names.append(official.name)
    return tuple(names)


def _in_exit(world, user):
    from poverty import services

    names = []
    for outside in (False, True):
        head = _marker("外" if outside else "内")
        household = _household(world, user, outside=outside, head=head)
        services.guarantees_record(
            household=household,
            **dict.fromkeys(
                ["food_met", "clothing_met", "education_met", "medical_met", "housing_met"], True
            ),
            water_met=True,
        )
        services.income_record(household=household, amounts={"wages": Decimal("15000")})
        services.household_exit_advance(household=household)
        names.append(head)
    return tuple(names)


def _complaints(world, user):
    from tests.supervision.access import _complaint

    inside = _complaint(world, world.township_a).tracking_code
    outside = _complaint(world, world.township_b).tracking_code
    return inside, outside


def _organizations(world, user):
    from tests.factories import OrganizationFactory

    # Below the user's own organisation (a township's branch, a branch's Party group), and
    # below township B.
    inside, outside = _marker("内"), _marker("外")
    kind = "group" if user.organization.kind == "branch" else "branch"
    for parent, name in ((user.organization, inside), (world.township_b, outside)):
        OrganizationFactory(name=name, parent=parent, kind=kind, category="village")
    return inside, outside


def _notifications(world, user):
    from tests.reminders.factories import delivered_notification

    inside, outside = _marker("内"), _marker("外")
    delivered_notification(user, title=inside)
    delivered_notification(world.user("admin"), title=outside)
    return inside, outside


def _import_jobs(world, user):
    from portal.exchange.importing.models import ImportJob
    from tests.imports.access import _outsider

    inside, outside = _marker("内") + ".xlsx", _marker("外") + ".xlsx"
    for who, org, filename in ((user, user.organization, inside), (None, world.branch_b1, outside)):
        ImportJob.objects.create(
            kind="members",
            user=who or _outsider(world),
            organization=org,
            filename=filename,
            data=b"",
            status=ImportJob.Status.READY,
        )
    return inside, outside


# --- The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListCase:
    url: str
    subject: str  # a world.user() key
    seed: Callable[..., tuple[str, str]]
    query: dict = field(default_factory=dict)
    # For an export: how to turn the response into text (default: the page's HTML).
    read: Callable | None = None


CASES = [
    # cadres: a township's organisation office, its leadership, its supervision office
    ListCase("cadres:cadre-list", "staff@township", _cadres),
    ListCase("cadres:cadre-list", "leader@township", _cadres),
    ListCase("cadres:cadre-list", "supervisor@township", _cadres),
    ListCase("cadres:reserveentry-list", "staff@township", _reserve),
    ListCase("cadres:appointment-list", "staff@township", _appointments),
    ListCase("cadres:appointment-list", "leader@township", _appointments),
    # grassroots: the branch secretary, a township's office
    ListCase("grassroots:member-list", "secretary", _members),
    ListCase("grassroots:member-list", "staff@township", _members),
    ListCase("grassroots:member-list", "leader@township", _members),
    ListCase("grassroots:meeting-list", "secretary", _meetings),
    ListCase("grassroots:meeting-list", "staff@township", _meetings),
    # poverty: the helper (own pairings only), a township's office
    ListCase("poverty:household-list", "helper", _households),
    ListCase("poverty:household-list", "staff@township", _households),
    ListCase("poverty:household-list", "leader@township", _households),
    ListCase("poverty:village-list", "staff@township", _villages),
    ListCase("poverty:official-list", "staff@township", _officials),
    ListCase("poverty:pairing-overdue", "staff@township", _overdue),
    ListCase("poverty:exit-list", "staff@township", _in_exit),
    # supervision: a township's office handles its own matters only
    ListCase("supervision:complaint-list", "supervisor@township", _complaints),
    # exports of these lists: the file holds the rows of the list, inside only
    ListCase("poverty:household-export", "helper", _households),
    ListCase("poverty:household-export", "staff@township", _households),
    ListCase("poverty:member-export", "helper", _households),
    ListCase("poverty:member-export", "staff@township", _households),
    ListCase("poverty:pairing-export", "helper", _households),
    ListCase("poverty:pairing-export", "leader@township", _households),
    ListCase("poverty:household-register", "staff@township", _households),
    ListCase("poverty:household-register", "helper", _households),
    ListCase("poverty:village-export", "staff@township", _villages),
    ListCase("poverty:official-export", "staff@township", _officials),
    ListCase("poverty:pairing-overdue-export", "staff@township", _overdue),
    ListCase("poverty:exit-export", "staff@township", _in_exit),
    ListCase("supervision:complaint-export", "supervisor@township", _complaints),
    ListCase("supervision:complaint-register", "supervisor@township", _complaints),
    ListCase("grassroots:organization-export", "staff@township", _organizations),
    ListCase("grassroots:organization-export", "secretary", _organizations),
    # imports: the jobs uploaded in the user's subtree
    ListCase("imports:index", "secretary", _import_jobs),
    ListCase("imports:index", "staff@township", _import_jobs),
    # reminders: one's own notifications only, whoever sees the whole county
    ListCase("reminders:notification-list", "staff", _notifications),
    ListCase("reminders:notification-list", "secretary", _notifications),
]
# Lists without rows of records to scope, or whose figures are checked below or elsewhere: the
# reserve report (test_the_reserve_report_counts_the_subtree_only), the dashboards
# (index pages count, tests/<app>/test_views), My deadlines (tests/reminders/test_views:
# deadlines are per responsible user).
NOT_LISTS = {
    "cadres:index",
    "grassroots:index",
    "poverty:index",
    "supervision:index",
    "supervision:complaint-statistics",
    "reminders:my-deadlines",
    "cadres:reserveentry-report",
    "home",
}
# Exports are files, not pages: their inside/outside rows are asserted on the file's cells in
# tests/exchange (test_a_secretary_exports_only_the_own_branch,
# test_a_township_user_exports_only_the_township, test_cadre_export_follows_the_list_and_its_filters,
# test_appointment_export_follows_the_stage_filter, test_post_history_export_of_the_listed_cadres),
# and "my exports" lists the user's own jobs only
# (test_only_the_user_who_asked_reaches_the_job_and_its_file).
NOT_LISTS |= {
    "cadres:appointment-export",
    "cadres:cadre-export",
    "cadres:postrecord-export",
    "cadres:reserveentry-export",
    "cadres:reserveentry-report-export",
    "exchange:export-list",
    "grassroots:meeting-export",
    "grassroots:member-export",
}


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):  # an .xlsx export: its shared strings and sheets
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    return content.decode("utf-8", errors="replace")


def test_every_list_has_a_row_in_the_table():
    from tests.portal.test_access_matrix import ENTRIES, url_patterns

    methods = {entry.name: entry.method for entry in ENTRIES}
    lists = {
        name
        for name, _route, pattern in url_patterns()
        if name
        and not pattern.pattern.regex.groups
        and methods.get(name) == "get"
        and ("list" in name or "report" in name or "overdue" in name or "export" in name)
    }
    missing = lists - {case.url for case in CASES} - NOT_LISTS
    assert not missing, (
        f"Lists without an inside/outside row in tests/portal/test_list_scope.py CASES: "
        f"{sorted(missing)} (or name them in NOT_LISTS with the reason)"
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.url}-{c.subject}")
def test_a_list_shows_the_rows_inside_and_none_outside(client, world, case):
    user = world.user(case.subject)
    inside, outside = case.seed(world, user)
    client.force_login(user)

    response = client.get(reverse(case.url), case.query)

    assert response.status_code == 200
    text = (case.read or _text)(response)
    assert inside in text, f"{case.url} as {case.subject} does not show its own row {inside}"
    assert outside not in text, f"{case.url} as {case.subject} shows {outside} from outside"


@pytest.mark.parametrize(("subject", "counted"), [("staff@township", 1), ("staff", 3)])
def test_the_reserve_report_counts_the_subtree_only(client, world, subject, counted):
    import re

    from cadres import services
    from tests.cadres.factories import make_cadre

    for org in (world.township_a, world.township_b, world.township_b):
        services.reserve_add(
            cadre=make_cadre(org), level="section_chief", added_on=timezone.localdate()
        )
    client.force_login(world.user(subject))

    page = client.get(reverse("cadres:reserveentry-report")).content.decode()

    reserves = re.findall(r"<td>[^<]*</td><td>\d+</td>\s*<td[^>]*>(\d+)", page)
    assert reserves, "the report shows no rows"
    assert sum(int(n) for n in reserves) == counted
