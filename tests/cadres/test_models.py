import datetime

import pytest
from django.core.exceptions import ValidationError

from cadres import services
from cadres.models import Cadre, CadreRules, PostLevel
from tests.cadres.factories import make_cadre

pytestmark = pytest.mark.django_db

D = datetime.date


def test_current_post_comes_from_the_history_in_force_on_the_day(world):
    # given a cadre who was deputy in township A, then chief in township B from 2024
    cadre = make_cadre(world.township_a, post="副镇长", post_start=D(2019, 1, 1))
    services.post_record_add(
        cadre=cadre,
        unit=world.township_b,
        post_title="乡长",
        level=PostLevel.SECTION_CHIEF,
        start_date=D(2024, 6, 1),
        document_number="云组干〔2024〕9号",
        end_previous=True,
        today=D(2024, 6, 1),
    )
    # and a concurrent post, which never counts as the current one
    services.post_record_add(
        cadre=cadre,
        unit=world.township_b,
        post_title="乡人大主席团副主席",
        level=PostLevel.SECTION_DEPUTY,
        start_date=D(2024, 7, 1),
        document_number="云组干〔2024〕10号",
        is_concurrent=True,
        today=D(2024, 7, 1),
    )
    # when the current post is read on two days
    before = Cadre.objects.with_current_post(D(2023, 1, 1)).get(pk=cadre.pk)
    after = Cadre.objects.with_current_post(D(2025, 1, 1)).get(pk=cadre.pk)
    # then each day shows the post in force then
    assert (before.current_title, before.current_level) == ("副镇长", PostLevel.SECTION_DEPUTY)
    assert before.current_unit_id == world.township_a.pk
    assert (after.current_title, after.current_level) == ("乡长", PostLevel.SECTION_CHIEF)
    assert after.current_unit_id == world.township_b.pk
    # and the scoping unit followed the new principal post
    cadre.refresh_from_db()
    assert cadre.organization == world.township_b


def test_a_cadre_without_posts_has_no_current_post(world):
    cadre = make_cadre(world.township_a, post=None)
    row = Cadre.objects.with_current_post().get(pk=cadre.pk)
    assert row.current_title is None and row.current_level is None


def test_search_by_name_or_pinyin_initials(world):
    zhang = make_cadre(world.township_a, name="张三丰")
    make_cadre(world.township_a, name="李四", birth_date=D(1985, 1, 2))
    assert list(Cadre.objects.search("zsf")) == [zhang]
    assert list(Cadre.objects.search("三丰")) == [zhang]
    assert Cadre.objects.search("ls").count() == 1


def test_age_band(world):
    young = make_cadre(world.township_a, name="王小", birth_date=D(1995, 6, 1))
    make_cadre(world.township_a, name="赵老", birth_date=D(1968, 6, 1))
    on = D(2026, 11, 28)
    assert list(Cadre.objects.in_age_band("lt35", on=on)) == [young]
    assert Cadre.objects.in_age_band("ge55", on=on).get().name == "赵老"


def test_the_public_notice_cannot_be_set_below_five_working_days():
    # the regulations' floor: a locality may lengthen the notice, never shorten it
    rules = CadreRules.current()
    rules.notice_working_days = 4
    with pytest.raises(ValidationError) as error:
        rules.full_clean()
    assert "notice_working_days" in error.value.message_dict
    rules.notice_working_days = 7
    rules.full_clean()
