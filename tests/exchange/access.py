"""The export pages in the roles × URLs matrix. Every role reaches its own exports (area
None); another user's export is a 404 for everyone, which tests/exchange/test_background.py
checks, since the matrix's "outside" means another subtree."""

from tests.access import Entry
from tests.exchange.factories import finished_job


def own_job(world, user):
    return {"pk": finished_job(user).pk}


PERSONAL = "an export is personal: another user's, whoever it is, is a 404 (test_background)"

ENTRIES = [
    Entry("exchange:export-list", area=None),
    Entry("exchange:export-detail", area=None, make=own_job, outside_exempt=PERSONAL),
    Entry("exchange:export-download", area=None, make=own_job, outside_exempt=PERSONAL),
]
