"""Apply a checked upload in one transaction, keyed so that a second run is a no-op."""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from app import audit
from app.admin.importer.checking import Plan
from app.admin.importer.layout import ACTIVITIES, INTRO, PERIODS, PROFESSIONALS
from app.auth.emails import send_set_password
from app.models import Activity, Professional, Register, RegistrationPeriod, db
from app.progress import refresh_earned_points

log = logging.getLogger(__name__)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Summary:
    professionals: Counts = field(default_factory=Counts)
    periods: Counts = field(default_factory=Counts)
    activities: Counts = field(default_factory=Counts)

    @property
    def changed(self) -> bool:
        return any(
            c.created or c.updated
            for c in (self.professionals, self.periods, self.activities)
        )


def _update(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if value is None and name == "dossier_submitted_on":
            continue  # an empty cell keeps a date staff have set
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def apply(plan: Plan, register: Register, *, actor) -> Summary:
    """Write a validated plan in one transaction and commit it."""
    summary = Summary()
    seu_numbers = (
        set(plan.professionals)
        | {seu for seu, _ in plan.periods}
        | {seu for seu, _ in plan.activities}
    )
    professionals = _professionals_by_seu(seu_numbers)
    touched: set[int] = set()
    new_accounts = []

    for seu, values in plan.professionals.items():
        professional = professionals.get(seu)
        fields = {"name": values["name"], "email": values["email"]}
        if professional is None:
            professional = Professional(
                register_id=register.id, seu_nummer=seu, **fields
            )
            db.session.add(professional)
            professionals[seu] = professional
            new_accounts.append(professional)
            summary.professionals.created += 1
        elif _update(professional, fields):
            summary.professionals.updated += 1
        else:
            summary.professionals.unchanged += 1
    db.session.flush()

    ids = [p.id for p in professionals.values()]
    periods = {
        (p.professional_id, p.start_date): p
        for p in _in_chunks(RegistrationPeriod, RegistrationPeriod.professional_id, ids)
    }
    for (seu, start), values in plan.periods.items():
        professional = professionals[seu]
        period = periods.get((professional.id, start))
        if period is None:
            values = {**values, "earned_points": Decimal("0")}
            db.session.add(
                RegistrationPeriod(
                    professional_id=professional.id, start_date=start, **values
                )
            )
            summary.periods.created += 1
            touched.add(professional.id)
        elif _update(period, values):
            summary.periods.updated += 1
            touched.add(professional.id)
        else:
            summary.periods.unchanged += 1

    activities = {
        (a.professional_id, a.external_id): a
        for a in _in_chunks(Activity, Activity.professional_id, ids)
    }
    for (seu, external_id), values in plan.activities.items():
        professional = professionals[seu]
        activity = activities.get((professional.id, external_id))
        if activity is None:
            db.session.add(
                Activity(
                    professional_id=professional.id, external_id=external_id, **values
                )
            )
            summary.activities.created += 1
            touched.add(professional.id)
        elif _update(activity, values):
            summary.activities.updated += 1
            touched.add(professional.id)
        else:
            summary.activities.unchanged += 1
    db.session.flush()

    refresh_earned_points(touched)
    for professional in new_accounts:
        # TODO: a very large first import sends its mails inside the request;
        # move sending to a worker when imports reach thousands of new accounts.
        send_set_password(professional, INTRO)
    if summary.changed:
        audit.record(
            "import.applied",
            actor=actor,
            professionals=vars(summary.professionals),
            periods=vars(summary.periods),
            activities=vars(summary.activities),
        )
    db.session.commit()
    log.info("import by staff %s applied", actor.id)
    return summary


def _professionals_by_seu(seu_numbers: set[str]) -> dict[str, Professional]:
    wanted = sorted(seu_numbers)
    found = {}
    for start in range(0, len(wanted), 500):
        for professional in db.session.scalars(
            select(Professional).where(
                Professional.seu_nummer.in_(wanted[start : start + 500])
            )
        ):
            found[professional.seu_nummer] = professional
    return found


def _in_chunks(model, column, ids: list[int]) -> list:
    rows = []
    for start in range(0, len(ids), 500):
        rows += db.session.scalars(
            select(model).where(column.in_(ids[start : start + 500]))
        ).all()
    return rows


def count_rows() -> dict[str, int]:
    """How many professionals, periods and activities the register holds."""
    return {
        PROFESSIONALS: db.session.scalar(select(func.count(Professional.id))),
        PERIODS: db.session.scalar(select(func.count(RegistrationPeriod.id))),
        ACTIVITIES: db.session.scalar(select(func.count(Activity.id))),
    }
