"""`manage.py predeploy`: the checks to pass once per deployment, after `migrate`.

Django's deploy checks (`check --deploy`, cheap: settings only) and then the checks that read
the database (portal/checks.py): every migration applied, no active user still on the demo
password, an administrator exists. Errors and warnings fail it (exit status 1).
"""

from django.core import checks
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.checks import run_database_checks


class Command(BaseCommand):
    help = "Deploy checks, then the checks that read the database (run after migrate)."

    def handle(self, *args, **options):
        call_command("check", deploy=True, fail_level="WARNING")
        messages = run_database_checks()
        for message in messages:
            stream = self.stderr if message.is_serious(checks.WARNING) else self.stdout
            stream.write(f"{message.id}: {message.msg}\n    HINT: {message.hint}")
        serious = [m for m in messages if m.is_serious(checks.WARNING)]
        if serious:
            raise CommandError(
                f"predeploy: {len(serious)} problems; the new version must not start."
            )
        self.stdout.write("predeploy: the deployment checks pass.")
