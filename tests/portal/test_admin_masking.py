"""ID numbers in Django admin: masked on change pages and in the audit events, shown in full
only by a recorded reveal; the other fields stay editable."""

import datetime

import pytest
from django.urls import reverse
from pghistory.models import Events

from cadres import services as cadre_services
from portal.masking import mask
from portal.models import RevealLog
from tests.cadres.factories import make_cadre
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


def change_form_data(response, **overrides) -> dict:
    """The POST a browser sends back for an admin change page as rendered: every field's
    shown value, the inlines' management forms, then the user's edits."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if bound.field.widget.__class__.__name__ == "WriteOnlyInput":
                value = ""  # the browser has nothing to send back
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is None:
                data[bound.html_name] = ""
            elif isinstance(value, datetime.date):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data.update(overrides)
    return data


@pytest.fixture
def member(world):
    return PartyMemberFactory(branch=world.branch_a1, name="林晓梅")


def test_the_party_member_change_page_shows_the_id_number_masked(client_as, member):
    page = client_as("admin").get(reverse("admin:grassroots_partymember_change", args=[member.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert member.id_number not in html
    assert mask(member.id_number) in html
    assert reverse("admin:grassroots_partymember_reveal_id_number", args=[member.pk]) in html


def test_other_fields_stay_editable_and_an_empty_id_input_keeps_the_number(client_as, member):
    client = client_as("admin")
    url = reverse("admin:grassroots_partymember_change", args=[member.pk])
    data = change_form_data(client.get(url), name="林晓梅（更正）", phone="13900001111")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    before = member.id_number
    member.refresh_from_db()
    assert member.name == "林晓梅（更正）"
    assert member.phone == "13900001111"
    assert member.id_number == before


def test_the_reveal_shows_the_number_and_records_it(client_as, world, member):
    client = client_as("admin")
    url = reverse("admin:grassroots_partymember_reveal_id_number", args=[member.pk])

    # asking first changes nothing and shows nothing
    confirm = client.get(url)
    assert member.id_number not in confirm.content.decode()
    assert not RevealLog.objects.exists()

    shown = client.post(url, REMOTE_ADDR="198.51.100.4")

    assert member.id_number in shown.content.decode()
    log = RevealLog.objects.get()
    assert log.user == world.user("admin")
    assert log.field == "id_number"
    assert log.object_id == str(member.pk)
    assert log.ip_address == "198.51.100.4"


def test_the_cadre_page_and_its_audit_events_show_no_full_id_number(client_as, world):
    # given a cadre whose record was edited several times (each edit is an audit event)
    cadre = make_cadre(world.township_a)
    for speciality in ["农业经济", "财政管理", "乡村振兴规划"]:
        cadre_services.cadre_update(
            cadre=cadre,
            name=cadre.name,
            gender=cadre.gender,
            birth_date=cadre.birth_date,
            id_number=cadre.id_number,
            speciality=speciality,
        )
    client = client_as("admin")

    change = client.get(reverse("admin:cadres_cadre_change", args=[cadre.pk])).content.decode()
    assert cadre.id_number not in change
    assert mask(cadre.id_number) in change

    events_url = reverse("admin:pghistory_events_changelist")
    for query in [{}, {"obj": f"cadres.cadre:{cadre.pk}", "method": "tracks"}]:
        listing = client.get(events_url, query).content.decode()
        assert "乡村振兴规划" in listing  # the events are there
        assert cadre.id_number not in listing
    event = Events.objects.tracks(cadre).order_by("pgh_created_at").first()
    detail = client.get(reverse("admin:pghistory_events_change", args=[event.pgh_slug]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert cadre.id_number not in html
    assert mask(cadre.id_number) in html


def test_the_cadre_reveal_in_the_admin_is_recorded(client_as, world):
    cadre = make_cadre(world.township_a)
    url = reverse("admin:cadres_cadre_reveal_id_number", args=[cadre.pk])
    shown = client_as("admin").post(url)
    assert cadre.id_number in shown.content.decode()
    assert RevealLog.objects.filter(object_id=str(cadre.pk), field="id_number").count() == 1
