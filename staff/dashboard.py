"""The admin's first page for the owner and marketing: headline cards, a chart per series, CSV of each series.

Everything here reads rolled-up rows (staff.selectors); the numbers are as fresh as the last rollup (nightly,
or the "Recompute" button, which also brings today's row up to date).
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from horoscopes.daily.models import PushStatus
from payments.models import Currency, Plan, Provider
from staff.selectors import MetricRows, metric_rows
from staff.services import INVITE, RETENTION_DAYS, local_today

DEFAULT_DAYS = 30
MAX_DAYS = 366
VIEW_PERMISSION = "staff.view_dashboard"
REFRESH_PERMISSION = "staff.refresh_dashboard"
COLORS = ("#8b5cf6", "#0ea5e9", "#f59e0b", "#10b981", "#ef4444", "#64748b", "#ec4899", "#84cc16")


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    error: str = ""

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def date_range_parse(params: Any, today: date | None = None) -> DateRange:
    """The range asked for in ?start=YYYY-MM-DD&end=YYYY-MM-DD, or the last 30 days with a message saying why."""
    today = today or local_today()
    default = DateRange(start=today - timedelta(days=DEFAULT_DAYS - 1), end=today)
    raw_start, raw_end = (params.get("start") or "").strip(), (params.get("end") or "").strip()
    if not raw_start and not raw_end:
        return default
    try:
        end = date.fromisoformat(raw_end) if raw_end else today
        start = date.fromisoformat(raw_start) if raw_start else end - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        error = _("Dates are written as YYYY-MM-DD, e.g. 2026-03-01. Showing the last 30 days.")
        return DateRange(default.start, default.end, error)
    if start > end:
        return DateRange(default.start, default.end, _("The range starts after it ends. Showing the last 30 days."))
    if (end - start).days + 1 > MAX_DAYS:
        error = _("A range can span at most %(days)d days. Showing the last 30 days.") % {"days": MAX_DAYS}
        return DateRange(default.start, default.end, error)
    return DateRange(start=start, end=end)


@dataclass(frozen=True)
class Column:
    label: str
    values: Callable[[date], Decimal]


@dataclass(frozen=True)
class Series:
    """One chart and one CSV: a value per day for each column."""

    slug: str
    title: str
    columns: list[Column]
    chart: str = "line"


def _number(value: Decimal | float | int, places: int = 0) -> str:
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{_number(part * 100 / whole, 1)} %" if whole else "—"


def _money_dimension_label(dimension: str, plans: dict[str, str]) -> str:
    _currency, provider, plan = [*dimension.split(":"), "", ""][:3]
    provider_label = Provider(provider).label if provider in Provider.values else provider
    return f"{plans.get(plan, plan or _('no plan'))} · {provider_label}"


def _source_label(dimension: str) -> str:
    if dimension == INVITE:
        return _("invited by a friend")
    return dimension or _("no source")


def _plan_names() -> dict[str, str]:
    language = "ru" if (get_language() or "").startswith("ru") else "en"
    return {code: name for code, name in Plan.objects.values_list("code", f"name_{language}")}


def series_build(rows: MetricRows, plans: dict[str, str]) -> list[Series]:
    """Every series of the dashboard, in the page's order."""

    def key(name: str, dimension: str = "") -> Callable[[date], Decimal]:
        return lambda day: rows.day(name, day, dimension)

    def ratio(part: str, whole: str) -> Callable[[date], Decimal]:
        def value(day: date) -> Decimal:
            total = rows.day(whole, day)
            return (rows.day(part, day) * 100 / total).quantize(Decimal("0.01")) if total else Decimal(0)

        return value

    def by_currency(name: str, currency: str) -> list[Column]:
        return [
            Column(_money_dimension_label(dimension, plans), key(name, dimension))
            for dimension in rows.dimensions(name)
            if dimension.startswith(f"{currency}:")
        ]

    series = [
        Series(
            "users",
            _("New users"),
            [Column(_("new users"), key("users_new")), Column(_("of them invited"), key("users_invited"))],
            "bar",
        ),
        Series(
            "activity",
            _("Active users"),
            [Column(_("DAU"), key("dau")), Column(_("WAU"), key("wau")), Column(_("MAU"), key("mau"))],
        ),
        Series(
            "funnel",
            _("Onboarding funnel of each day's newcomers"),
            [
                Column(_("started"), key("funnel_started")),
                Column(_("gave a birth date"), key("funnel_birth_date")),
                Column(_("got a first reading"), key("funnel_reading")),
                Column(_("paid"), key("funnel_paid")),
            ],
            "bar",
        ),
        Series(
            "paying",
            _("Paying users"),
            [
                Column(_("paying users, all time"), key("paying_total")),
                Column(_("first payments"), key("paying_new")),
                Column(_("paid that day"), key("paying_users")),
                Column(_("conversion, %"), ratio("paying_total", "users_total")),
            ],
        ),
        Series("revenue_stars", _("Revenue in Telegram Stars"), by_currency("revenue", Currency.XTR), "bar"),
        Series("revenue_rub", _("Revenue in roubles"), by_currency("revenue", Currency.RUB), "bar"),
        Series(
            "refunds",
            _("Refunds"),
            [
                *[
                    Column(_("%(what)s, Stars") % {"what": c.label}, c.values)
                    for c in by_currency("refunds_amount", Currency.XTR)
                ],
                *[
                    Column(_("%(what)s, roubles") % {"what": c.label}, c.values)
                    for c in by_currency("refunds_amount", Currency.RUB)
                ],
                Column(
                    _("refunds"),
                    lambda day: sum((rows.day("refunds", day, d) for d in rows.dimensions("refunds")), Decimal(0)),
                ),
            ],
            "bar",
        ),
        Series(
            "subscriptions",
            _("Stars subscriptions"),
            [
                Column(_("active"), key("subs_active")),
                Column(_("new"), key("subs_new")),
                Column(_("renewals"), key("renewals")),
                Column(_("ended (churn)"), key("subs_ended")),
            ],
        ),
        Series(
            "llm",
            _("LLM spend"),
            [
                Column(_("spend, USD"), key("llm_cost")),
                Column(_("LLM calls"), key("llm_calls")),
                Column(_("average LLM response, ms"), key("llm_latency_ms")),
            ],
        ),
        Series(
            "texts",
            _("Texts written"),
            [
                Column(_("daily horoscopes"), key("horoscopes_written", "daily")),
                Column(_("personal horoscopes"), key("horoscopes_written", "personal")),
                Column(_("tarot interpretations"), key("horoscopes_written", "tarot")),
            ],
            "bar",
        ),
        Series(
            "pushes",
            _("Daily pushes (by the user's local date)"),
            [
                Column(str(status.label), key("pushes", status.value))
                for status in PushStatus
                if status.value in rows.values.get("pushes", {})
                or status in (PushStatus.SENT, PushStatus.BLOCKED, PushStatus.FAILED)
            ],
            "bar",
        ),
        Series(
            "broadcasts",
            _("Broadcasts"),
            [
                Column(_("delivered"), key("broadcast_sent")),
                Column(_("blocked the bot"), key("broadcast_blocked")),
                Column(_("button pressed"), key("broadcast_clicks")),
            ],
            "bar",
        ),
        Series(
            "webhook",
            _("Webhook"),
            [
                Column(_("processing p50, ms"), key("webhook_p50_ms")),
                Column(_("processing p99, ms"), key("webhook_p99_ms")),
                Column(_("updates"), key("updates_total")),
                Column(_("failed updates"), key("updates_failed")),
            ],
        ),
        Series(
            "sources",
            _("New users by source"),
            [Column(_source_label(d), key("source_users", d)) for d in rows.dimensions("source_users")],
            "bar",
        ),
    ]
    return series


def sources_table(rows: MetricRows) -> list[list[str]]:
    """Per source over the range: new users, of them paying, conversion."""
    totals = [
        (rows.total("source_users", dimension), rows.total("source_paying", dimension), dimension)
        for dimension in rows.dimensions("source_users")
    ]
    totals.sort(key=lambda row: (-row[0], row[2]))
    return [
        [_source_label(d), _number(users), _number(paying), _share(paying, users)]
        for users, paying, d in totals
        if users
    ]


def retention_table(rows: MetricRows, today: date) -> list[list[str]]:
    """Weekly cohorts starting in the range: size and rolling D1/D7/D30 retention ("—" until a cohort is old enough)."""
    table = []
    for week in sorted(rows.values.get("cohort_size", {}).get("", {})):
        size = rows.day("cohort_size", week)
        cells = [week.isoformat(), _number(size)]
        for n in RETENTION_DAYS:
            mature = week + timedelta(days=6 + n) < today
            cells.append(_share(rows.day(f"retained_d{n}", week), size) if mature and size else "—")
        table.append(cells)
    return table


def _money(rows: MetricRows, key: str, currency: str) -> Decimal:
    """A money metric of the range in one currency, over every plan and provider (currencies are never added)."""
    return sum((rows.total(key, d) for d in rows.dimensions(key) if d.startswith(f"{currency}:")), Decimal(0))


def cards_build(rows: MetricRows, today: date) -> list[dict[str, str]]:
    """The headline numbers of the range."""
    end = rows.end
    spend = rows.total("llm_cost")
    mau = rows.last("mau")
    paying = rows.last("paying_total")
    users = rows.last("users_total")
    pushes = {
        status: rows.total("pushes", status) for status in (PushStatus.SENT, PushStatus.BLOCKED, PushStatus.FAILED)
    }
    p50 = [
        rows.day("webhook_p50_ms", d)
        for d in rows.values.get("webhook_p50_ms", {}).get("", {})
        if rows.start <= d <= end
    ]
    p99 = [
        rows.day("webhook_p99_ms", d)
        for d in rows.values.get("webhook_p99_ms", {}).get("", {})
        if rows.start <= d <= end
    ]
    cards = [
        (_("New users"), _number(rows.total("users_new")), _("%(total)s in all") % {"total": _number(users)}),
        (
            _("DAU / WAU / MAU"),
            f"{_number(rows.last('dau'))} / {_number(rows.last('wau'))} / {_number(mau)}",
            _("latest day of the range"),
        ),
        (_("Paying users"), _number(paying), _("conversion %(share)s") % {"share": _share(paying, users)}),
        (
            _("Revenue, Stars"),
            f"{_number(_money(rows, 'revenue', Currency.XTR))} ⭐",
            _("refunded %(amount)s ⭐") % {"amount": _number(_money(rows, "refunds_amount", Currency.XTR))},
        ),
        (
            _("Revenue, roubles"),
            f"{_number(_money(rows, 'revenue', Currency.RUB), 2)} ₽",
            _("refunded %(amount)s ₽") % {"amount": _number(_money(rows, "refunds_amount", Currency.RUB), 2)},
        ),
        (
            _("Active subscriptions"),
            _number(rows.last("subs_active")),
            _("%(renewals)s renewals, %(ended)s ended")
            % {"renewals": _number(rows.total("renewals")), "ended": _number(rows.total("subs_ended"))},
        ),
        (
            _("LLM spend"),
            f"${_number(spend, 2)}",
            _("$%(active)s per active user, $%(paying)s per paying user")
            % {
                "active": _number(spend / mau, 4) if mau else "—",
                "paying": _number(spend / paying, 4) if paying else "—",
            },
        ),
        (
            _("Pushes"),
            _number(pushes[PushStatus.SENT]),
            _("%(blocked)s blocked, %(failed)s failed")
            % {"blocked": _number(pushes[PushStatus.BLOCKED]), "failed": _number(pushes[PushStatus.FAILED])},
        ),
        (
            _("Webhook p50 / p99"),
            f"{_number(sorted(p50)[len(p50) // 2]) if p50 else '—'} / {_number(max(p99)) if p99 else '—'} {_('ms')}",
            _("%(failed)s failed updates") % {"failed": _number(rows.total("updates_failed"))},
        ),
    ]
    return [{"title": title, "value": value, "note": note} for title, value, note in cards]


def today_table(rows: MetricRows, today: date) -> list[list[str]]:
    """The seed's table: texts written, API cost and response times of today (as of the last rollup)."""
    written = sum((rows.day("horoscopes_written", today, d) for d in rows.dimensions("horoscopes_written")), Decimal(0))
    return [
        [_("Texts written today"), _number(written)],
        [_("LLM cost today, USD"), _number(rows.day("llm_cost", today), 4)],
        [_("Average LLM response today, ms"), _number(rows.day("llm_latency_ms", today))],
        [
            _("Webhook processing today, p50 / p99, ms"),
            f"{_number(rows.day('webhook_p50_ms', today), 1)} / {_number(rows.day('webhook_p99_ms', today), 1)}",
        ],
    ]


def chart_json(series: Series, days: list[date]) -> tuple[str, str]:
    data = {
        "labels": [day.isoformat() for day in days],
        "datasets": [
            {
                "label": column.label,
                "data": [float(column.values(day)) for day in days],
                "borderColor": COLORS[index % len(COLORS)],
                "backgroundColor": COLORS[index % len(COLORS)],
            }
            for index, column in enumerate(series.columns)
        ],
    }
    options = {
        "animation": False,
        "responsive": True,
        "maintainAspectRatio": False,
        "interaction": {"mode": "index", "intersect": False},
        "plugins": {"legend": {"display": True, "align": "end", "labels": {"boxWidth": 8, "boxHeight": 8}}},
        "scales": {"x": {"grid": {"display": False}}, "y": {"beginAtZero": True, "grid": {}}},
        "datasets": {"line": {"borderWidth": 2, "pointRadius": 0}, "bar": {"borderRadius": 3, "maxBarThickness": 14}},
    }
    return json.dumps(data), json.dumps(options)


def series_csv(series: Series, days: list[date]) -> str:
    """CSV that Russian-locale Excel opens as columns: semicolons, a BOM, ISO dates, decimal commas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("date"), *[column.label for column in series.columns]])
    for day in days:
        writer.writerow([day.isoformat(), *[_csv_number(column.values(day)) for column in series.columns]])
    return buffer.getvalue()


def _csv_number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value else "0"
    return text.replace(".", ",")


def table_csv(headers: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


SOURCE_HEADERS = (gettext_lazy("source"), gettext_lazy("new users"), gettext_lazy("paying"), gettext_lazy("conversion"))
RETENTION_HEADERS = (gettext_lazy("cohort week"), gettext_lazy("users"), "D1", "D7", "D30")


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the page shows for the range in the request."""
    today = local_today()
    chosen = date_range_parse(request.GET, today)
    rows = metric_rows(start=chosen.start, end=chosen.end)
    days = chosen.days
    charts = []
    for series in series_build(rows, _plan_names()):
        data, options = chart_json(series, days)
        charts.append(
            {
                "slug": series.slug,
                "title": series.title,
                "type": series.chart,
                "data": data,
                "options": options,
                "empty": not series.columns,
            }
        )
    return {
        "range": chosen,
        "cards": cards_build(rows, today),
        "charts": charts,
        "today_rows": today_table(rows, today),
        "sources_headers": [str(h) for h in SOURCE_HEADERS],
        "sources_rows": sources_table(rows),
        "retention_headers": [str(h) for h in RETENTION_HEADERS],
        "retention_rows": retention_table(rows, today),
        "computed_at": rows.computed_at,
        "can_refresh": request.user.has_perm(REFRESH_PERMISSION),
        "today": today,
    }


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """Unfold's DASHBOARD_CALLBACK: the dashboard for those allowed to see it, the plain index for others."""
    if request.user.has_perm(VIEW_PERMISSION):
        context["dashboard"] = dashboard_context(request)
        context["title"] = _("Dashboard")
    return context
