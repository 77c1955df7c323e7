from portal.roles import Role
from tests.access import Entry

# The pickers' options name no record in the URL: they list the user's own visible_to(user)
# rows (tests/portal/test_autocomplete.py checks that nothing outside the subtree is offered).
SCOPED_OPTIONS = "options are drawn from visible_to(user); no record is named in the URL"

ENTRIES = [
    Entry("home", area=None),
    # The navigation bar's search: anyone signed in; each kind is scoped (tests/portal/
    # test_search.py).
    Entry("search", area=None),
    # The pickers' options: organisations for anyone (scoped), cadres for who reads cadres.
    Entry(
        "autocomplete",
        area=None,
        label="organizations",
        make=lambda world, user: {"source": "organizations"},
        outside_exempt=SCOPED_OPTIONS,
    ),
    Entry(
        "autocomplete",
        area="cadres",
        label="cadres",
        make=lambda world, user: {"source": "cadres"},
        outside_exempt=SCOPED_OPTIONS,
    ),
    Entry(
        "autocomplete",
        area="poverty",
        label="villages",
        make=lambda world, user: {"source": "villages"},
        outside_exempt=SCOPED_OPTIONS,
    ),
    Entry("healthz", area=None, public=True),
    Entry("healthz-ready", area=None, public=True),
    Entry("healthz-live", area=None, public=True),
    # Prometheus: a scraper's bearer token (tests/portal/test_metrics.py) or an administrator;
    # public in the sense that a signed-out scraper gets 401, not the sign-in page.
    Entry("metrics", area=None, public=True, ok_statuses=(403,), status_by_role={Role.ADMIN: 200}),
    # Two-factor sign-in: every user's own (not required in tests unless a test says so).
    Entry("signin:two-factor", area=None),
    Entry("signin:two-factor-setup", area=None),
    # Without a second factor there is no code to ask for: on to the page they wanted.
    Entry("signin:two-factor-verify", area=None, ok_statuses=(302,)),
    # Without a second factor there are no recovery codes to renew: back, with a message.
    Entry("signin:two-factor-recovery-codes", area=None, method="post", ok_statuses=(302,)),
    Entry("signin:two-factor-disable", area=None, method="post", ok_statuses=(302,)),
]
