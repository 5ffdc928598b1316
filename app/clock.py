"""The register works in Dutch days: "today" is today in Amsterdam."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    return datetime.now(TIMEZONE).date()
