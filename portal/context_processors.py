from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.roles import Access, Area, access

AREA_LINKS = [
    (Area.GRASSROOTS, "grassroots:index", _("Grassroots")),
    (Area.CADRES, "cadres:index", _("Cadres")),
    (Area.POVERTY, "poverty:index", _("Poverty alleviation")),
    (Area.SUPERVISION, "supervision:index", _("Supervision")),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_areas": []}
    items = [
        {
            "url": reverse(url_name),
            "label": label,
            "area": area,
            "active": request.path.startswith(f"/{area}/"),
        }
        for area, url_name, label in AREA_LINKS
        if access(user, area) > Access.NONE
    ]
    return {"nav_areas": items}
