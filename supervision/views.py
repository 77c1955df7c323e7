from django.shortcuts import render

from portal.access import require_access
from portal.roles import Access, Area


@require_access(Area.SUPERVISION, Access.STATS)
def index(request):
    return render(request, "supervision/index.html")
