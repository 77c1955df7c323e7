"""The configurable numbers of the poverty work (DOMAIN.md §4), editable in the admin.

Seeded by a data migration with the defaults. The querysets read them *in SQL* through
`rule_value()`, so a rule costs no extra query and a missing row falls back to the default.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import PostLevel
from portal.models import SingletonRules, TimeStampedModel

DEFAULT_VISIT_INTERVAL_MONTHS = 1
DEFAULT_NOTICE_DAYS = 7
DEFAULT_POVERTY_LINE = Decimal("4000.00")


class PovertyRules(SingletonRules):
    """One row: visit interval, length of the exit notice, the income line."""

    # Calendar months, not 30 days: "once a month" means the same day next month (a visit
    # on 31 January is due by 28/29 February, PostgreSQL's month arithmetic).
    visit_interval_months = models.PositiveSmallIntegerField(
        _("visit interval (months)"),
        default=DEFAULT_VISIT_INTERVAL_MONTHS,
        validators=[MinValueValidator(1)],
    )
    exit_notice_days = models.PositiveSmallIntegerField(
        _("exit public notice (calendar days)"),
        default=DEFAULT_NOTICE_DAYS,
        validators=[MinValueValidator(1)],
    )
    poverty_line = models.DecimalField(
        _("poverty line (net income per head and year, yuan)"),
        max_digits=10,
        decimal_places=2,
        default=DEFAULT_POVERTY_LINE,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("poverty work rules")
        verbose_name_plural = _("poverty work rules")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="poverty_rules_single_row"),
        ]

    def __str__(self):
        return str(_("Poverty work rules"))


def rule_value(field: str):
    """The rule `field` as an SQL expression (see SingletonRules.sql)."""
    return PovertyRules.sql(field)


class PairingQuota(TimeStampedModel):
    """How many households an official of a post level must pair with, at least."""

    level = models.CharField(_("post level"), max_length=16, choices=PostLevel.choices, unique=True)
    min_households = models.PositiveSmallIntegerField(_("households, at least"))

    class Meta:
        ordering = ["level"]
        verbose_name = _("pairing quota")
        verbose_name_plural = _("pairing quotas")

    def __str__(self):
        return f"{self.get_level_display()}: {self.min_households}"
