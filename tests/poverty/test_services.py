"""Write-side rules: bad input gets a clear message and changes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from poverty import services
from poverty.models import ExitStage, Household, Income, Measure, Pairing, PovertyRules, Visit
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village

D = datetime.date


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def household(world):
    return make_household(make_village(parent=world.township_a))


@pytest.fixture
def pairing(world, household):
    return make_pairing(household, make_cadre(world.township_a), start=D(2026, 3, 1))


def ready_to_exit(household):
    services.guarantees_record(
        household=household,
        food_met=True,
        clothing_met=True,
        education_met=True,
        medical_met=True,
        housing_met=True,
        water_met=True,
    )
    services.income_record(household=household, amounts={"wages": Decimal("15000")})


class TestVisits:
    def test_a_visit_with_a_photo_is_logged(self, pairing, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        visit = services.visit_log(
            pairing=pairing,
            date=D(2026, 3, 1),
            kind="phone",
            findings="身体好转",
            photos=[png()],
            today=D(2026, 3, 2),
        )
        assert visit.photos.count() == 1

    @pytest.mark.parametrize(
        ("day", "message"),
        [(D(2026, 2, 28), "before the pairing started"), (D(2026, 3, 3), "in the future")],
    )
    def test_a_visit_before_the_start_or_in_the_future_is_refused(self, pairing, day, message):
        with pytest.raises(ValidationError, match=message):
            services.visit_log(
                pairing=pairing, date=day, kind="home", findings="x", today=D(2026, 3, 2)
            )
        assert not Visit.objects.exists()

    def test_a_file_that_is_not_an_image_is_refused(self, pairing):
        fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        with pytest.raises(ValidationError, match="not a picture"):
            services.visit_log(
                pairing=pairing,
                date=D(2026, 3, 2),
                kind="home",
                findings="x",
                photos=[fake],
                today=D(2026, 3, 2),
            )
        assert not Visit.objects.exists()

    def test_a_photo_over_10_mb_is_refused(self, pairing):
        big = SimpleUploadedFile("big.png", png().read() + b"\0" * (10 * 1024 * 1024))
        with pytest.raises(ValidationError, match="10 MB"):
            services.visit_log(
                pairing=pairing,
                date=D(2026, 3, 2),
                kind="home",
                findings="x",
                photos=[big],
                today=D(2026, 3, 2),
            )

    def test_an_ended_pairing_takes_no_visits(self, world, household, pairing):
        services.pairing_reassign(
            household=household,
            official=make_cadre(world.county),
            on=D(2026, 3, 5),
            today=D(2026, 3, 5),
        )
        pairing.refresh_from_db()
        with pytest.raises(ValidationError, match="ended"):
            services.visit_log(
                pairing=pairing, date=D(2026, 3, 5), kind="home", findings="x", today=D(2026, 3, 6)
            )


class TestPairings:
    def test_a_second_active_official_is_refused(self, world, household, pairing):
        with pytest.raises(ValidationError, match="already has a responsible official"):
            services.pairing_assign(
                household=household,
                official=make_cadre(world.county),
                start=D(2026, 3, 2),
                today=D(2026, 3, 2),
            )
        assert Pairing.objects.filter(household=household).count() == 1

    def test_reassignment_cannot_go_back_before_the_current_start(self, world, household, pairing):
        with pytest.raises(ValidationError, match="before the current one began"):
            services.pairing_reassign(
                household=household,
                official=make_cadre(world.county),
                on=D(2026, 2, 1),
                today=D(2026, 3, 2),
            )
        pairing.refresh_from_db()
        assert pairing.end is None


class TestMoney:
    def test_a_negative_income_is_refused_and_nothing_is_saved(self, household):
        with pytest.raises(ValidationError, match="cannot be negative"):
            services.income_record(
                household=household, amounts={"wages": Decimal("100"), "transfer": Decimal("-1")}
            )
        assert not Income.objects.exists()

    def test_a_negative_amount_is_refused(self, household):
        with pytest.raises(ValidationError, match="cannot be negative"):
            services.measure_record(
                household=household,
                kind="industry",
                amount=Decimal("-5"),
                date=D(2026, 3, 1),
                today=D(2026, 3, 2),
            )
        assert not Measure.objects.exists()


class TestExit:
    def advance(self, household, day, times=1):
        for _ in range(times):
            household = services.household_exit_advance(household=household, today=day)
        return household

    def test_the_whole_procedure_with_the_notice_boundary(self, household):
        ready_to_exit(household)
        household = self.advance(household, D(2026, 3, 1), times=3)
        assert household.exit_stage == ExitStage.AGREEMENT
        household = self.advance(household, D(2026, 3, 1))
        # a 7-day notice from 1 March ends on 8 March
        assert (household.exit_stage, household.exit_notice_ends_on) == (
            ExitStage.NOTICE,
            D(2026, 3, 8),
        )
        # the exit is allowed from the day after the notice's last day (DOMAIN.md), as for
        # the cadres' notice: not on 8 March itself
        with pytest.raises(ValidationError, match="runs until 2026-03-08"):
            self.advance(household, D(2026, 3, 8))
        household = self.advance(household, D(2026, 3, 9))
        assert (household.status, household.exited_on) == ("exited", D(2026, 3, 9))

    def test_the_notice_length_is_configurable(self, household):
        PovertyRules.objects.update_or_create(pk=1, defaults={"exit_notice_days": 10})
        ready_to_exit(household)
        household = self.advance(household, D(2026, 3, 1), times=4)
        assert household.exit_notice_ends_on == D(2026, 3, 11)

    def test_a_guarantee_unmet_blocks_the_exit_and_says_which(self, household):
        ready_to_exit(household)
        services.guarantees_record(household=household, housing_met=False)
        with pytest.raises(ValidationError, match="Safe housing"):
            self.advance(household, D(2026, 3, 1))
        household.refresh_from_db()
        assert household.exit_stage == ExitStage.NONE

    def test_income_at_the_line_is_not_above_it(self, household):
        ready_to_exit(household)
        # 3 members × 4,000 = exactly the line
        services.income_record(household=household, amounts={"wages": Decimal("12000")})
        with pytest.raises(ValidationError, match="not above the poverty line"):
            self.advance(household, D(2026, 3, 1))
        services.income_record(household=household, amounts={"wages": Decimal("12003")})
        assert self.advance(household, D(2026, 3, 1)).exit_stage == ExitStage.VILLAGE_REVIEW

    def test_a_guarantee_lost_during_the_notice_blocks_the_final_step(self, household):
        ready_to_exit(household)
        household = self.advance(household, D(2026, 3, 1), times=4)
        services.guarantees_record(household=household, medical_met=False)
        with pytest.raises(ValidationError, match="Basic medical care"):
            self.advance(household, D(2026, 3, 9))
        assert Household.objects.get(pk=household.pk).status == "poor"

    def test_only_exited_households_are_flagged_at_risk(self, household):
        with pytest.raises(ValidationError, match="Only an exited household"):
            services.household_flag_at_risk(household=household, today=D(2026, 3, 1))
        ready_to_exit(household)
        household = self.advance(household, D(2026, 3, 1), times=4)
        household = self.advance(household, D(2026, 3, 9))
        with pytest.raises(ValidationError, match="Only a household in poverty"):
            self.advance(household, D(2026, 3, 10))
        household = services.household_flag_at_risk(household=household, today=D(2026, 4, 1))
        assert (household.status, household.at_risk_since) == ("at_risk", D(2026, 4, 1))

    def test_clearing_the_risk_flag_returns_the_household_to_exited(self, household):
        with pytest.raises(ValidationError, match="not flagged as at risk"):
            services.household_clear_risk(household=household)
        ready_to_exit(household)
        household = self.advance(household, D(2026, 3, 1), times=4)
        # the exit, from the day after the notice's last day (8 March)
        household = self.advance(household, D(2026, 3, 9))
        household = services.household_flag_at_risk(household=household, today=D(2026, 4, 1))

        services.household_clear_risk(household=household)

        household = Household.objects.get(pk=household.pk)
        assert (household.status, household.at_risk_since) == ("exited", None)
        with pytest.raises(ValidationError, match="not flagged as at risk"):
            services.household_clear_risk(household=household)

    def test_withdrawing_clears_the_notice(self, household):
        ready_to_exit(household)
        household = self.advance(household, D(2026, 3, 1), times=4)
        household = services.household_exit_withdraw(household=household)
        assert (household.exit_stage, household.exit_notice_ends_on) == (ExitStage.NONE, None)


class TestHouseholds:
    def test_a_main_cause_repeated_among_the_others_is_refused(self, world):
        with pytest.raises(ValidationError, match="differ from the main cause"):
            services.household_register(
                village=make_village(parent=world.township_a),
                number="X1",
                main_cause="illness",
                extra_causes=["illness"],
            )

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["illness"], "differ from the main cause"),
            (["disability", "disability"], "differ from the main cause"),
            (["disability", "schooling", "labour"], "at most two"),
        ],
    )
    def test_an_update_keeps_the_cause_rules_of_registration(self, household, extra, message):
        with pytest.raises(ValidationError, match=message):
            services.household_update(household=household, extra_causes=extra)
        assert Household.objects.get(pk=household.pk).extra_causes in ([], None)

    def test_an_update_changes_the_causes_and_address(self, household):
        services.household_update(
            household=household, main_cause="disability", extra_causes=["illness"], address="二组"
        )
        household = Household.objects.get(pk=household.pk)
        assert (household.main_cause, household.extra_causes, household.address) == (
            "disability",
            ["illness"],
            "二组",
        )

    def test_a_member_with_a_wrong_id_number_is_refused(self, household):
        with pytest.raises(ValidationError, match="check digit"):
            services.member_add(
                household=household, name="李四", id_number="530102197005040010", relation="spouse"
            )
