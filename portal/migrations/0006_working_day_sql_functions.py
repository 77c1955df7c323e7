"""The SQL twin of portal.workdays.is_workday (portal_is_workday, portal_roll_to_workday).

Schema only (two functions); the post_migrate handler in portal/apps.py re-creates them after
every `migrate`, so an upgraded chinese-calendar's new years reach SQL without a migration.
"""

from django.db import migrations


def install(apps, schema_editor):
    from portal import workdays

    workdays.install_sql(schema_editor.connection)


def drop(apps, schema_editor):
    from portal import workdays

    workdays.drop_sql(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_user_password_and_two_factor")]

    operations = [migrations.RunPython(install, drop)]
