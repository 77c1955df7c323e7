"""manage.py export KIND --as USERNAME -o FILE: the same export as the page's button.

The same code path as the web: the registry's export, the user's right checked as the page
checks it (area, level, subtree), the list page's filters given as --filter NAME=VALUE, the
export recorded (and a reveal of full ID numbers with it), the one writer. It never goes to
the background: the command waits for the file.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404, QueryDict

from portal.exchange import registry, services
from portal.models import ExportJob, User


class Command(BaseCommand):
    help = "Export a list or a register to .xlsx or .csv as a user would from its page."

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", help="What to export: " + ", ".join(sorted(registry.registry()))
        )
        parser.add_argument("--as", dest="username", required=True, help="The user exporting.")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument(
            "--format", choices=["xlsx", "csv"], help="Default: from the file's extension."
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A filter of the list page, as in its address (?stage=full): repeatable.",
        )
        parser.add_argument(
            "--record", type=int, help="The record an export is about (an organisation's id)."
        )
        parser.add_argument(
            "--full-ids",
            action="store_true",
            help="ID numbers in full (for users who may reveal them; the reveal is recorded).",
        )

    def handle(self, *args, kind, username, output, format, filter, record, full_ids, **options):
        spec = registry.get(kind)
        if spec is None:
            raise CommandError(
                f"Unknown export {kind!r}. Exports: {', '.join(sorted(registry.registry()))}."
            )
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        path = Path(output)
        fmt = format or ("csv" if path.suffix.lower() == ".csv" else "xlsx")
        params = QueryDict(mutable=True)
        for item in filter:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"A filter is NAME=VALUE, not {item!r}.")
            params.appendlist(name, value)
        kwargs = {}
        if spec.record:
            if record is None:
                raise CommandError(f"This export is about one {spec.record}: give --record ID.")
            kwargs["pk"] = record
        query = services.export_query(user=user, params=params, kwargs=kwargs)
        try:
            started = services.export_start(
                export=spec,
                query=query,
                fmt=fmt,
                full_ids=full_ids,
                source=ExportJob.Source.COMMAND,
                background=False,
            )
        except PermissionDenied as error:
            raise CommandError(str(error) or f"{username} may not export {kind}.") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except Http404 as error:
            raise CommandError(f"No {spec.record} {record} within {username}'s reach.") from error
        with path.open("wb") as target:
            rows = services.export_write(started.tables, fmt, target, reveal=full_ids)
        self.stdout.write(f"{rows} rows written to {path} ({spec.title}, {fmt}).")
