from tests.access import Entry

ENTRIES = [
    Entry("home", area=None),
    Entry("healthz", area=None, public=True),
    Entry("healthz-ready", area=None, public=True),
    Entry("healthz-live", area=None, public=True),
]
