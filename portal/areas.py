"""The contract between the apps and the core's pages that span them: the navigation bar and
the home page's cards.

Each app declares its area once, in `<app>/home.py`, with register(AreaEntry(...)): the link
in the navigation bar, the card on the start page, and the figures that card shows. The core
(portal.context_processors.navigation, portal.views.home) loops over the registry and never
imports an app's models, as the reminder engine does with portal/deadlines.py. Dashboards
and searches across apps can use the same seam.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from portal.roles import Access

# figures(user, today) -> [figure(...), ...]: a few counts the role may see, each a link.
Figures = Callable[..., list[dict]]


@dataclass(frozen=True)
class AreaEntry:
    area: str  # portal.roles.Area
    order: int  # place in the navigation bar and on the home page
    url_name: str  # the area's landing page
    label: str  # translatable, short: the navigation link and the card's title
    figures: Figures
    # The access the figures need: READ for records, STATS where counts are all a role sees.
    figures_access: Access = Access.READ


_REGISTRY: dict[str, AreaEntry] = {}


def register(entry: AreaEntry) -> AreaEntry:
    _REGISTRY[entry.area] = entry
    return entry


def entries() -> list[AreaEntry]:
    """Every registered area, in order, after importing every installed app's home module."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "home"):
            __import__(f"{config.name}.home")
    return sorted(_REGISTRY.values(), key=lambda entry: entry.order)


def figure(label, value, url, *, warn=False) -> dict:
    """One figure of a card: a label, a number and the page that lists what it counts;
    `warn` colours a non-zero number (something is behind)."""
    return {"label": label, "value": value, "url": url, "warn": warn and value > 0}


def today_figures(entry: AreaEntry, user, today: datetime.date) -> list[dict]:
    from portal.roles import can

    return entry.figures(user, today) if can(user, entry.area, entry.figures_access) else []
