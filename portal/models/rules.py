from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from .base import TimeStampedModel


class SingletonRules(TimeStampedModel):
    """A one-row table of an app's configurable numbers, edited by an administrator.

    Each subclass pins its row to pk=1 with a CheckConstraint and seeds it by a data
    migration; a missing row (a table emptied by a test's flush) means the fields' defaults.
    Reads never write.
    """

    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def sql(cls, field: str):
        """The rule as an SQL expression (one scalar subquery), so a queryset that depends on
        it stays one query and picks up an administrator's change at once."""
        model_field = cls._meta.get_field(field)
        return Coalesce(
            Subquery(cls.objects.filter(pk=1).values(field)[:1]),
            Value(model_field.default, output_field=model_field),
        )
