from tests.access import Entry

ENTRIES = [
    Entry("home", area=None),
    Entry("healthz", area=None, public=True),
]
