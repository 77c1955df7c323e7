"""The demo county loads, a second load adds nothing, and each demo user can log in."""

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from portal.models import User
from portal.roles import Role

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"portal", "cadres", "grassroots", "poverty", "supervision", "reminders"}
        and not model._meta.label.endswith("Event")
    }


def test_seed_demo_is_idempotent_and_every_demo_user_logs_in(client):
    call_command("seed_demo", scale=0.05, verbosity=0)
    first = row_counts()
    assert first["portal.Organization"] > 30
    call_command("seed_demo", scale=0.05, verbosity=0)
    assert row_counts() == first

    # demo users keep the demo password: no first-sign-in change for them
    assert not User.objects.filter(must_change_password=True).exists()
    for role in Role:
        username = role.value
        # through the login page, as a person signs in (and as the lockout sees it)
        response = client.post(
            reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get(reverse("home")).status_code == 200
        client.logout()
