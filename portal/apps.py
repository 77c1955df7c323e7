from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _refresh_working_day_sql(using, **kwargs):
    from django.db import connections

    from portal import workdays

    connection = connections[using]
    # Its body reads the overrides table: nothing to do while portal is migrated to zero.
    if "portal_calendaroverride" in connection.introspection.table_names():
        workdays.install_sql(connection)


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self):
        # After every migrate: the SQL calendar follows the installed chinese-calendar.
        post_migrate.connect(_refresh_working_day_sql, sender=self)

        # The export notification, and the exchange tasks that beat names (the package is
        # not an app, so Celery's autodiscovery alone would find them only in a worker).
        from portal.exchange import notices, tasks  # noqa: F401
