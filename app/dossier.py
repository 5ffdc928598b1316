"""A professional's PE dossier as shown to the professional and to employer contacts."""

from dataclasses import dataclass

from sqlalchemy import select

from app.clock import today
from app.models import Activity, Professional, RegistrationPeriod, db
from app.progress import Progress, current_period, progress_of


@dataclass(frozen=True)
class PeriodRow:
    period: RegistrationPeriod
    progress: Progress
    is_current: bool


@dataclass(frozen=True)
class Dossier:
    professional: Professional
    periods: list[PeriodRow]
    activities: list[Activity]


def load_dossier(professional: Professional) -> Dossier:
    """Load periods (newest first) and activities (newest first) in two queries."""
    periods = db.session.scalars(
        select(RegistrationPeriod)
        .where(RegistrationPeriod.professional_id == professional.id)
        .order_by(RegistrationPeriod.start_date.desc())
    ).all()
    activities = db.session.scalars(
        select(Activity)
        .where(Activity.professional_id == professional.id)
        .order_by(Activity.activity_date.desc(), Activity.id.desc())
    ).all()
    current = current_period(periods, today())
    rows = [PeriodRow(p, progress_of(p), p is current) for p in periods]
    return Dossier(professional=professional, periods=rows, activities=list(activities))
