from portal.roles import Access, Area
from tests.access import Entry

ENTRIES = [
    Entry("supervision:index", area=Area.SUPERVISION, level=Access.STATS),
]
