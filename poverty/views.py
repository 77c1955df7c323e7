from django.shortcuts import render

from portal.access import require_access
from portal.roles import Access, Area


@require_access(Area.POVERTY, Access.READ)
def index(request):
    return render(request, "poverty/index.html")
