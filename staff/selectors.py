"""Reads of the staff panel: the dashboard's rolled-up rows (never the raw events)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from staff.models import DailyMetric
from staff.services import week_start


@dataclass
class MetricRows:
    """Rolled-up values of a range: values[key][dimension][day]."""

    start: date
    end: date
    values: dict[str, dict[str, dict[date, Decimal]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict))
    )
    computed_at: datetime | None = None

    def day(self, key: str, day: date, dimension: str = "") -> Decimal:
        return self.values.get(key, {}).get(dimension, {}).get(day, Decimal(0))

    def total(self, key: str, dimension: str | None = "") -> Decimal:
        """Sum over the range's days (of every dimension when dimension is None)."""
        by_dimension = self.values.get(key, {})
        chosen = by_dimension.values() if dimension is None else [by_dimension.get(dimension, {})]
        return sum((v for days in chosen for d, v in days.items() if self.start <= d <= self.end), Decimal(0))

    def last(self, key: str, dimension: str = "") -> Decimal:
        """The value of the latest day of the range that has one (for running totals and snapshots)."""
        days = self.values.get(key, {}).get(dimension, {})
        within = [d for d in days if self.start <= d <= self.end]
        return days[max(within)] if within else Decimal(0)

    def dimensions(self, key: str) -> list[str]:
        return sorted(self.values.get(key, {}))


def metric_rows(*, start: date, end: date) -> MetricRows:
    """Every rolled-up row of start..end, plus the weekly cohorts starting in the range's first week: one query."""
    rows = MetricRows(start=start, end=end)
    for day, key, dimension, value, computed_at in DailyMetric.objects.filter(
        day__gte=week_start(start), day__lte=end
    ).values_list("day", "key", "dimension", "value", "computed_at"):
        rows.values[key][dimension][day] = value
        if rows.computed_at is None or computed_at > rows.computed_at:
            rows.computed_at = computed_at
    return rows
