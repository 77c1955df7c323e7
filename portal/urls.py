from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from portal import autocomplete, metrics, views

urlpatterns = [
    path("", views.home, name="home"),
    # Health checks (portal/healthcheck.py): no login, exempt from the HTTPS redirect.
    path("healthz", views.healthz_ready, name="healthz"),
    path("healthz/ready", views.healthz_ready, name="healthz-ready"),
    path("healthz/live", views.healthz_live, name="healthz-live"),
    # Prometheus (portal/metrics.py): a bearer token (METRICS_TOKEN) or an administrator.
    path("metrics", metrics.metrics, name="metrics"),
    # Searchable pickers' options (portal/autocomplete.py): JSON, scoped to the user.
    # The navigation bar's search across the apps (portal/search.py), scoped to the user.
    path("search/", views.search, name="search"),
    path("autocomplete/<slug:source>/", autocomplete.options, name="autocomplete"),
    path("accounts/", include("portal.signin.urls")),
    # The language switch works signed out too: the login page and /track/ are where the
    # public lands.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("grassroots/", include("grassroots.urls")),
    path("cadres/", include("cadres.urls")),
    path("poverty/", include("poverty.urls")),
    path("supervision/", include("supervision.urls")),
    path("track/", include("supervision.public_urls")),
    path("imports/", include("portal.exchange.importing.urls")),
    path("exports/", include("portal.exchange.urls")),
    path("", include("portal.reminders.urls")),
]

# Uploads (photos, sign-in sheets, scans) are never served from a public /media/ URL, not even
# in development: each app serves them through a view that looks the record up in the user's
# scoped queryset, so a file outside the user's subtree is a 404 like its record.

handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
