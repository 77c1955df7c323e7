"""Searchable pickers over many records: one form field and widget, one JSON endpoint.

A `<select>` of every visible organisation cost the complaint list 2 of its 2.1 seconds at ten
times the county (9,073 options). Instead a picker renders only the chosen option, marked
`data-autocomplete="<url>"`; static/js/autocomplete.js turns it into a Tom Select that asks
`/autocomplete/<source>/?q=…` as the user types. Each source is registered here (the core
never imports an app's models: apps register theirs, as with deadlines), and names

  * the access area it needs (None: any logged-in user),
  * `queryset(user)`: the rows the user may pick, always from `visible_to(user)`,
  * `search(queryset, text)`, and `labels(objects)`: the options' texts, a fixed number of
    queries for any number of objects.

A field may narrow its source with a named `scope` ("branches"); the endpoint applies the same
scope, so what the widget offers and what the field accepts cannot differ.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.models import Organization
from portal.models.organizations import PATH_STEP
from portal.roles import Access, can

# Options per answer: the user narrows by typing, never by scrolling through hundreds.
LIMIT = 20


@dataclass(frozen=True)
class Source:
    name: str
    model: type
    queryset: Callable[..., QuerySet]  # queryset(user) -> the rows the user may pick
    search: Callable[[QuerySet, str], QuerySet]
    labels: Callable[[list], list[str]]
    area: str | None = None
    level: Access = Access.READ
    scopes: dict[str, Callable[[QuerySet], QuerySet]] = field(default_factory=dict)

    def rows(self, user, scope: str = "") -> QuerySet:
        queryset = self.queryset(user)
        if scope:
            queryset = self.scopes[scope](queryset)
        return queryset

    def allowed(self, user) -> bool:
        return self.area is None or can(user, self.area, self.level)


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.name] = source
    return source


def registry() -> dict[str, Source]:
    """Every source, after importing each app's autocomplete module (where apps register)."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "autocomplete"):
            __import__(f"{config.name}.autocomplete")
    return dict(_SOURCES)


def get_source(name: str) -> Source:
    if name not in _SOURCES:
        registry()
    return _SOURCES[name]


# --- The endpoint -----------------------------------------------------------------------------


class QueryForm(forms.Form):
    q = forms.CharField(required=False, max_length=50, strip=True)
    scope = forms.CharField(required=False, max_length=30)


@require_GET
@login_required
def options(request, source):
    """{"results": [{"value": id, "text": label}, ...], "more": bool} for the typed text."""
    try:
        found = get_source(source)
    except KeyError:
        raise Http404 from None
    if not found.allowed(request.user):
        raise PermissionDenied
    form = QueryForm(request.GET)
    if not form.is_valid() or form.cleaned_data["scope"] not in ("", *found.scopes):
        return JsonResponse({"results": [], "more": False})
    rows = found.rows(request.user, form.cleaned_data["scope"])
    rows = found.search(rows, form.cleaned_data["q"])
    objects = list(rows[: LIMIT + 1])
    shown = objects[:LIMIT]
    labels = found.labels(shown)
    return JsonResponse(
        {
            "results": [
                {"value": str(obj.pk), "text": text}
                for obj, text in zip(shown, labels, strict=True)
            ],
            "more": len(objects) > LIMIT,
        }
    )


def options_url(source: str, scope: str = "") -> str:
    url = reverse("autocomplete", kwargs={"source": source})
    return f"{url}?{urlencode({'scope': scope})}" if scope else url


# --- The widget and the fields ----------------------------------------------------------------


class AutocompleteSelect(forms.Select):
    """A `<select>` holding only the chosen option; the script fetches the others."""

    def __init__(self, source: str, scope: str = "", attrs=None):
        super().__init__(attrs)
        self.source, self.scope = source, scope

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-autocomplete"] = options_url(self.source, self.scope)
        context["widget"]["attrs"]["data-autocomplete-empty"] = _(
            "Nothing found: type more or less"
        )
        return context

    def optgroups(self, name, value, attrs=None):
        # Only the empty choice and the chosen one: one query, however many rows there are.
        chosen = []
        wanted = [v for v in value if v not in ("", None)]
        ids = [int(v) for v in wanted if str(v).isdigit()]
        iterator = self.choices
        if ids and hasattr(iterator, "queryset"):
            objects = list(iterator.queryset.filter(pk__in=ids))
            labels = get_source(self.source).labels(objects)
            chosen = [(obj.pk, text) for obj, text in zip(objects, labels, strict=True)]
        options = [self.create_option(name, "", "", not chosen, 0, attrs=attrs)]
        options += [
            self.create_option(name, pk, text, True, index, attrs=attrs)
            for index, (pk, text) in enumerate(chosen, start=1)
        ]
        return [(None, options, 0)]


class AutocompleteField(forms.ModelChoiceField):
    """A ModelChoiceField over a registered source, for the given user (forms and filters).

    `user` may be given later with `for_user(user)` (filters build their fields lazily)."""

    def __init__(self, source: str, *, scope: str = "", user=None, queryset=None, **kwargs):
        self.source_name, self.scope = source, scope
        kwargs.setdefault("widget", AutocompleteSelect(source, scope))
        if queryset is None:
            found = get_source(source)
            queryset = found.rows(user, scope) if user else found.model.objects.none()
        super().__init__(queryset=queryset, **kwargs)

    def for_user(self, user) -> "AutocompleteField":
        self.queryset = get_source(self.source_name).rows(user, self.scope)
        return self

    def label_from_instance(self, obj):
        return get_source(self.source_name).labels([obj])[0]


class AutocompleteFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter with the autocomplete field. Pass `source` and `scope`;
    call `for_user(user)` on `filterset.filters[name]` in the FilterSet's __init__."""

    field_class = AutocompleteField

    def __init__(self, *args, source: str, scope: str = "", **kwargs):
        self.source_name, self.scope = source, scope
        kwargs.setdefault("queryset", None)
        super().__init__(*args, source=source, scope=scope, **kwargs)

    def for_user(self, user) -> None:
        self.queryset = get_source(self.source_name).rows(user, self.scope)


# --- Organisations (the core's own source) ----------------------------------------------------


def path_ids(path: str) -> list[int]:
    """The ids along a materialized path, root first ("000001/000007/" -> [1, 7])."""
    return [int(path[i : i + PATH_STEP - 1]) for i in range(0, len(path), PATH_STEP)]


def organization_labels(organizations) -> list[str]:
    """Each organisation with the path below the county: "青龙镇 / 上金寨村党支部 / 第一党小组"
    (several branches have a "第一党小组"). One query for any number of organisations."""
    above = {pk for org in organizations for pk in path_ids(org.path)[1:-1]}
    names = dict(Organization.objects.filter(pk__in=above).values_list("pk", "name"))
    labels = []
    for org in organizations:
        ancestors = [names.get(pk, "") for pk in path_ids(org.path)[1:-1]]
        # A township's committee reads as the township ("青龙镇党委" -> "青龙镇").
        parts = [name.removesuffix("党委") for name in ancestors] + [org.name]
        labels.append(" / ".join(parts))
    return labels


def _organization_search(queryset: QuerySet, text: str) -> QuerySet:
    return queryset.filter(name__contains=text) if text else queryset


ORGANIZATIONS = register(
    Source(
        name="organizations",
        model=Organization,
        queryset=lambda user: Organization.objects.visible_to(user).order_by("path"),
        search=_organization_search,
        labels=organization_labels,
        scopes={
            "branches": lambda qs: qs.branches(),
            # Organisations that hold meetings of their own (not the branches' party groups).
            "meeting-holders": lambda qs: qs.exclude(kind=Organization.Kind.PARTY_GROUP),
            "active": lambda qs: qs.filter(is_active=True),
            # The townships' Party committees (the first level below the county).
            "townships": lambda qs: qs.filter(depth=1, kind=Organization.Kind.PARTY_COMMITTEE),
        },
    )
)


def use_autocomplete(form, name: str, source: str, *, user, scope: str = "") -> None:
    """Replace a ModelForm's generated choice field `name` by an autocomplete over `source`,
    keeping its label, help text, required flag and initial value."""
    old = form.fields[name]
    form.fields[name] = AutocompleteField(
        source,
        scope=scope,
        user=user,
        label=old.label,
        required=old.required,
        help_text=old.help_text,
        initial=old.initial,
    )
