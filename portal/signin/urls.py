"""The accounts/ URLs: Django's auth views under their usual names, with the portal's own
where a rule applies, and the second-factor pages (portal/signin/views.py)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal.signin import views

two_factor = (
    [
        path("", views.two_factor, name="two-factor"),
        path("setup/", views.two_factor_setup, name="two-factor-setup"),
        path("verify/", views.two_factor_verify, name="two-factor-verify"),
        path(
            "recovery-codes/",
            views.two_factor_recovery_codes,
            name="two-factor-recovery-codes",
        ),
        path("disable/", views.two_factor_disable, name="two-factor-disable"),
    ],
    "signin",
)

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("two-factor/", include(two_factor)),
]
