"""`manage.py revoke_calendar_tokens [--user NAME ...]`: every (or the named users') calendar
feed link stops working at once; each user finds a new link on their preferences page.

For a leaked link, or after a calendar client or a proxy log is found to have kept feed
addresses (docs/operations.md, "Revoking calendar links").
"""

from django.core.management.base import BaseCommand, CommandError

from portal.models import User
from portal.reminders.services import calendar_tokens_revoke


class Command(BaseCommand):
    help = "Give every user (or the named ones) a new calendar feed token; old links stop working."

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            action="append",
            default=[],
            metavar="USERNAME",
            help="Only this user (repeatable). Without it: every user.",
        )

    def handle(self, *args, **options):
        users = User.objects.all()
        if options["user"]:
            users = users.filter(username__in=options["user"])
            missing = set(options["user"]) - set(users.values_list("username", flat=True))
            if missing:
                raise CommandError(f"No such user: {', '.join(sorted(missing))}")
        count = calendar_tokens_revoke(users=users)
        self.stdout.write(f"Revoked the calendar links of {count} users.")
