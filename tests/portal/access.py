from tests.access import Entry

ENTRIES = [
    Entry("home", area=None),
    # The pickers' options: organisations for anyone (scoped), cadres for who reads cadres.
    Entry("autocomplete", area=None, make=lambda world, user: {"source": "organizations"}),
    Entry("autocomplete", area="cadres", make=lambda world, user: {"source": "cadres"}),
    Entry("healthz", area=None, public=True),
    Entry("healthz-ready", area=None, public=True),
    Entry("healthz-live", area=None, public=True),
    # Two-factor sign-in: every user's own (not required in tests unless a test says so).
    Entry("signin:two-factor", area=None),
    Entry("signin:two-factor-setup", area=None),
    # Without a second factor there is no code to ask for: on to the page they wanted.
    Entry("signin:two-factor-verify", area=None, ok_statuses=(302,)),
    # Without a second factor there are no recovery codes to renew: back, with a message.
    Entry("signin:two-factor-recovery-codes", area=None, method="post", ok_statuses=(302,)),
    Entry("signin:two-factor-disable", area=None, method="post", ok_statuses=(302,)),
]
