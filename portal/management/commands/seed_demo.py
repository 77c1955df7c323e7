import importlib
import random
import time

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import demo

APP_LOADERS = ["cadres", "grassroots", "poverty", "supervision", "portal.reminders"]


class Command(BaseCommand):
    help = "Load the fictitious demo county (idempotent: a second run adds nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the county's size (10 for the benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=20261128)

    def handle(self, *args, scale, seed, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo county is for development only.")
        started = time.monotonic()
        with pghistory.context(source="seed_demo"):
            county = demo.load(rng=random.Random(seed), scale=scale)
            for offset, app in enumerate(APP_LOADERS, start=1):
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                step = time.monotonic()
                module.load(county=county, rng=random.Random(seed + offset), scale=scale)
                self.stdout.write(f"  {app}: {time.monotonic() - step:.1f}s")
        # Freshly loaded tables have no planner statistics until autovacuum reaches them (never,
        # on a server with autovacuum off): plans would stay blind to the rows just loaded. And
        # until a VACUUM sets their visibility map, an "index-only" scan still reads the table
        # (a pairing's last visit, a cell's meeting): vacuumed, it reads the index alone.
        # VACUUM cannot run inside a transaction (a test that loads the demo): ANALYZE then.
        step = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.stdout.write(f"  analyze: {time.monotonic() - step:.1f}s")
        self.stdout.write(
            self.style.SUCCESS(f"Demo county ready in {time.monotonic() - started:.1f}s.")
        )
