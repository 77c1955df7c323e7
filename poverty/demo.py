"""Demo data for the poverty app: villages with their five ones, ~2,000 registered
households with members, income and measures, pairings spread over the cadres (a few
officials left under quota), a year of visits with realistic gaps (so some are overdue),
households in the exit pipeline, exited and at-risk households.

Deterministic (only `rng`), fictitious, idempotent, and fast: bulk_create in batches.
Runs after the cadres demo, which links the demo `helper` user to a cadre record.
"""

import datetime
import itertools
import random
from decimal import Decimal

import pgtrigger
from django.db import transaction
from django.utils import timezone

from cadres.models import Cadre, PostLevel
from portal.demo import SURNAMES, DemoCounty, IdNumbers, given_name, person_name
from portal.models import Organization
from poverty.models import (
    Cause,
    ExitStage,
    Household,
    HouseholdKind,
    HouseholdStatus,
    Income,
    IncomeSource,
    Measure,
    MeasureKind,
    Member,
    Pairing,
    PairingQuota,
    PovertyRules,
    Village,
    VillageStatus,
    Visit,
)
from poverty.models.households import Relation

BATCH = 2000
FINDINGS = [
    "家中生活稳定，粮食储备充足。",
    "户主慢性病需长期服药，已落实医保报销。",
    "子女在校就读，享受教育资助。",
    "住房安全，饮水正常。",
    "家庭成员外出务工收入稳定。",
    "养殖的生猪长势良好，计划年底出栏。",
    "老人身体欠佳，已联系村医定期上门。",
]
ACTIONS = [
    "宣讲帮扶政策，核实收入情况。",
    "协助申请产业补贴。",
    "联系就业岗位信息。",
    "帮助办理医疗救助手续。",
    "",
]


def load(*, county: DemoCounty, rng: random.Random, scale: float = 1.0) -> None:
    if Village.objects.exists():
        return
    # The demo's ~40,000 inserts skip the audit's per-row insert triggers (their history
    # would say only "created by seed_demo"); later changes are audited as usual.
    inserts = [
        f"poverty.{model}:insert_insert"
        for model in ("Village", "Household", "Member", "Income", "Measure", "Pairing", "Visit")
    ]
    with transaction.atomic(), pgtrigger.ignore(*inserts):
        _load(county, rng, scale)


def _load(county: DemoCounty, rng: random.Random, scale: float) -> None:
    today = timezone.localdate()
    PovertyRules.current()
    villages = _villages(county, rng)
    cadres = list(Cadre.objects.with_current_post().order_by("pk"))
    _five_ones(villages, cadres, county, rng)
    households = _households(villages, rng, scale, today)
    _members_and_income(households, rng)
    _pairings_and_visits(households, cadres, county, rng, today)


def _villages(county, rng):
    organizations = county.village_branches.filter(category=Organization.Category.VILLAGE)
    villages = []
    for org in organizations.order_by("path"):
        status = rng.choices(
            [VillageStatus.POOR, VillageStatus.EXITED, VillageStatus.NOT_POOR], [55, 30, 15]
        )[0]
        villages.append(
            Village(organization=org, name=org.name.removesuffix("党支部"), status=status)
        )
    return Village.objects.bulk_create(villages, batch_size=BATCH)


def _five_ones(villages, cadres, county, rng):
    if not cadres:
        return
    leaders = [
        c for c in cadres if c.current_level in (PostLevel.COUNTY_CHIEF, PostLevel.COUNTY_DEPUTY)
    ]
    leaders = leaders or cadres
    units = list(Organization.objects.filter(parent=county.organs_committee))
    team_rows = []
    through = Village.work_team.through
    for village in villages:
        if village.status == VillageStatus.NOT_POOR:
            continue
        missing = (
            rng.choice(["leader", "unit", "secretary", "team", "technician"])
            if rng.random() < 0.18
            else ""
        )
        if missing != "leader":
            village.responsible_leader = rng.choice(leaders)
        if missing != "unit" and units:
            village.assisting_unit = rng.choice(units)
        if missing != "secretary":
            village.first_secretary = rng.choice(cadres)
        if missing != "technician":
            village.technician_name = person_name(rng)
            village.technician_phone = f"139{rng.randrange(10**8):08d}"
        if missing != "team":
            for member in rng.sample(cadres, min(len(cadres), rng.choice((2, 3, 3, 4)))):
                team_rows.append(through(village_id=village.pk, cadre_id=member.pk))
    Village.objects.bulk_update(
        villages,
        [
            "responsible_leader",
            "assisting_unit",
            "first_secretary",
            "technician_name",
            "technician_phone",
        ],
        batch_size=BATCH,
    )
    through.objects.bulk_create(team_rows, batch_size=BATCH, ignore_conflicts=True)


def _households(villages, rng, scale, today):
    targets = [v for v in villages if v.status != VillageStatus.NOT_POOR]
    total = round(2000 * scale)
    weights = [3 if v.status == VillageStatus.POOR else 1 for v in targets]
    # Cumulative once: choices(weights=...) re-adds them on every call (villages × households).
    cumulative = list(itertools.accumulate(weights))
    causes = list(Cause.values)
    households = []
    for n in range(total):
        village = rng.choices(targets, cum_weights=cumulative)[0]
        status = rng.choices(
            [HouseholdStatus.POOR, HouseholdStatus.EXITED, HouseholdStatus.AT_RISK], [68, 24, 8]
        )[0]
        main = rng.choices(causes, [22, 12, 10, 4, 5, 3, 12, 10, 10, 4, 5, 3])[0]
        extra = rng.sample([c for c in causes if c != main], rng.choice((0, 0, 1, 1, 2)))
        household = Household(
            number=f"5326{n + 1:07d}",
            village=village,
            address=f"{village.name}{rng.randrange(1, 12)}组{rng.randrange(1, 60)}号",
            kind=rng.choices(HouseholdKind.values, [80, 15, 5])[0],
            main_cause=main,
            extra_causes=extra,
            housing=rng.choice(["brick_concrete", "brick_wood", "earth_wood"]),
            water=rng.choices(["piped", "well", "spring", "delivered"], [70, 15, 12, 3])[0],
            electricity=rng.choices(["grid", "off_grid"], [97, 3])[0],
            status=status,
        )
        met = status != HouseholdStatus.POOR or rng.random() < 0.3
        for field in (
            "food_met",
            "clothing_met",
            "education_met",
            "medical_met",
            "housing_met",
            "water_met",
        ):
            setattr(household, field, met or rng.random() < 0.7)
        if status != HouseholdStatus.POOR:
            household.exited_on = today - datetime.timedelta(days=rng.randrange(200, 1400))
        if status == HouseholdStatus.AT_RISK:
            household.at_risk_since = today - datetime.timedelta(days=rng.randrange(10, 180))
        households.append(household)
    return Household.objects.bulk_create(households, batch_size=BATCH)


def _members_and_income(households, rng):
    ids = IdNumbers(area_code="532627", taken=Member.objects.values_list("id_number", flat=True))
    members, incomes, measures = [], [], []
    today = timezone.localdate()
    for household in households:
        size = rng.choices([1, 2, 3, 4, 5, 6], [8, 18, 26, 26, 15, 7])[0]
        head_birth = datetime.date(
            rng.randrange(1945, 1990), rng.randrange(1, 13), rng.randrange(1, 29)
        )
        relations = [Relation.HEAD] + [
            rng.choice(
                [
                    Relation.SPOUSE,
                    Relation.CHILD,
                    Relation.CHILD,
                    Relation.PARENT,
                    Relation.GRANDCHILD,
                ]
            )
            for _ in range(size - 1)
        ]
        surname = rng.choice(SURNAMES)
        for i, relation in enumerate(relations):
            if relation == Relation.HEAD:
                birth = head_birth
            elif relation in (Relation.CHILD,):
                birth = head_birth.replace(year=min(head_birth.year + rng.randrange(20, 32), 2018))
            elif relation == Relation.GRANDCHILD:
                birth = head_birth.replace(year=min(head_birth.year + rng.randrange(42, 55), 2022))
            elif relation == Relation.PARENT:
                birth = head_birth.replace(year=max(head_birth.year - rng.randrange(22, 30), 1925))
            else:
                birth = head_birth.replace(year=head_birth.year + rng.randrange(-3, 4))
            male = rng.random() < 0.5 if i else rng.random() < 0.8
            age = today.year - birth.year
            members.append(
                Member(
                    household=household,
                    name=surname + given_name(rng, "male" if male else "female"),
                    id_number=ids.new(birth, "male" if male else "female"),
                    relation=relation,
                    education=rng.choice(["primary", "junior", "junior", "senior"])
                    if age > 12
                    else "",
                    health=rng.choices(
                        ["healthy", "chronic", "serious", "disabled"], [70, 18, 6, 6]
                    )[0],
                    labour="none"
                    if age < 16 or age > 70
                    else rng.choices(["normal", "skilled", "weak", "lost"], [60, 10, 22, 8])[0],
                    migrant_worker=18 <= age <= 55 and rng.random() < 0.35,
                    medical_insurance=rng.random() < 0.98,
                    pension_insurance=age >= 16 and rng.random() < 0.6,
                )
            )
        # Income per head: households in poverty mostly below the line, exited ones above.
        per_head = (
            rng.randrange(2400, 4300)
            if household.status == HouseholdStatus.POOR
            else rng.randrange(4600, 11000)
        )
        if household.status == HouseholdStatus.POOR and all(
            getattr(household, f)
            for f in (
                "food_met",
                "clothing_met",
                "education_met",
                "medical_met",
                "housing_met",
                "water_met",
            )
        ):
            per_head = rng.randrange(4200, 6500)
        total = per_head * size
        shares = {
            IncomeSource.WAGES: rng.uniform(0.3, 0.6),
            IncomeSource.PRODUCTION: rng.uniform(0.1, 0.4),
            IncomeSource.PROPERTY: rng.uniform(0, 0.05),
            IncomeSource.TRANSFER: rng.uniform(0.1, 0.3),
        }
        weight = sum(shares.values())
        for source, share in shares.items():
            incomes.append(
                Income(
                    household=household,
                    source=source,
                    amount=Decimal(round(total * share / weight, 2)).quantize(Decimal("0.01")),
                )
            )
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            measures.append(
                Measure(
                    household=household,
                    kind=rng.choice(MeasureKind.values),
                    amount=Decimal(rng.choice((500, 800, 1000, 2000, 3000, 5000, 20000))),
                    date=today - datetime.timedelta(days=rng.randrange(10, 700)),
                    note=rng.choice(
                        [
                            "产业奖补",
                            "公益性岗位",
                            "雨露计划",
                            "健康扶贫",
                            "危房改造",
                            "小额信贷",
                            "",
                        ]
                    ),
                )
            )
    Member.objects.bulk_create(members, batch_size=BATCH)
    Income.objects.bulk_create(incomes, batch_size=BATCH)
    Measure.objects.bulk_create(measures, batch_size=BATCH)
    _exit_pipeline(households, rng, today)


def _exit_pipeline(households, rng, today):
    """Some households in poverty that meet every guarantee go through the exit procedure."""
    ready = [
        h
        for h in households
        if h.status == HouseholdStatus.POOR
        and all(
            getattr(h, f)
            for f in (
                "food_met",
                "clothing_met",
                "education_met",
                "medical_met",
                "housing_met",
                "water_met",
            )
        )
    ]
    notice_days = PovertyRules.current().exit_notice_days
    stages = [ExitStage.VILLAGE_REVIEW, ExitStage.CHECKS, ExitStage.AGREEMENT, ExitStage.NOTICE]
    chosen = rng.sample(ready, min(len(ready), max(8, len(households) // 40)))
    for household in chosen:
        household.exit_stage = rng.choice(stages)
        if household.exit_stage == ExitStage.NOTICE:
            household.exit_notice_ends_on = today + datetime.timedelta(
                days=rng.randrange(-1, notice_days + 1)
            )
    Household.objects.bulk_update(chosen, ["exit_stage", "exit_notice_ends_on"], batch_size=BATCH)


def _pairings_and_visits(households, cadres, county, rng, today):
    if not cadres:
        return
    quotas = dict(PairingQuota.objects.values_list("level", "min_households"))
    helper_cadre = Cadre.objects.filter(user__username="helper").first()
    helper_township = getattr(getattr(helper_cadre, "user", None), "organization", None)
    slots = []
    for cadre in cadres:
        if helper_cadre is not None and cadre.pk == helper_cadre.pk:
            continue
        quota = quotas.get(cadre.current_level)
        if quota is not None:
            # Most officials meet their quota; about one in eight is left under it.
            count = quota if rng.random() > 0.12 else rng.randrange(0, quota)
            slots.extend([cadre] * count)
    pool = [
        c
        for c in cadres
        if c.current_level not in quotas and (helper_cadre is None or c.pk != helper_cadre.pk)
    ] or cadres
    order = list(households)
    rng.shuffle(order)
    helper_households = []
    if helper_cadre is not None and helper_township is not None:
        near = [
            h
            for h in order
            if h.village.organization.path.startswith(helper_township.path)
            and h.status != HouseholdStatus.EXITED
        ]
        helper_households = near[:6] or order[:6]
    helper_ids = {h.pk for h in helper_households}
    pairings = []
    for household in helper_households:
        pairings.append(
            Pairing(
                household=household,
                official=helper_cadre,
                start=today - datetime.timedelta(days=rng.randrange(200, 500)),
            )
        )
    rest = [h for h in order if h.pk not in helper_ids]
    for index, household in enumerate(rest):
        official = slots[index] if index < len(slots) else rng.choice(pool)
        start = today - datetime.timedelta(days=rng.randrange(30, 900))
        pairings.append(Pairing(household=household, official=official, start=start))
    # A few households were reassigned: the old pairing stays as history.
    history = []
    for pairing in rng.sample(pairings, len(pairings) // 25):
        earlier = pairing.start - datetime.timedelta(days=rng.randrange(120, 500))
        history.append(
            Pairing(
                household=pairing.household,
                official=rng.choice(pool),
                start=earlier,
                end=pairing.start,
            )
        )
    pairings = Pairing.objects.bulk_create(pairings + history, batch_size=BATCH)
    visits = []
    helper_overdue = 0
    for pairing in pairings:
        first = max(pairing.start, today - datetime.timedelta(days=365))
        last = pairing.end or today
        if pairing.end is None and pairing.household.status == HouseholdStatus.EXITED:
            stop = last - datetime.timedelta(days=rng.randrange(20, 120))
        elif pairing.end is None and pairing.household_id in helper_ids:
            # The helper's households: two are overdue, the rest visited recently.
            overdue = helper_overdue < 2
            helper_overdue += overdue
            stop = last - datetime.timedelta(
                days=rng.randrange(40, 70) if overdue else rng.randrange(2, 20)
            )
        elif pairing.end is None and rng.random() < 0.14:
            stop = last - datetime.timedelta(days=rng.randrange(35, 150))  # fell behind
        else:
            stop = last - datetime.timedelta(days=rng.randrange(0, 25))
        day = first + datetime.timedelta(days=rng.randrange(3, 25))
        while day <= stop:
            visits.append(
                Visit(
                    pairing=pairing,
                    date=day,
                    kind="home" if rng.random() < 0.75 else "phone",
                    findings=rng.choice(FINDINGS),
                    actions=rng.choice(ACTIONS),
                    logged_by_id=pairing.official.user_id,
                )
            )
            day += datetime.timedelta(days=rng.randrange(18, 31))
        if (
            pairing.end is None
            and pairing.household_id in helper_ids
            and visits
            and visits[-1].pairing is pairing
        ):
            continue
    Visit.objects.bulk_create(visits, batch_size=BATCH)
