"""The cadre record, laid out like the appointment and removal form (干部任免审批表).

The skeleton fields (name, gender, birth_date, id_number, organization, user) are read by
the other apps. `organization` is the cadre's current unit, used for scoping; it is
maintained only by the post-history services (cadres.services.posts), which keep it in
step with the current principal post. Nothing else writes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.audit import track
from portal.choices import Education, Gender
from portal.idnumbers import IdNumberField
from portal.models import TimeStampedModel
from portal.pinyin import initials_match, typed_as_initials
from portal.scoping import scope_to_subtree
from portal.uploads import stored_name


class PostLevel(models.TextChoices):
    """Post levels (职务层次) used for quotas and reserve pools across the apps."""

    COUNTY_CHIEF = "county_chief", _("County level, chief")
    COUNTY_DEPUTY = "county_deputy", _("County level, deputy")
    SECTION_CHIEF = "section_chief", _("Section level, chief")
    SECTION_DEPUTY = "section_deputy", _("Section level, deputy")
    STAFF = "staff", _("Staff member")


class StaffCategory(models.TextChoices):
    """Decides which set of annual-assessment grades applies."""

    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    INSTITUTION = "institution", _("Public-institution staff")


class AgeBand(models.TextChoices):
    UNDER_35 = "lt35", _("Under 35")
    FROM_35_TO_44 = "35-44", _("35 to 44")
    FROM_45_TO_54 = "45-54", _("45 to 54")
    FROM_55 = "ge55", _("55 and over")


# (youngest age, oldest age) of each band, inclusive.
AGE_BANDS = {
    AgeBand.UNDER_35: (0, 34),
    AgeBand.FROM_35_TO_44: (35, 44),
    AgeBand.FROM_45_TO_54: (45, 54),
    AgeBand.FROM_55: (55, 150),
}


def _years_before(day, years: int):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def born_after_age(day, age: int):
    """People born after this day are younger than `age` on `day`."""
    return _years_before(day, age)


def age_band_q(band: str, *, on) -> Q:
    """Cadres whose age on `on` lies in the band (the list's filter and the dashboard's
    counts)."""
    youngest, oldest = AGE_BANDS[band]
    return Q(
        birth_date__gt=_years_before(on, oldest + 1),
        birth_date__lte=_years_before(on, youngest),
    )


class CadreQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="organization")

    def with_current_post(self, on=None):
        """Annotate `current_title`, `current_level` (a PostLevel value), `current_unit_id`,
        `current_rank` and `current_post_started_on` from the effective-dated post history, in SQL.

        The current post is the principal (not concurrent) post in force on `on` (today by
        default): started on or before it and not yet ended. It is never typed twice.
        """
        from cadres.models.posts import PostRecord

        on = on or timezone.localdate()
        posts = PostRecord.objects.filter(cadre=OuterRef("pk")).principal().in_force(on)
        posts = posts.order_by("-start_date", "-pk")
        return self.annotate(
            current_title=Subquery(posts.values("post_title")[:1]),
            current_level=Subquery(posts.values("level")[:1]),
            current_rank=Subquery(posts.values("rank")[:1]),
            current_unit_id=Subquery(posts.values("unit_id")[:1]),
            current_post_started_on=Subquery(posts.values("start_date")[:1]),
        )

    def in_age_band(self, band: str, *, on=None):
        """Cadres whose age on `on` lies in the band."""
        return self.filter(age_band_q(band, on=on or timezone.localdate()))

    def search(self, text: str):
        """By name, or by pinyin initials as users type them ("zsf" for 张三丰, "zhm" for 赵明)."""
        text = (text or "").strip()
        if not text:
            return self
        if typed_as_initials(text):
            # Initials only: a prefix scan of their index, not a scan of every name.
            return self.filter(initials_match(text))
        return self.filter(Q(name__contains=text) | initials_match(text))


def photo_path(instance, filename: str) -> str:
    # `filename` is the cleaned file's (portal.uploads): its extension names the type written.
    stem = f"{instance.pk or 'new'}-{timezone.now():%Y%m%d%H%M%S}"
    return stored_name("cadres/photos", filename, stem=stem)


@track()
class Cadre(TimeStampedModel):
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_initials = models.CharField(
        _("pinyin initials"), max_length=50, blank=True, editable=False, db_index=True
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = IdNumberField(_("ID number"), unique=True)
    # Maintained by cadres.services only: the unit of the current principal post.
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
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    native_place = models.CharField(_("native place"), max_length=50, blank=True)
    birthplace = models.CharField(_("birthplace"), max_length=50, blank=True)
    party_joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    work_started_on = models.DateField(_("started work on"), null=True, blank=True)
    health = models.CharField(_("health"), max_length=20, default="健康")
    professional_title = models.CharField(_("professional title"), max_length=50, blank=True)
    speciality = models.CharField(_("speciality"), max_length=100, blank=True)
    staff_category = models.CharField(
        _("staff category"),
        max_length=16,
        choices=StaffCategory.choices,
        default=StaffCategory.CIVIL_SERVANT,
    )
    fulltime_education = models.CharField(
        _("full-time education"), max_length=16, choices=Education.choices, blank=True
    )
    fulltime_degree = models.CharField(_("full-time degree"), max_length=30, blank=True)
    fulltime_school = models.CharField(
        _("full-time education: school and major"), max_length=100, blank=True
    )
    inservice_education = models.CharField(
        _("in-service education"), max_length=16, choices=Education.choices, blank=True
    )
    inservice_degree = models.CharField(_("in-service degree"), max_length=30, blank=True)
    inservice_school = models.CharField(
        _("in-service education: school and major"), max_length=100, blank=True
    )
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        indexes = [
            # The list's default order: its first page is read from the index, not sorted.
            models.Index(fields=["name", "id"], name="cadre_list_order"),
            models.Index(
                fields=["name_initials"],
                name="cadre_initials_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.name

    def age_on(self, day) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class ResumeLine(TimeStampedModel):
    """One line of the résumé (简历): a period and what the cadre did in it."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="resume_lines"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    text = models.CharField(_("unit and post"), max_length=200)

    class Meta:
        ordering = ["cadre", "start", "pk"]
        verbose_name = _("résumé line")
        verbose_name_plural = _("résumé lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="resume_line_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.start:%Y.%m}–{self.end:%Y.%m} {self.text}" if self.end else self.text


class FamilyMember(TimeStampedModel):
    """Family members and important social relations (家庭主要成员及重要社会关系)."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="family_members"
    )
    relation = models.CharField(_("relation"), max_length=20)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    political_status = models.CharField(_("political status"), max_length=20, blank=True)
    employer_and_post = models.CharField(_("employer and post"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["cadre", "position", "pk"]
        verbose_name = _("family member or social relation")
        verbose_name_plural = _("family members and social relations")

    def __str__(self):
        return f"{self.relation} {self.name}"
