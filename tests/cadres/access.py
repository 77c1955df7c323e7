from portal.roles import Access, Area
from tests.access import Entry

ENTRIES = [
    Entry("cadres:index", area=Area.CADRES, level=Access.READ),
]
