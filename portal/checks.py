"""Deploy checks: `manage.py check --deploy` in production fails while a demo password works."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.security, deploy=True)
def demo_password_not_in_use(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    from portal.models import User

    try:
        users = list(User.objects.filter(is_active=True).only("username", "password")[:5000])
    except DatabaseError:  # no database yet: nothing to check
        return []
    weak = [u.username for u in users if u.check_password(settings.DEMO_PASSWORD)]
    if not weak:
        return []
    return [
        checks.Error(
            "Users still have the demo password: " + ", ".join(sorted(weak)[:10]),
            hint="Change these passwords (or deactivate the demo users) before going live.",
            id="portal.E001",
        )
    ]
