"""Seed the poverty work rules and the pairing quotas with DOMAIN.md §4's defaults."""

from django.db import migrations

# County leaders at least 5 households, section chiefs 2, section deputies 1 (configurable).
QUOTAS = {
    "county_chief": 5,
    "county_deputy": 5,
    "section_chief": 2,
    "section_deputy": 1,
}


def seed(apps, schema_editor):
    PovertyRules = apps.get_model("poverty", "PovertyRules")
    PairingQuota = apps.get_model("poverty", "PairingQuota")
    PovertyRules.objects.get_or_create(pk=1)
    for level, minimum in QUOTAS.items():
        PairingQuota.objects.get_or_create(level=level, defaults={"min_households": minimum})


def unseed(apps, schema_editor):
    apps.get_model("poverty", "PairingQuota").objects.filter(level__in=QUOTAS).delete()
    apps.get_model("poverty", "PovertyRules").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("poverty", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
