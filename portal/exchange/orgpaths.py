"""Organisations named by their full path, as exports write them and imports read them:
the names from the root down, joined by "/" ("云溪县委/青龙镇/上金寨村党支部")."""

from __future__ import annotations

from portal.models import Organization
from portal.models.organizations import PATH_STEP

SEPARATOR = "/"


class OrgPaths:
    """Full names of organisations, from one query for the whole tree (a county has a few
    hundred organisations, ten times the county a few thousand: a small dict), loaded on
    first use and then free for every row of an export."""

    def __init__(self):
        self._names: dict[str, str] | None = None
        self._by_path: dict[str, str] = {}

    def _load(self) -> dict[str, str]:
        if self._names is None:
            self._names = dict(Organization.objects.values_list("path", "name"))
        return self._names

    def of_path(self, path: str | None) -> str:
        """The full name of the organisation whose tree path is `path`."""
        if not path:
            return ""
        full = self._by_path.get(path)
        if full is None:
            names = self._load()
            prefixes = [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]
            full = SEPARATOR.join(names.get(prefix, "?") for prefix in prefixes)
            self._by_path[path] = full
        return full

    def __call__(self, organization: Organization | None) -> str:
        return self.of_path(organization.path) if organization is not None else ""
