"""Seed the handling time limits with the 2022 Regulations' defaults (DOMAIN.md §5)."""

from django.db import migrations

DEFAULTS = {
    "accept_days": 15,
    "remit_working_days": 5,
    "reply_days": 60,
    "max_extension_days": 30,
    "review_request_days": 30,
    "review_answer_days": 30,
    "rereview_request_days": 30,
    "rereview_answer_days": 30,
}


def seed(apps, schema_editor):
    HandlingRules = apps.get_model("supervision", "HandlingRules")
    HandlingRules.objects.get_or_create(pk=1, defaults=DEFAULTS)


def unseed(apps, schema_editor):
    apps.get_model("supervision", "HandlingRules").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
