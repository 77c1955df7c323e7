"""Cadre records. The skeleton the other apps point at; the cadres app builds it out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.audit import track
from portal.choices import Gender
from portal.idnumbers import validate_id_number
from portal.models import TimeStampedModel
from portal.scoping import scope_to_subtree


class PostLevel(models.TextChoices):
    """Post levels (职务层次) used for quotas and reserve pools across the apps."""

    COUNTY_CHIEF = "county_chief", _("County level, chief")
    COUNTY_DEPUTY = "county_deputy", _("County level, deputy")
    SECTION_CHIEF = "section_chief", _("Section level, chief")
    SECTION_DEPUTY = "section_deputy", _("Section level, deputy")
    STAFF = "staff", _("Staff member")


class CadreQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="organization")


@track()
class Cadre(TimeStampedModel):
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="cadres",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre",
    )

    objects = CadreQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")

    def __str__(self):
        return self.name
