"""Charts on the dashboards: a chart is its table.

A dashboard builds each chart as a `Chart`: categories (the townships, the months, the age
bands ...) and one or more `Series` of counts over them, each number with the link it drills
down to. templates/components/chart.html renders the table (accessible, printable, and what
the tests read) and hands the same numbers to static/js/charts.js through `json_script`,
which draws them with the vendored Apache ECharts (static/vendor/echarts/); a click on a bar,
point or slice follows the same link as the table's cell. Nothing here queries: the apps
compute the numbers with SQL aggregates through their scoped querysets and pass them in.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

# The compliance colours of static/css/portal.css (status-met / -due / -missed), so a chart
# reads like the tables beside it.
STATUS_COLOURS = {"met": "#198754", "due": "#b07b00", "missed": "#b02a37"}


@dataclass
class Series:
    label: str
    values: list
    # One link per value (None: that number has no list to drill into).
    links: list = field(default_factory=list)
    colour: str = ""

    def link(self, index: int):
        return self.links[index] if index < len(self.links) else None


@dataclass
class Chart:
    id: str  # unique on the page: the element ids derive from it
    title: str
    # bar (vertical), hbar (horizontal), stacked / hstacked (bars stacked per category),
    # line, pie, funnel
    kind: str
    category_label: str
    categories: list
    series: list
    # Where a click on a whole category goes when its series have no link of their own.
    category_links: list = field(default_factory=list)
    unit: str = ""  # shown after each number in the table's header, e.g. "%"
    note: str = ""

    def category_link(self, index: int):
        return self.category_links[index] if index < len(self.category_links) else None

    def rows(self) -> list[dict]:
        """The table: one row per category, one cell per series."""
        return [
            {
                "label": category,
                "link": self.category_link(index),
                "cells": [
                    {"value": series.values[index], "link": series.link(index)}
                    for series in self.series
                ],
            }
            for index, category in enumerate(self.categories)
        ]

    @property
    def is_empty(self) -> bool:
        return not any(value for series in self.series for value in series.values)

    def data(self) -> dict:
        """What charts.js draws (json_script): plain strings and numbers only."""
        return {
            "kind": self.kind,
            "title": str(self.title),
            "unit": self.unit,
            "categories": [str(category) for category in self.categories],
            "series": [
                {
                    "label": str(series.label),
                    "values": list(series.values),
                    "links": [
                        series.link(i) or self.category_link(i) for i in range(len(self.categories))
                    ],
                    "colour": series.colour,
                }
                for series in self.series
            ],
        }


def home_organization(user):
    """Where a user's dashboards start: their organisation, or the tree's root for a user
    without one (an administrator)."""
    from portal.models import Organization

    return user.organization or Organization.objects.get(parent__isnull=True)


class AsOfForm(forms.Form):
    """A dashboard's "as of" day (?day=YYYY-MM-DD): today when absent; a malformed or future
    day is a message on the page, and the dashboard shows today meanwhile."""

    day = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data, *, today: datetime.date):
        super().__init__(data)
        self.today = today

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day and day > self.today:
            raise forms.ValidationError(
                _("Choose a day up to today: a dashboard shows what has already happened.")
            )
        return day

    @property
    def as_of(self) -> datetime.date:
        return (self.is_valid() and self.cleaned_data["day"]) or self.today
