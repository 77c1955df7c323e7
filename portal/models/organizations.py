"""The organisation tree (DOMAIN.md §1).

The tree is stored as a materialized path: each row keeps `path`, the zero-padded ids of
its ancestors and itself ("000001/000004/000031/"). A subtree is then one indexed range
scan (`path LIKE '000001/000004/%'`, served by a varchar_pattern_ops index), and any table
that points at an organisation is scoped with a single join instead of a recursive CTE per
query. Moving a subtree is rare and costs one UPDATE of the moved rows' prefixes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.audit import track

from .base import TimeStampedModel

PATH_STEP = 7  # six digits and a slash per level


class OrganizationKind(models.TextChoices):
    COUNTY_COMMITTEE = "county", _("County Party committee")
    PARTY_COMMITTEE = "committee", _("Party committee")
    WORKING_COMMITTEE = "working_committee", _("Party working committee")
    GENERAL_BRANCH = "general_branch", _("General Party branch")
    BRANCH = "branch", _("Party branch")
    JOINT_BRANCH = "joint_branch", _("Joint Party branch")
    PARTY_GROUP = "group", _("Party group")


BRANCH_KINDS = (OrganizationKind.BRANCH, OrganizationKind.JOINT_BRANCH)


class OrganizationCategory(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    ORGAN = "organ", _("Government organ")
    INSTITUTION = "institution", _("Public institution")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Non-public enterprise")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organisation")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class OrganizationQuerySet(models.QuerySet):
    def subtree_of(self, organization):
        """The organisation and everything under it, in one indexed query."""
        from portal.scoping import in_subtree

        return in_subtree(self, organization, field="")

    def branches(self):
        return self.filter(kind__in=BRANCH_KINDS)

    def visible_to(self, user):
        from portal.scoping import scope_to_subtree

        return scope_to_subtree(self, user, field="")


@track()
class Organization(TimeStampedModel):
    Kind = OrganizationKind
    Category = OrganizationCategory

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    category = models.CharField(
        _("category"),
        max_length=24,
        choices=OrganizationCategory.choices,
        default=OrganizationCategory.OTHER,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("tree path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # The organisation's code in the Party's information system (党组织代码), when known:
    # imports identify an organisation by it or by its path of names.
    code = models.CharField(_("organisation code"), max_length=30, blank=True)
    # When the organisation existed (DOMAIN.md §1): compliance counts only the periods it
    # existed through (grassroots ComplianceCellQuerySet.for_day). Empty: not recorded.
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(
                fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(parent=models.F("pk")),
                name="org_not_own_parent",
            ),
            models.CheckConstraint(
                condition=models.Q(founded_on__isnull=True)
                | models.Q(dissolved_on__isnull=True)
                | models.Q(dissolved_on__gte=models.F("founded_on")),
                name="org_dissolved_after_founded",
                violation_error_message=_(
                    "An organisation cannot be dissolved before it was founded; check both dates."
                ),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="org_code_unique",
                violation_error_message=_("Another organisation already has this code."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    def ancestors(self):
        """Ancestors from the root down, excluding self: one query on the path's prefixes."""
        prefixes = [self.path[: i * PATH_STEP] for i in range(1, self.depth + 1)]
        return Organization.objects.filter(path__in=prefixes).order_by("depth")

    def is_within(self, other: "Organization") -> bool:
        return self.path.startswith(other.path)

    def name_path(self) -> str:
        """The names from the root down, as imports write them: 云溪县委/青龙镇党委/上金寨村党支部."""
        return "/".join([*self.ancestors().values_list("name", flat=True), self.name])
