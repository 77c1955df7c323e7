"""Organisations as import files name them: by code, or by their path of names from the
root (云溪县委/青龙镇党委/上金寨村党支部). A path may leave out its top levels when what is
left is unique (青龙镇党委/上金寨村党支部, or the branch's name alone)."""

from __future__ import annotations

import re
from collections import defaultdict

from django.utils.translation import gettext as _

from portal.models import Organization
from portal.scoping import sees_everything

from .values import CellError, clean_code, clean_text

SEPARATORS = re.compile(r"\s*[/／\\>＞]\s*")


def _name_key(name: str) -> str:
    return clean_text(name).replace(" ", "")


class OrganizationIndex:
    """Every organisation, loaded once per import (a county has a few thousand)."""

    def __init__(self):
        self.by_pk = {org.pk: org for org in Organization.objects.all()}
        self.by_code = {org.code.upper(): org for org in self.by_pk.values() if org.code}
        self.by_last_name: dict[str, list[Organization]] = defaultdict(list)
        for org in self.by_pk.values():
            self.by_last_name[_name_key(org.name)].append(org)

    def names(self, org: Organization) -> list[str]:
        chain = []
        while org is not None:
            chain.append(_name_key(org.name))
            org = self.by_pk.get(org.parent_id)
        return chain[::-1]

    def path_of(self, org: Organization) -> str:
        chain = []
        while org is not None:
            chain.append(org.name)
            org = self.by_pk.get(org.parent_id)
        return "/".join(reversed(chain))

    def add(self, org: Organization) -> None:
        """An organisation created by an earlier row of the same file."""
        self.by_pk[org.pk] = org
        if org.code:
            self.by_code[org.code.upper()] = org
        self.by_last_name[_name_key(org.name)].append(org)

    def find(self, value) -> Organization | None:
        text = clean_text(value)
        if not text:
            return None
        code = clean_code(text).upper()
        if code in self.by_code:
            return self.by_code[code]
        parts = [_name_key(part) for part in SEPARATORS.split(text) if part.strip()]
        if not parts:
            return None
        matches = [
            org
            for org in self.by_last_name.get(parts[-1], [])
            if self.names(org)[-len(parts) :] == parts
        ]
        if not matches:
            raise CellError(
                _(
                    "No organisation “%(value)s” was found; write its code or its full path, "
                    "such as %(example)s."
                )
                % {"value": text, "example": self.example()}
            )
        if len(matches) > 1:
            raise CellError(
                _(
                    "“%(value)s” names %(count)s organisations; write the full path, such as "
                    "%(example)s."
                )
                % {"value": text, "count": len(matches), "example": self.path_of(matches[0])}
            )
        return matches[0]

    def example(self) -> str:
        deepest = max(self.by_pk.values(), key=lambda org: (org.depth, -org.pk), default=None)
        return self.path_of(deepest) if deepest else "云溪县委/青龙镇党委/上金寨村党支部"


def within_reach(user, organization: Organization) -> bool:
    """Whether `organization` lies in the user's subtree (the reach of every import)."""
    if sees_everything(user):
        return True
    home = user.organization
    return home is not None and organization.path.startswith(home.path)


def check_reach(user, organization: Organization) -> Organization:
    """Raise unless the organisation lies in the user's subtree: a row outside is an error,
    never created elsewhere."""
    if not within_reach(user, organization):
        home = user.organization
        raise CellError(
            _(
                "%(org)s is outside your reach: you import only into %(home)s and the "
                "organisations beneath it."
            )
            % {"org": organization.name, "home": home.name if home else "—"}
        )
    return organization
