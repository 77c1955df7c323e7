"""Seed the collective-decision rules (DOMAIN.md §8) and the large-sum thresholds.

The thresholds are local rules; these are common county figures, for an administrator to
change: a township Party committee decides collectively from 50,000 yuan, a Party working
committee from 100,000, the county committee from 500,000, a state enterprise from
1,000,000, any other leadership team from 100,000.
"""

from decimal import Decimal

from django.db import migrations

THRESHOLDS = [
    ("committee", "", Decimal(50_000)),
    ("working_committee", "", Decimal(100_000)),
    ("county", "", Decimal(500_000)),
    ("", "state_enterprise", Decimal(1_000_000)),
    ("", "", Decimal(100_000)),
]


def seed(apps, schema_editor):
    apps.get_model("grassroots", "DecisionRules").objects.get_or_create(
        pk=1,
        defaults={
            "party_meeting_quorum": "two_thirds",
            "decision_notice_days": 7,
            "result_notice_days": 15,
        },
    )
    threshold = apps.get_model("grassroots", "LargeSumThreshold")
    for kind, category, amount in THRESHOLDS:
        threshold.objects.get_or_create(
            organization_kind=kind, category=category, defaults={"amount": amount}
        )


def unseed(apps, schema_editor):
    apps.get_model("grassroots", "DecisionRules").objects.filter(pk=1).delete()
    apps.get_model("grassroots", "LargeSumThreshold").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("grassroots", "0009_collective_decisions")]

    operations = [migrations.RunPython(seed, unseed)]
