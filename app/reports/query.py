"""The rows of the employer report and the current-period join shared with lists."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import and_, func, select

from app.formatting import datum, datumtijd
from app.models import Organisation, Professional, Register, RegistrationPeriod, db
from app.policy import member_ids_of_organisation
from app.progress import DONE, TODO, Progress
from app.validators import parse_number

STATUSES = (DONE, TODO)
MONTH_CHOICES = (1, 3, 6, 12)
#: Beyond a century the filter means nothing, and dates run out of years.
MAX_MONTHS = 1200


def current_period_id(day: date):
    """Correlated SQL for the id of a professional's current period on ``day``.

    As ``app.progress.current_period``: periods do not overlap, so the latest
    period that started on or before ``day`` is the one containing it, or else
    the latest one before it.
    """
    return (
        select(RegistrationPeriod.id)
        .where(
            RegistrationPeriod.professional_id == Professional.id,
            RegistrationPeriod.start_date <= day,
        )
        .order_by(RegistrationPeriod.start_date.desc())
        .limit(1)
        .correlate(Professional)
        .scalar_subquery()
    )


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clipped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class ReportFilters:
    #: "" for every status, else Voltooid or Te doen.
    status: str = ""
    #: Only periods ending within this many months from today.
    months: int | None = None

    @classmethod
    def from_args(cls, args) -> "ReportFilters":
        status = args.get("status", "")
        months = args.get("maanden", "")
        return cls(
            status=status if status in STATUSES else "",
            months=parse_number(months, MAX_MONTHS),
        )

    def as_args(self) -> dict:
        args = {}
        if self.status:
            args["status"] = self.status
        if self.months:
            args["maanden"] = self.months
        return args

    def describe(self) -> str:
        parts = []
        if self.status:
            parts.append(f"status {self.status}")
        if self.months:
            parts.append(f"periode eindigt binnen {self.months} maanden")
        return ", ".join(parts) or "geen"


class ReportRow(NamedTuple):
    name: str
    seu_nummer: str
    werkgevernummer: int | None
    werkgever: str
    registratie: str
    start_date: date | None
    end_date: date | None
    points: Decimal | None
    status: str
    other: str


COLUMNS = (
    "Naam werknemer",
    "SEU-nummer",
    "Werkgevernummer",
    "Naam werkgever",
    "Registratie",
    "Startdatum",
    "Einddatum",
    "Punten",
    "Status",
    "Overige informatie",
)


@dataclass(frozen=True)
class ReportHeader:
    title: str
    register: str
    werkgevernummer: int | None
    organisation: str
    made_at: datetime
    made_by: str
    filters: str

    def lines(self) -> list[str]:
        """The lines above the table, in the order every format shows them."""
        return [
            self.title,
            f"Register: {self.register}",
            f"Werkgever: {self.werkgevernummer or ''} {self.organisation}".rstrip(),
            f"Gemaakt op {datumtijd(self.made_at)} door {self.made_by}",
            f"Filters: {self.filters}",
        ]


TITLE = "Werkgevers rapport - Geregistreerde werknemers"


def make_header(organisation: Organisation, made_by: str, filters, made_at):
    return ReportHeader(
        title=TITLE,
        register=organisation.register.name,
        werkgevernummer=organisation.werkgevernummer,
        organisation=organisation.name,
        made_at=made_at,
        made_by=made_by,
        filters=filters.describe(),
    )


def _filtered(statement, day: date, filters: ReportFilters):
    if filters.status == DONE:
        statement = statement.where(
            RegistrationPeriod.earned_points >= RegistrationPeriod.norm_points
        )
    elif filters.status == TODO:
        statement = statement.where(
            RegistrationPeriod.earned_points < RegistrationPeriod.norm_points
        )
    if filters.months:
        statement = statement.where(
            and_(
                RegistrationPeriod.end_date >= day,
                RegistrationPeriod.end_date <= add_months(day, filters.months),
            )
        )
    return statement


def report_statement(organisation_id: int, day: date, filters: ReportFilters):
    """Select the report columns of every PE-medewerker, sorted by name."""
    statement = (
        select(
            Professional.name,
            Professional.seu_nummer,
            Register.name,
            RegistrationPeriod.start_date,
            RegistrationPeriod.end_date,
            RegistrationPeriod.earned_points,
            RegistrationPeriod.norm_points,
            RegistrationPeriod.dossier_submitted_on,
        )
        .join(Register, Register.id == Professional.register_id)
        .outerjoin(RegistrationPeriod, RegistrationPeriod.id == current_period_id(day))
        .where(Professional.id.in_(member_ids_of_organisation(organisation_id, day)))
        .order_by(Professional.name, Professional.id)
    )
    return _filtered(statement, day, filters)


def count_rows(organisation_id: int, day: date, filters: ReportFilters) -> int:
    statement = report_statement(organisation_id, day, filters).order_by(None)
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def _other_information(day, end_date, submitted_on) -> str:
    if end_date is None:
        return "Geen registratieperiode"
    if submitted_on is not None:
        return f"Dossier ingediend op {datum(submitted_on)}"
    if end_date < day:
        return f"Periode verlopen op {datum(end_date)}"
    return ""


def report_rows(
    organisation: Organisation,
    day: date,
    filters: ReportFilters,
    limit: int | None = None,
    offset: int = 0,
) -> list[ReportRow]:
    """The report rows of ``organisation`` on ``day``, in one query."""
    statement = report_statement(organisation.id, day, filters)
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    rows = []
    for name, seu, register, start, end, earned, norm, submitted in db.session.execute(
        statement
    ):
        status = "" if norm is None else Progress(Decimal(earned), Decimal(norm)).status
        rows.append(
            ReportRow(
                name=name,
                seu_nummer=seu,
                werkgevernummer=organisation.werkgevernummer,
                werkgever=organisation.name,
                registratie=register,
                start_date=start,
                end_date=end,
                points=None if earned is None else Decimal(earned),
                status=status,
                other=_other_information(day, end, submitted),
            )
        )
    return rows
