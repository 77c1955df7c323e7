from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("grassroots/", include("grassroots.urls")),
    path("cadres/", include("cadres.urls")),
    path("poverty/", include("poverty.urls")),
    path("supervision/", include("supervision.urls")),
    path("track/", include("supervision.public_urls")),
    path("", include("portal.reminders.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
