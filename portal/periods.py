"""Calendar periods (month, quarter, half-year, year) for required frequencies."""

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


MONTHS_PER_PERIOD = {
    Frequency.MONTH: 1,
    Frequency.QUARTER: 3,
    Frequency.HALF_YEAR: 6,
    Frequency.YEAR: 12,
}


@dataclass(frozen=True)
class Period:
    frequency: str
    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def containing(cls, frequency: str, day: datetime.date) -> "Period":
        months = MONTHS_PER_PERIOD[frequency]
        first_month = (day.month - 1) // months * months + 1
        last_month = first_month + months - 1
        start = datetime.date(day.year, first_month, 1)
        end = datetime.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
        return cls(frequency, start, end)

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return self.start, self.end

    def previous(self) -> "Period":
        return Period.containing(self.frequency, self.start - datetime.timedelta(days=1))

    def next(self) -> "Period":
        return Period.containing(self.frequency, self.end + datetime.timedelta(days=1))

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        months = MONTHS_PER_PERIOD[self.frequency]
        if months == 1:
            return f"{self.start:%Y-%m}"
        if months == 3:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        if months == 6:
            return f"{self.start.year} H{(self.start.month - 1) // 6 + 1}"
        return str(self.start.year)
