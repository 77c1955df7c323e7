from django.urls import reverse

from portal import areas
from portal.roles import Access, access


def navigation(request):
    """The navigation bar's areas: the apps' registered entries (portal/areas.py) the user
    reaches."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_areas": []}
    items = [
        {
            "url": reverse(entry.url_name),
            "label": entry.label,
            "area": entry.area,
            "active": request.path.startswith(f"/{entry.area}/"),
        }
        for entry in areas.entries()
        if access(user, entry.area) > Access.NONE
    ]
    return {"nav_areas": items}
