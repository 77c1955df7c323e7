"""No export writes a formula (issue #10): text that a spreadsheet would evaluate — starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, DDE payloads such as
``=cmd|'/C calc'!A`` — is planted in the text fields users type (names, places, topics,
titles, notes, summaries, organisation names...), every registered export and the cadre's
任免审批表 (`/cadres/<id>/form.xlsx`) are downloaded as a user would, and the files are opened:

* .xlsx in openpyxl: no cell is a formula, every formula-like text is a string cell with
  Excel's quote prefix (so editing it keeps it text), and the planted text reads back as it
  was stored (a carriage return comes back as a line feed: XML normalises line ends in the
  file, and Excel's own line break is a line feed);
* CSV as Excel reads it: no field starts with a formula character (the writer puts an
  apostrophe before such text, which Excel hides), and the planted text follows it intact.

The same cases check ID numbers: masked in every export, in full only for a user who may
reveal them and asks (a POST), and each such export recorded once (RevealLog) with its count.

The table below has one case per registered export: a new export without a case fails
`test_every_export_has_a_case`.
"""

import csv
import datetime
import io
import itertools
import re
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.exchange import services
from portal.exchange.cells import FORMULA_PREFIXES
from portal.exchange.registry import registry
from portal.masking import mask
from portal.models import ExportJob, RevealLog
from tests.exchange.helpers import content

pytestmark = pytest.mark.django_db

PREFIXES = ("=", "+", "-", "@", "\t=", "\r=")
BODIES = ("1+2", "cmd|'/C calc'!A", "SUM(1,2)", 'HYPERLINK("x")')
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def payload(n: int) -> str:
    """A short formula-like text (the narrowest planted field holds 20 characters), each one
    different so that it can be found in the file."""
    return f"{PREFIXES[n % len(PREFIXES)]}{BODIES[n % len(BODIES)]}#{n}"


@dataclass
class Planted:
    values: dict[str, str] = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    serial: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __call__(self, name: str) -> str:
        self.values[name] = payload(next(self.serial))
        return self.values[name]


@pytest.fixture
def planted(world):
    """One record of each kind the exports list, every typed text field a payload."""
    from cadres import services as cadres_services
    from grassroots import services as grassroots_services
    from poverty import services as poverty_services
    from tests.cadres.factories import make_cadre
    from tests.factories import OrganizationFactory, id_number_for
    from tests.grassroots.factories import PartyMemberFactory
    from tests.poverty.factories import make_pairing, make_village
    from tests.supervision.factories import ComplaintFactory

    p = Planted()
    branch = OrganizationFactory(
        name=p("branch"), parent=world.township_a, kind="branch", category="village"
    )
    p.objects["branch"] = branch
    p.objects["member"] = PartyMemberFactory(
        branch=branch, name=p("member"), ethnicity=p("ethnicity"), phone=p("phone")
    )
    grassroots_services.meeting_record(
        organization=branch,
        kind="theme_day",
        date=timezone.localdate() - datetime.timedelta(days=1),
        topic=p("topic"),
        place=p("place"),
        host=p("host"),
        speaker=p("speaker"),
    )

    cadre = make_cadre(
        branch,
        name=p("cadre"),
        post=None,
        native_place=p("native_place"),
        birthplace=p("birthplace"),
        health=p("health"),
        professional_title=p("professional_title"),
        speciality=p("speciality"),
        fulltime_degree=p("degree"),
        fulltime_school=p("school"),
    )
    cadres_services.post_record_add(
        cadre=cadre,
        unit=branch,
        post_title=p("post_title"),
        level="section_deputy",
        rank=p("rank"),
        start_date=datetime.date(2024, 1, 1),
        document_number=p("document_number"),
        today=datetime.date(2024, 1, 1),
    )
    cadres_services.resume_line_add(
        cadre=cadre, start=datetime.date(2000, 9, 1), end=None, text=p("resume")
    )
    cadres_services.family_member_add(
        cadre=cadre, relation="妻子", name=p("family"), employer_and_post=p("employer")
    )
    cadres_services.reserve_add(cadre=cadre, level="section_chief", note=p("reserve_note"))
    cadres_services.appointment_propose(
        cadre=cadre,
        proposed_unit=branch,
        proposed_title=p("proposed_title"),
        proposed_level="section_chief",
        motion_on=datetime.date(2026, 8, 3),
        reason=p("reason"),
        with_probation=True,
        today=datetime.date(2026, 8, 3),
    )
    p.objects["cadre"] = cadre

    village = make_village(branch)
    household = poverty_services.household_register(
        village=village, number=p("household_number"), main_cause="illness", address=p("address")
    )
    p.objects["household_head"] = poverty_services.member_add(
        household=household, name=p("household_head"), id_number=id_number_for(), relation="head"
    )
    poverty_services.village_set_five_ones(
        village=village,
        status="poor",
        responsible_leader=cadre,
        assisting_unit=branch,
        first_secretary=cadre,
        work_team=[cadre],
        technician_name=p("technician"),
        technician_phone=p("technician_phone"),
    )
    make_pairing(household, cadre, start=timezone.localdate() - datetime.timedelta(days=200))
    poverty_services.guarantees_record(
        household=household,
        food_met=True,
        clothing_met=True,
        education_met=True,
        medical_met=True,
        housing_met=True,
        water_met=True,
    )
    from decimal import Decimal

    poverty_services.income_record(household=household, amounts={"wages": Decimal("15000")})
    poverty_services.household_exit_advance(household=household)

    from grassroots.decisions import services as decision_services

    decision_services.village_matter_propose(
        organization=branch,
        subject="other",
        topic=p("matter_topic"),
        proposed_on=datetime.date(2026, 3, 2),
        summary=p("matter_summary"),
        today=datetime.date(2026, 3, 2),
    )
    decision_services.major_matter_record(
        organization=world.township_a,
        category="decision",
        title=p("major_title"),
        raised_on=datetime.date(2026, 3, 2),
        today=datetime.date(2026, 3, 2),
    )

    ComplaintFactory(
        receiver=world.user("supervisor"),
        subject_cadre=cadre,
        summary=p("complaint_summary"),
        received_on=datetime.date(2025, 3, 3),
    )
    return p


# --- The table: one case per registered export ----------------------------------------------


@dataclass(frozen=True)
class Case:
    url: str
    planted: tuple[str, ...]  # the planted fields the file must show
    role: str = "staff"
    record: str = ""  # "branch", "township" or "cadre": the URL's <pk>
    params: tuple = ()
    method: str = "get"


MEMBER = ("member", "ethnicity", "phone", "branch")
CADRE = ("cadre", "native_place", "birthplace", "health", "professional_title", "speciality")
HOUSEHOLD = ("household_number", "household_head")
FORM = ("cadre", "native_place", "birthplace", "speciality", "resume", "family", "employer")

CASES = {
    # grassroots
    "members": Case("grassroots:member-export", MEMBER),
    "meetings": Case("grassroots:meeting-export", ("topic", "place", "host", "speaker", "branch")),
    "compliance": Case("grassroots:compliance-export", ("branch",), record="township"),
    "compliance-report": Case("grassroots:compliance-report", ("branch",), record="township"),
    "member-register": Case("grassroots:member-register", MEMBER, record="township"),
    "organizations": Case("grassroots:organization-export", ("branch",)),
    # counts by category (ethnic groups as 汉族 / 少数民族): nothing typed, checked all the same
    # (the 三重一大 title is planted too: its sheet is the second, which the CSV leaves out)
    "decisions": Case("grassroots:decision-export", ("matter_topic", "branch"), record="township"),
    "yearend": Case("grassroots:yearend-export", (), record="township"),
    # cadres
    "cadres": Case("cadres:cadre-export", (*CADRE, "degree", "school")),
    "posts": Case("cadres:postrecord-export", ("cadre", "post_title", "rank", "document_number")),
    "appointments": Case("cadres:appointment-export", ("cadre", "proposed_title", "branch")),
    "reserve": Case("cadres:reserveentry-export", ("cadre", "reserve_note", "branch")),
    # figures only: nothing typed reaches it, but it is checked for formulas all the same
    "reserve-report": Case("cadres:reserveentry-report-export", ()),
    "cadre-register": Case("cadres:cadre-register", ("cadre", "native_place", "branch")),
    "cadre-forms": Case("cadres:cadre-forms", FORM, record="cadre", method="post"),
    # poverty
    "households": Case("poverty:household-export", (*HOUSEHOLD, "address", "branch", "cadre")),
    "household-members": Case("poverty:member-export", HOUSEHOLD),
    "pairings": Case("poverty:pairing-export", (*HOUSEHOLD, "cadre", "branch")),
    "household-register": Case("poverty:household-register", (*HOUSEHOLD, "branch", "cadre")),
    "villages": Case(
        "poverty:village-export", ("branch", "cadre", "technician", "technician_phone")
    ),
    "officials": Case("poverty:official-export", ("cadre", "branch", "post_title")),
    "overdue-visits": Case("poverty:pairing-overdue-export", (*HOUSEHOLD, "cadre", "branch")),
    "exits": Case("poverty:exit-export", HOUSEHOLD),
    # supervision
    "complaints": Case(
        "supervision:complaint-export", ("complaint_summary", "cadre"), role="supervisor"
    ),
    "complaint-register": Case(
        "supervision:complaint-register", ("complaint_summary", "cadre"), role="supervisor"
    ),
}


def test_every_export_has_a_case():
    assert set(CASES) == set(registry()), (
        "An export without a formula-planting case in tests/exchange/test_no_formulas.py "
        f"(or a case for an export that no longer exists): {set(registry()) ^ set(CASES)}"
    )


# --- Reading the files ------------------------------------------------------------------------


def _xlsx_cells(raw: bytes) -> list:
    book = load_workbook(io.BytesIO(raw))  # not data_only: a formula would show as one
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _check_xlsx(raw: bytes, expected: list[str]) -> None:
    cells = _xlsx_cells(raw)
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            assert cell.data_type in ("s", "inlineStr"), cell.coordinate
            assert cell.quotePrefix, f"{cell.coordinate} {cell.value!r} lacks the quote prefix"
        assert not (isinstance(cell.value, str) and cell.value.startswith("'=")), (
            "the CSV's apostrophe leaked into the workbook"
        )
    for text in expected:
        in_file = text.replace("\r", "\n")  # see the module's docstring
        assert any(in_file in value for value in texts), f"{text!r} is not in the workbook"


def _check_csv(raw: bytes, expected: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    fields = [value for row in rows for value in row]
    # A negative number (days overdue) is a number to a spreadsheet, not a formula.
    evaluated = [
        value
        for value in fields
        if value.startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(value)
    ]
    assert not evaluated, f"fields a spreadsheet would evaluate: {evaluated}"
    for text in expected:
        assert any(text in value for value in fields), f"{text!r} is not in the CSV"


def _expected(planted: Planted, case: Case) -> list[str]:
    # As stored: the services trim the ends of some fields (a leading tab or carriage
    # return typed into a name is dropped before it is saved).
    return [planted.values[name].strip() for name in case.planted]


def _record(world, planted, case) -> list:
    return {
        "": [],
        "township": [world.township_a.pk],
        "branch": [planted.objects["branch"].pk],
        "cadre": [],
    }[case.record]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_planted_formulas_come_out_as_text(client_as, world, planted, kind):
    case = CASES[kind]
    export = registry()[kind]
    client = client_as(case.role)
    url, data = _request(world, planted, case)
    for fmt in export.formats:
        response = getattr(client, case.method)(url, {**data, "format": fmt})
        assert response.status_code == 200, (kind, fmt, response.status_code)
        raw = content(response)
        if fmt == "xlsx":
            _check_xlsx(raw, _expected(planted, case))
        else:
            _check_csv(raw, _expected(planted, case))


def test_the_cadre_s_appointment_form_writes_no_formula(client_as, world, planted):
    """`/cadres/<id>/form.xlsx`, the one the issue found writing `=...` as a live formula."""
    url = reverse("cadres:cadre-xlsx", args=[planted.objects["cadre"].pk])
    response = client_as("staff").get(url)
    assert response.status_code == 200
    _check_xlsx(content(response), _expected(planted, Case("", FORM)))


# --- ID numbers: masked unless revealed, every reveal recorded ----------------------------------


def _request(world, planted, case) -> tuple[str, dict]:
    data = dict(case.params)
    if case.record == "cadre":
        data["ids"] = [planted.objects["cadre"].pk]
    return reverse(case.url, args=_record(world, planted, case)), data


def _has_id_numbers(world, planted, kind) -> bool:
    """Whether the export's tables have a column of ID numbers (as the case's user sees it)."""
    case = CASES[kind]
    _url, params = _request(world, planted, case)
    kwargs = {"pk": world.township_a.pk} if case.record == "township" else {}
    query = services.export_query(user=world.user(case.role), params=params, kwargs=kwargs)
    tables = services.export_tables(registry()[kind], query)
    return any(column.sensitive for table in tables for column in getattr(table, "columns", ()))


def _cell_text(raw: bytes) -> str:
    return "\n".join(str(cell.value) for cell in _xlsx_cells(raw) if cell.value is not None)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_id_numbers_are_masked_unless_revealed_and_each_reveal_is_recorded(
    client_as, world, planted, kind
):
    case, export = CASES[kind], registry()[kind]
    with_numbers = _has_id_numbers(world, planted, kind)
    # An export with ID numbers says who may see them in full; one without offers no reveal.
    assert with_numbers == (export.may_reveal is not None)
    numbers = [planted.objects[name].id_number for name in ("member", "cadre", "household_head")]
    url, data = _request(world, planted, case)
    client = client_as(case.role)

    masked = _cell_text(content(getattr(client, case.method)(url, {**data, "format": "xlsx"})))
    assert not [number for number in numbers if number in masked]
    if not with_numbers:
        refused = client.post(url, {**data, "format": "xlsx", "full_ids": "on"})
        assert refused.status_code == 403
        assert not RevealLog.objects.exists()
        return
    assert [number for number in numbers if mask(number) in masked]

    # The county's leadership reads these lists but may not reveal: refused, nothing recorded.
    refused = client_as("leader").post(url, {**data, "format": "xlsx", "full_ids": "on"})
    assert refused.status_code == 403
    assert not RevealLog.objects.exists()

    response = client_as("staff").post(url, {**data, "format": "xlsx", "full_ids": "on"})
    full = _cell_text(content(response))
    assert [number for number in numbers if number in full]
    reveal = RevealLog.objects.get()
    job = ExportJob.objects.get(pk=reveal.object_id)
    assert (reveal.user, reveal.field, job.kind) == (world.user("staff"), "id_number", kind)
    assert reveal.count == job.rows_total > 0


def test_a_negative_number_stays_a_number_in_csv_and_text_like_it_does_not():
    from portal.exchange.cells import csv_text

    assert (csv_text(-3), csv_text(-1.5)) == ("-3", "-1.5")
    assert (csv_text("-3"), csv_text("=1+2"), csv_text("\t1")) == ("'-3", "'=1+2", "'\t1")
