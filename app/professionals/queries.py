"""The professionals list of a contact: one count and one page query, any size."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from math import ceil

from sqlalchemy import Date, bindparam, func, select

from app.clock import today
from app.models import Contact, Professional, RegistrationPeriod, db
from app.models.base import MAX_PAGE
from app.policy import visible_professional_ids, visible_to_contact
from app.progress import Progress, percentage_expression
from app.reports.query import current_period_id
from app.search import ESCAPE, like_pattern
from app.validators import parse_number

#: See ``_visibility``.
WALK_NAME_INDEX_FROM = 1000
SORTS = {"naam": "Naam", "voortgang": "Voortgang (laagste eerst)"}


@dataclass(frozen=True)
class ProfessionalSearch:
    professional: str = ""
    seu: str = ""
    email: str = ""
    actief: bool = False
    sort: str = "naam"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ProfessionalSearch":
        page = args.get("page", "1")
        sort = args.get("sort", "naam")
        return cls(
            professional=args.get("professional", "").strip()[:120],
            seu=args.get("seu", "").strip()[:32],
            email=args.get("email", "").strip()[:254],
            actief=args.get("actief") == "1",
            sort=sort if sort in SORTS else "naam",
            page=parse_number(page, MAX_PAGE) or 1,
        )

    def as_args(self) -> dict:
        """The filters as query-string arguments, without the page."""
        args = {
            "professional": self.professional,
            "seu": self.seu,
            "email": self.email,
            "actief": "1" if self.actief else "",
            "sort": "" if self.sort == "naam" else self.sort,
        }
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class ListRow:
    id: int
    name: str
    seu_nummer: str
    email: str
    start_date: date | None
    end_date: date | None
    progress: Progress | None


@dataclass(frozen=True)
class ResultPage:
    rows: list[ListRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass(frozen=True)
class _Shape:
    """What decides the form of the SQL; the values are bound per request."""

    professional: bool
    seu: bool
    email: bool
    actief: bool
    by_progress: bool
    walk: bool

    @classmethod
    def of(cls, search: ProfessionalSearch, total: int = 0) -> "_Shape":
        text_filter = bool(search.professional or search.seu or search.email)
        return cls(
            professional=bool(search.professional),
            seu=bool(search.seu),
            email=bool(search.email),
            actief=search.actief,
            by_progress=search.sort == "voortgang",
            # For a first name-sorted page out of many, walking the name index and
            # checking each professional (EXISTS) stops after a page; otherwise
            # start from the contact's inzage (IN) and sort what is found.
            walk=total >= WALK_NAME_INDEX_FROM
            and search.sort == "naam"
            and search.page <= 20
            and not text_filter,
        )


class _Bound:
    """Stands in for the contact in the policy's conditions: its id is bound later."""

    id = bindparam("contact_id")


_DAY = bindparam("day", type_=Date)


def _like(column, name: str):
    return func.lower(column).like(func.lower(bindparam(name)), escape=ESCAPE)


def _filtered(statement, shape: _Shape):
    if shape.walk:
        statement = statement.where(visible_to_contact(_Bound, _DAY))
    else:
        statement = statement.where(
            Professional.id.in_(visible_professional_ids(_Bound, _DAY))
        )
    if shape.professional:
        statement = statement.where(_like(Professional.name, "professional"))
    if shape.seu:
        statement = statement.where(_like(Professional.seu_nummer, "seu"))
    if shape.email:
        statement = statement.where(_like(Professional.email, "email"))
    if shape.actief:
        statement = statement.where(RegistrationPeriod.end_date >= _DAY)
    return statement


@lru_cache(maxsize=128)
def _count_statement(shape: _Shape):
    if not (shape.professional or shape.seu or shape.email or shape.actief):
        # One live inzage per contact and professional: count the inzage alone.
        visible = visible_professional_ids(_Bound, _DAY).subquery()
        return select(func.count()).select_from(visible)
    joined = select(Professional.id).select_from(Professional)
    if shape.actief:
        joined = joined.join(
            RegistrationPeriod, RegistrationPeriod.id == current_period_id(_DAY)
        )
    return select(func.count()).select_from(_filtered(joined, shape).subquery())


@lru_cache(maxsize=128)
def _page_statement(shape: _Shape):
    # Pick the page's ids first, joining the current period only when the filter
    # or the sort needs it, so that the full row is built for one page only.
    ordering = [Professional.name, Professional.id]
    if shape.by_progress:
        ordering.insert(0, percentage_expression().asc().nulls_last())
    page_ids = select(Professional.id).select_from(Professional)
    if shape.actief or shape.by_progress:
        page_ids = page_ids.outerjoin(
            RegistrationPeriod, RegistrationPeriod.id == current_period_id(_DAY)
        )
    page_ids = (
        _filtered(page_ids, shape)
        .order_by(*ordering)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return (
        select(
            Professional.id,
            Professional.name,
            Professional.seu_nummer,
            Professional.email,
            RegistrationPeriod.start_date,
            RegistrationPeriod.end_date,
            RegistrationPeriod.earned_points,
            RegistrationPeriod.norm_points,
        )
        .outerjoin(RegistrationPeriod, RegistrationPeriod.id == current_period_id(_DAY))
        .where(Professional.id.in_(page_ids))
        .order_by(*ordering)
    )


def search_professionals(
    contact: Contact, search: ProfessionalSearch, per_page: int
) -> ResultPage:
    """The page of professionals ``contact`` may see today, with the total count.

    The statements are built once per search shape and cached, values bound.
    """
    values = {
        "contact_id": contact.id,
        "day": today(),
        "professional": like_pattern(search.professional),
        "seu": like_pattern(search.seu),
        "email": like_pattern(search.email),
    }
    total = db.session.scalar(_count_statement(_Shape.of(search)), values)
    page = min(search.page, max(1, ceil(total / per_page)))
    values.update(limit=per_page, offset=(page - 1) * per_page)
    statement = _page_statement(_Shape.of(search, total))

    rows = [
        ListRow(
            id=row.id,
            name=row.name,
            seu_nummer=row.seu_nummer,
            email=row.email,
            start_date=row.start_date,
            end_date=row.end_date,
            progress=None
            if row.norm_points is None
            else Progress(Decimal(row.earned_points), Decimal(row.norm_points)),
        )
        for row in db.session.execute(statement, values)
    ]
    return ResultPage(rows=rows, total=total, page=page, per_page=per_page)
