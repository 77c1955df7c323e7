"""Seed the one row of cadre work rules with DOMAIN.md §3's defaults."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    CadreRules = apps.get_model("cadres", "CadreRules")
    CadreRules.objects.get_or_create(
        pk=1,
        defaults={
            "probation_months": 12,
            "notice_working_days": 5,
            "reserve_max_per_post": Decimal("1.00"),
            "reserve_min_women_share": Decimal("0.25"),
            "assessment_due_month": 1,
            "assessment_due_day": 31,
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("cadres", "CadreRules").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0003_records_posts_workflow")]

    operations = [migrations.RunPython(seed, unseed)]
