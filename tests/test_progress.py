"""Progress of a registration period at its edges."""

from datetime import date
from decimal import Decimal

import pytest

from app.models import RegistrationPeriod, db
from app.progress import Progress, current_period, refresh_earned_points


@pytest.mark.parametrize(
    "earned, norm, summary",
    [
        ("8", "12", "8 van 12 · Te doen · 67%"),
        ("12.3", "12", "12,3 van 12 · Voltooid · 102%"),
        ("12", "12", "12 van 12 · Voltooid · 100%"),
        ("0", "12", "0 van 12 · Te doen · 0%"),
        ("11.9", "12", "11,9 van 12 · Te doen · 99%"),
        ("0.8", "12", "0,8 van 12 · Te doen · 7%"),
    ],
)
def test_summary_reads_as_in_the_register(earned, norm, summary):
    assert Progress(Decimal(earned), Decimal(norm)).summary() == summary


def test_points_count_in_the_period_that_contains_their_date(app, factory):
    professional = factory.professional()
    period = factory.period(professional, start=date(2025, 10, 31))
    factory.period(professional, start=date(2023, 10, 31))
    factory.activity(professional, date(2025, 10, 31), points="0.5")  # first day
    factory.activity(professional, date(2027, 10, 30), points="0.3")  # last day
    factory.activity(professional, date(2025, 10, 30), points="4")  # day before
    factory.activity(professional, date(2027, 10, 31), points="4")  # day after

    with app.app_context():
        refresh_earned_points([professional.id])
        db.session.commit()
        stored = db.session.get(RegistrationPeriod, period.id)
        assert stored.earned_points == Decimal("0.8")


def test_current_period_is_the_one_containing_today():
    older = RegistrationPeriod(
        start_date=date(2023, 10, 31), end_date=date(2025, 10, 30)
    )
    newer = RegistrationPeriod(
        start_date=date(2025, 10, 31), end_date=date(2027, 10, 30)
    )

    assert current_period([newer, older], date(2025, 10, 31)) is newer
    assert current_period([newer, older], date(2025, 10, 30)) is older
    assert current_period([newer, older], date(2028, 1, 1)) is newer
    assert current_period([newer, older], date(2020, 1, 1)) is None
