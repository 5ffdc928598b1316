"""PE progress of a registration period; every view that shows progress uses this.

A period's earned points are the sum of the points of the professional's activities
dated inside the period (both ends inclusive). The sum is stored on the period
(``earned_points``) and refreshed here whenever activities or periods change, so
that lists of thousands of professionals can show and sort on progress without
aggregating activities on every request.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import and_, func, select, update

from app.formatting import punten
from app.models import Activity, RegistrationPeriod, db

DONE = "Voltooid"
TODO = "Te doen"


@dataclass(frozen=True)
class Progress:
    earned: Decimal
    norm: Decimal

    @property
    def complete(self) -> bool:
        return self.earned >= self.norm

    @property
    def status(self) -> str:
        return DONE if self.complete else TODO

    @property
    def percentage(self) -> int:
        """Percentage of the norm, rounded half to even: 12,3 of 12 is 102%."""
        if self.norm <= 0:
            return 100
        exact = self.earned * 100 / self.norm
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    @property
    def bar_value(self) -> int:
        """The percentage capped at 100, for a progress bar."""
        return min(self.percentage, 100)

    def summary(self) -> str:
        """ "8 van 12 · Te doen · 67%"."""
        return (
            f"{punten(self.earned)} van {punten(self.norm)} · {self.status} · "
            f"{self.percentage}%"
        )


def progress_of(period: RegistrationPeriod) -> Progress:
    return Progress(
        earned=Decimal(period.earned_points or 0), norm=Decimal(period.norm_points)
    )


def sum_points(activities, period: RegistrationPeriod) -> Decimal:
    """Sum the points of the activities that fall inside ``period``."""
    return sum(
        (Decimal(a.points) for a in activities if period.contains(a.activity_date)),
        Decimal("0"),
    )


def current_period(periods, day: date) -> RegistrationPeriod | None:
    """The period containing ``day``; else the latest that started before it."""
    started = [p for p in periods if p.start_date <= day]
    for period in started:
        if period.contains(day):
            return period
    return max(started, key=lambda p: p.start_date, default=None)


def percentage_expression():
    """SQL for sorting on progress, matching ``Progress.percentage`` in order."""
    return (
        RegistrationPeriod.earned_points
        * 100
        / func.nullif(RegistrationPeriod.norm_points, 0)
    )


def refresh_earned_points(professional_ids=None) -> None:
    """Recompute the stored points of the periods of these professionals (or all)."""
    total = (
        select(func.coalesce(func.sum(Activity.points), 0))
        .where(
            and_(
                Activity.professional_id == RegistrationPeriod.professional_id,
                Activity.activity_date >= RegistrationPeriod.start_date,
                Activity.activity_date <= RegistrationPeriod.end_date,
            )
        )
        .scalar_subquery()
    )
    statement = update(RegistrationPeriod).values(earned_points=total)
    if professional_ids is not None:
        ids = list(professional_ids)
        if not ids:
            return
        statement = statement.where(RegistrationPeriod.professional_id.in_(ids))
    db.session.execute(statement.execution_options(synchronize_session=False))
