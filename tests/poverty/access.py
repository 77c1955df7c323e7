from portal.roles import Access, Area
from tests.access import Entry

ENTRIES = [
    Entry("poverty:index", area=Area.POVERTY, level=Access.READ),
]
