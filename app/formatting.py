"""Dutch formatting of dates, times and points, as Jinja filters."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "nl_NL"
TIMEZONE = ZoneInfo("Europe/Amsterdam")


def datum(value: date | datetime | None) -> str:
    """Format as dd-mm-jjjj."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(TIMEZONE).date()
    return format_date(value, "dd-MM-yyyy", locale=LOCALE)


def datumtijd(value: datetime | None) -> str:
    """Format a UTC moment as Dutch local time, dd-mm-jjjj HH:mm."""
    if value is None:
        return ""
    return format_datetime(value, "dd-MM-yyyy HH:mm", tzinfo=TIMEZONE, locale=LOCALE)


def punten(value: Decimal | int | None) -> str:
    """Format points with a decimal comma and at most one decimal: 12,3 or 8."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.#", locale=LOCALE)


def init_app(app) -> None:
    app.add_template_filter(datum)
    app.add_template_filter(datumtijd)
    app.add_template_filter(punten)
