"""Choices shared by several apps (one definition each)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The majority ethnic group (汉族): "ethnic minorities" are everyone else.
MAJORITY_ETHNICITY = "汉族"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school or below")
    JUNIOR = "junior", _("Junior middle school")
    SENIOR = "senior", _("Senior middle school / technical secondary")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctorate")
