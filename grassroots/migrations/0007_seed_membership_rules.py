"""Seed the one row of membership rules with DOMAIN.md §2's intervals (they were constants)."""

from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("grassroots", "GrassrootsRules").objects.get_or_create(
        pk=1, defaults={"probation_months": 12, "activist_assessment_months": 6}
    )


def unseed(apps, schema_editor):
    apps.get_model("grassroots", "GrassrootsRules").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("grassroots", "0006_membership_rules")]

    operations = [migrations.RunPython(seed, unseed)]
