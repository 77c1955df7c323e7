"""Every model registered in Django admin opens for an administrator and shows its rows: the
list (with its count and one table row per record), its search, and its add page."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
# Models whose rows are made only through services, or the rules tables (one row, seeded):
# their add page answers 403 to an administrator too.
ADD_REFUSED = {
    # the cadre file and its workflow: pages and services only (cadres/admin.py ReadOnlyAdmin)
    "cadres.Appointment",
    "cadres.Assessment",
    "cadres.Cadre",
    "cadres.FourMustCheck",
    "cadres.ReserveEntry",
    "cadres.Training",
    # written by their services only (portal.admin_base.ReadOnlyAdmin): the branch history,
    # visits and assistance measures
    "grassroots.Membership",
    # collective decisions: matters, steps and remarks through grassroots.decisions.services
    "grassroots.MajorMatter",
    "grassroots.StepRemark",
    "grassroots.VillageMatter",
    "poverty.Measure",
    "poverty.Visit",
    # one row each, seeded by a migration
    "cadres.CadreRules",
    "grassroots.GrassrootsRules",
    "grassroots.DecisionRules",
    "poverty.PovertyRules",
    "supervision.HandlingRules",
    # written by the code only: reveals, reminders and their per-deadline rules, matters
    "portal.RevealLog",
    "reminders.Reminder",
    "reminders.ReminderRule",
    "supervision.Complaint",
    # the audit trail is read-only (django-pghistory)
    "pghistory.Events",
    # login attempts and lockouts, written by django-axes
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
}


def _total(model) -> int:
    """How many records the list holds, counted without the admin."""
    if model._meta.label == "pghistory.Events":  # every audit event of every tracked model
        import pghistory.models
        from django.apps import apps

        return sum(
            m._default_manager.count()
            for m in apps.get_models()
            if issubclass(m, pghistory.models.Event) and not m._meta.abstract
        )
    return model._default_manager.count()


def seed_every_app(world):
    """Records of every kind the matrix knows how to make, so most lists have rows."""
    from tests.cadres import access as cadres
    from tests.grassroots import access as grassroots
    from tests.poverty import access as poverty
    from tests.reminders import access as reminders
    from tests.supervision import access as supervision

    staff = world.user("staff")
    cadres._objection(world.township_a)
    cadres._reserve(world.township_a)
    cadres._with_photo(world.township_a)
    grassroots.attachment(world, staff)
    grassroots.member(world, staff)
    reminders._term(world)
    poverty.photo(world, staff)
    supervision._action_record(world, world.township_a, "hearing-end")
    reminders.own_notification(world, staff)


def _rows_shown(html: str) -> int:
    table = re.search(r'<table id="result_list">.*?<tbody>(.*?)</tbody>', html, re.S)
    return table.group(1).count("<tr") if table else 0


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=lambda v: getattr(v, "__name__", "")
)
def test_admin_pages_open_and_show_the_rows(client_as, world, model, model_admin):
    seed_every_app(world)
    client = client_as("admin")
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    total = _total(model)

    changelist = client.get(reverse(f"{prefix}_changelist"), HTTP_ACCEPT_LANGUAGE="en")

    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert _rows_shown(html) == min(total, model_admin.list_per_page)
    with translation.override("en"):
        name = model._meta.verbose_name if total == 1 else model._meta.verbose_name_plural
        assert f"{total} {name}" in html
    if model_admin.search_fields:
        search = client.get(reverse(f"{prefix}_changelist"), {"q": "不会匹配的搜索词"})
        assert search.status_code == 200
        assert _rows_shown(search.content.decode()) == 0
    add = client.get(reverse(f"{prefix}_add"))
    assert add.status_code == (403 if model._meta.label in ADD_REFUSED else 200)


def test_staff_without_admin_rights_cannot_open_admin(client_as):
    response = client_as("staff").get(reverse("admin:index"))
    assert response.status_code == 302
