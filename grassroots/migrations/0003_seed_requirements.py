"""Data: the default meeting requirements of DOMAIN.md §2 (支部工作条例, 2018)."""

from django.db import migrations

BRANCHES = ["branch", "joint_branch", "general_branch"]
COMMITTEES = ["county", "committee", "working_committee"]

DEFAULTS = [
    # kind, organisation kinds, frequency, quorum rule, note
    ("general", BRANCHES, "quarter", "voting_majority", "支部党员大会，每季度一次"),
    ("committee", BRANCHES, "month", "committee_majority", "支部委员会会议，每月一次"),
    ("group", ["group"], "month", "none", "党小组会，每月一次"),
    ("lecture", BRANCHES, "quarter", "none", "党课，每季度一次"),
    ("theme_day", BRANCHES, "month", "none", "主题党日，每月一次"),
    ("org_life", BRANCHES, "year", "none", "组织生活会，每年一次，一般在第四季度"),
    ("appraisal", BRANCHES, "year", "none", "民主评议党员，每年一次"),
    ("democratic_life", COMMITTEES, "year", "two_thirds", "民主生活会，每年一次"),
    ("election", BRANCHES + COMMITTEES, "", "four_fifths", "换届选举，任期届满时"),
]


def seed(apps, schema_editor):
    MeetingRequirement = apps.get_model("grassroots", "MeetingRequirement")
    MeetingRequirement.objects.bulk_create(
        MeetingRequirement(
            kind=kind, applies_to_kinds=kinds, frequency=frequency, quorum=quorum, note=note
        )
        for kind, kinds, frequency, quorum, note in DEFAULTS
    )


def unseed(apps, schema_editor):
    MeetingRequirement = apps.get_model("grassroots", "MeetingRequirement")
    MeetingRequirement.objects.filter(note__in=[row[4] for row in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("grassroots", "0002_compliance_view")]

    operations = [migrations.RunPython(seed, unseed)]
