from portal.roles import Access, Area
from tests.access import Entry

ENTRIES = [
    Entry("grassroots:index", area=Area.GRASSROOTS, level=Access.READ),
]
