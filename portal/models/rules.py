from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from .base import TimeStampedModel

# The rules rows read by current() inside SingletonRules.recording(): [(class, values)].
_reads: ContextVar[list | None] = ContextVar("singleton_rules_reads", default=None)
# Inside SingletonRules.reading(): each class's row, read once for the block.
_rows: ContextVar[dict | None] = ContextVar("singleton_rules_rows", default=None)


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
        rows = _rows.get()
        row = rows.get(cls) if rows is not None else None
        if row is None:
            row = cls.objects.filter(pk=1).first() or cls(pk=1)
            if rows is not None:
                rows[cls] = row
        reads = _reads.get()
        if reads is not None:
            reads.append((cls, row.rule_values()))
        return row

    def rule_values(self) -> tuple:
        """The row's rule values (every field but the timestamps): what a reader depends on."""
        return tuple(
            getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.attname not in ("created_at", "updated_at")
        )

    @staticmethod
    @contextmanager
    def reading():
        """Each class's row is read once in the block (one page's worth of rules): several
        readers of the same rules (two cadres deadlines) cost one query, whatever they do."""
        token = _rows.set({})
        try:
            yield
        finally:
            _rows.reset(token)

    @staticmethod
    @contextmanager
    def recording():
        """Collect the rules rows that current() reads in the block, as [(class, values)]:
        something computed from them is still valid while every class's current().rule_values()
        equals the recorded ones (portal/reminders/selectors.py reuses compiled SQL so)."""
        reads = []
        token = _reads.set(reads)
        try:
            yield reads
        finally:
            _reads.reset(token)

    @classmethod
    def sql(cls, field: str):
        """The rule as an SQL expression (one scalar subquery), so a queryset that depends on
        it stays one query and picks up an administrator's change at once."""
        model_field = cls._meta.get_field(field)
        return Coalesce(
            Subquery(cls.objects.filter(pk=1).values(field)[:1]),
            Value(model_field.default, output_field=model_field),
        )
