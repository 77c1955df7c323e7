import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from portal import services, workdays
from portal.idnumbers import check_agrees, check_char, parse_id_number
from portal.masking import mask
from portal.models import CalendarOverride, Organization
from portal.periods import Frequency, Period

pytestmark = pytest.mark.django_db


def make_id(prefix17: str) -> str:
    return prefix17 + check_char(prefix17)


class TestTree:
    def test_subtree_is_the_organisation_and_everything_under_it(self, world):
        names = set(
            Organization.objects.subtree_of(world.township_a).values_list("name", flat=True)
        )
        assert names == {"甲镇党委", "甲一村党支部", "甲二社区党支部"}

    def test_subtree_is_one_query(self, world, django_assert_num_queries):
        with django_assert_num_queries(1):
            list(Organization.objects.subtree_of(world.county))

    def test_moving_a_branch_moves_its_whole_subtree(self, world):
        group = services.organization_create(
            name="第一党小组", kind=Organization.Kind.PARTY_GROUP, parent=world.branch_a1
        )
        services.organization_move(organization=world.branch_a1, new_parent=world.township_b)
        group.refresh_from_db()
        assert group.is_within(world.township_b)
        assert not group.is_within(world.township_a)
        assert [o.name for o in group.ancestors()] == ["测试县委", "乙乡党委", "甲一村党支部"]

    def test_cannot_move_under_own_subtree(self, world):
        with translation.override("en"), pytest.raises(ValidationError, match="under itself"):
            services.organization_move(organization=world.township_a, new_parent=world.branch_a1)
        world.branch_a1.refresh_from_db()
        assert world.branch_a1.is_within(world.township_a)

    def test_scoping_by_subtree(self, world):
        secretary = world.user("secretary")
        assert list(Organization.objects.visible_to(secretary)) == [world.branch_a1]
        assert Organization.objects.visible_to(world.user("staff")).count() == 6


class TestIdNumbers:
    def test_valid_number_gives_birth_date_and_gender(self):
        facts = parse_id_number(make_id("11010519491231002"))
        assert facts.birth_date == datetime.date(1949, 12, 31)
        assert facts.gender == "female"

    @pytest.mark.parametrize(
        ("value", "code"),
        [
            ("123", "id_format"),
            ("11010519491231002Y", "id_format"),
            ("110105194913310021", "id_birth_date"),
        ],
    )
    def test_malformed_numbers_are_refused(self, value, code):
        with pytest.raises(ValidationError) as error:
            parse_id_number(value)
        assert error.value.code == code

    def test_wrong_check_digit_is_refused_with_a_clear_message(self):
        good = make_id("11010519800101001")
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        with pytest.raises(ValidationError, match="校验位"):
            parse_id_number(bad)

    def test_birth_date_and_gender_must_agree(self):
        number = make_id("11010519800101001")  # odd sequence: male
        check_agrees(number, birth_date=datetime.date(1980, 1, 1), gender="male")
        with pytest.raises(ValidationError) as info:
            check_agrees(number, birth_date=datetime.date(1980, 1, 2), gender="female")
        assert set(info.value.message_dict) == {"birth_date", "gender"}

    def test_mask_keeps_the_last_four(self):
        assert mask("110105194912310025") == "**************0025"


class TestWorkdays:
    def test_national_day_holiday_and_adjusted_weekend(self):
        # 2026-09-30 (Wed) + 1 working day: Oct 1-7 are holidays, so the 8th.
        assert workdays.add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(
            2026, 10, 8
        )
        # Sunday 2026-09-20 was made a working day for the Mid-Autumn / National Day break.
        assert workdays.is_workday(datetime.date(2026, 9, 20))
        assert not workdays.is_workday(datetime.date(2026, 10, 3))

    def test_override_for_a_year_the_package_does_not_know(self):
        day = datetime.date(2027, 1, 1)  # a Friday
        assert workdays.is_workday(day)  # weekday fallback
        CalendarOverride.objects.create(date=day, is_workday=False, note="元旦")
        assert not workdays.is_workday(day)
        assert workdays.add_working_days(datetime.date(2026, 12, 31), 1) == datetime.date(
            2027, 1, 4
        )

    def test_working_days_between(self):
        assert (
            workdays.working_days_between(datetime.date(2026, 9, 28), datetime.date(2026, 10, 9))
            == 4
        )


class TestPeriods:
    def test_quarter_and_leap_february(self):
        q = Period.containing(Frequency.QUARTER, datetime.date(2028, 2, 29))
        assert q.bounds() == (datetime.date(2028, 1, 1), datetime.date(2028, 3, 31))
        m = Period.containing(Frequency.MONTH, datetime.date(2028, 2, 10))
        assert m.end == datetime.date(2028, 2, 29)
        assert q.previous().bounds() == (datetime.date(2027, 10, 1), datetime.date(2027, 12, 31))
        assert Period.containing(Frequency.HALF_YEAR, datetime.date(2026, 7, 1)).label == "2026 H2"


class TestPages:
    def test_healthz_reports_database_and_redis(self, client):
        response = client.get(reverse("healthz"))
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}

    def test_login_page_is_chinese_by_default(self, client):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        assert "登录" in response.content.decode()

    def test_navigation_follows_the_role(self, client_as):
        page = client_as("secretary").get(reverse("home")).content.decode()
        assert reverse("grassroots:index") in page
        assert reverse("cadres:index") not in page


def test_uploads_have_no_public_url_even_in_debug(settings):
    """Photos and scans are served only through scoped views: /media/ never resolves."""
    import importlib

    from django.urls import Resolver404, clear_url_caches, resolve

    import portal.urls

    settings.DEBUG = True
    importlib.reload(portal.urls)
    clear_url_caches()
    try:
        with pytest.raises(Resolver404):
            resolve("/media/cadres/photo.png")
    finally:
        settings.DEBUG = False
        importlib.reload(portal.urls)
        clear_url_caches()


class TestScopeOfTheRoot:
    def test_the_roots_users_see_every_row_without_a_join_to_the_tree(self, world):
        from grassroots.models import PartyMember
        from portal.scoping import scope_to_subtree

        staff, secretary = world.user("staff"), world.user("secretary")
        members = PartyMember.objects.order_by("pk")  # the default order joins the branch
        county_wide = scope_to_subtree(members, staff, field="branch")
        branch_only = scope_to_subtree(members, secretary, field="branch")
        assert "portal_organization" not in str(county_wide.query)
        assert "portal_organization" in str(branch_only.query)
