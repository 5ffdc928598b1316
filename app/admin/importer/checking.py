"""Check every row of an upload before anything is written."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from wtforms.validators import ValidationError

from app.admin.importer.layout import (
    ACTIVITIES,
    COLUMNS,
    DEFAULT_STATUS,
    DUTCH_DATE,
    MAX_POINTS,
    PERIODS,
    PROFESSIONALS,
)
from app.admin.importer.reading import Sheet
from app.models import Professional, Register, db
from app.validators import normalise_email


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Rij {self.row}")
        if self.column:
            where.append(f"kolom {self.column}")
        prefix = ", ".join(where)
        if prefix:
            prefix = prefix[0].upper() + prefix[1:]
            return f"{prefix}: {self.message}"
        return self.message


@dataclass
class Plan:
    """Validated, typed rows ready to apply."""

    professionals: dict[str, dict] = field(default_factory=dict)
    periods: dict[tuple[str, date], dict] = field(default_factory=dict)
    activities: dict[tuple[str, str], dict] = field(default_factory=dict)


class _Checker:
    """Collects problems for one sheet while parsing its cells."""

    def __init__(self, kind: str, problems: list[Problem]):
        self.kind = kind
        self.problems = problems
        self.row = 0
        self.ok = True

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.kind, self.row, column, message))
        self.ok = False

    def text(self, record, column, required=True, max_length=None) -> str | None:
        value = record.get(column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = "" if value is None else str(value).strip()
        if not value:
            if required:
                self.problem(column, "vul dit veld in.")
            return None
        if max_length and len(value) > max_length:
            self.problem(column, f"te lang, ten hoogste {max_length} tekens.")
            return None
        return value

    def day(self, record, column, required=True) -> date | None:
        value = record.get(column)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.problem(column, "vul een datum in (dd-mm-jjjj).")
            return None
        try:
            if not DUTCH_DATE.match(text):
                raise ValueError(text)
            return datetime.strptime(text, "%d-%m-%Y").date()
        except ValueError:
            self.problem(column, f"'{text}' is geen geldige datum; schrijf dd-mm-jjjj.")
            return None

    def points(self, record, column, required=True) -> Decimal | None:
        value = record.get(column)
        if isinstance(value, bool):
            value = None
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.problem(column, "vul het aantal punten in.")
            return None
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.problem(column, f"'{text}' is geen getal; schrijf bijvoorbeeld 2,5.")
            return None
        if number < 0 or number > MAX_POINTS:
            self.problem(column, f"'{text}' moet tussen 0 en 9999,9 liggen.")
            return None
        if number != number.quantize(Decimal("0.1")):
            self.problem(column, f"'{text}' heeft meer dan één decimaal.")
            return None
        return number.quantize(Decimal("0.1"))


def validate(sheets: list[Sheet], register: Register) -> tuple[Plan, list[Problem]]:
    """Check every row of every sheet; return the plan and all problems found."""
    problems: list[Problem] = []
    plan = Plan()
    by_kind = {sheet.kind: sheet for sheet in sheets}

    for sheet in sheets:
        missing = [
            name
            for name, required in COLUMNS[sheet.kind]
            if required and name not in sheet.header
        ]
        for name in missing:
            problems.append(
                Problem(sheet.kind, 1, name, "deze kolom ontbreekt in de kopregel.")
            )
    if problems:
        return plan, problems

    if PROFESSIONALS in by_kind:
        _validate_professionals(by_kind[PROFESSIONALS], plan, problems)
    known = set(plan.professionals) | _existing_seu_numbers(by_kind)
    if PERIODS in by_kind:
        _validate_periods(by_kind[PERIODS], plan, problems, known, register)
    if ACTIVITIES in by_kind:
        _validate_activities(by_kind[ACTIVITIES], plan, problems, known)
    if not problems and not (plan.professionals or plan.periods or plan.activities):
        problems.append(Problem(sheets[0].kind, None, None, "Het bestand is leeg."))
    problems.sort(key=_reading_order)
    return plan, problems


def _reading_order(problem: Problem) -> tuple[int, int, int]:
    """Sort problems as the file reads: sheet, row, then column."""
    kinds = list(COLUMNS)
    columns = [name for name, _ in COLUMNS[problem.sheet]]
    column = columns.index(problem.column) if problem.column in columns else -1
    return kinds.index(problem.sheet), problem.row or 0, column


def _existing_seu_numbers(by_kind: dict[str, Sheet]) -> set[str]:
    wanted = {
        str(record.get("SEU-nummer") or "").strip()
        for kind in (PERIODS, ACTIVITIES)
        for _, record in getattr(by_kind.get(kind), "rows", [])
    }
    wanted.discard("")
    found = set()
    wanted = sorted(wanted)
    for start in range(0, len(wanted), 500):
        found |= set(
            db.session.scalars(
                select(Professional.seu_nummer).where(
                    Professional.seu_nummer.in_(wanted[start : start + 500])
                )
            )
        )
    return found


def _validate_professionals(sheet: Sheet, plan: Plan, problems: list) -> None:
    check = _Checker(sheet.kind, problems)
    emails_in_file: dict[str, str] = {}
    for number, record in sheet.rows:
        check.row, check.ok = number, True
        seu = check.text(record, "SEU-nummer", max_length=32)
        name = check.text(record, "Naam", max_length=120)
        raw_email = check.text(record, "E-mailadres", max_length=254)
        email = None
        if raw_email:
            try:
                email = normalise_email(raw_email)
            except ValidationError:
                check.problem(
                    "E-mailadres", f"'{raw_email}' is geen geldig e-mailadres."
                )
        if seu and seu in plan.professionals:
            first = plan.professionals[seu]["row"]
            check.problem("SEU-nummer", f"{seu} staat al in rij {first}.")
        if email and email in emails_in_file:
            check.problem(
                "E-mailadres",
                f"{email} staat al bij SEU-nummer {emails_in_file[email]}.",
            )
        if check.ok:
            emails_in_file[email] = seu
            plan.professionals[seu] = {"row": number, "name": name, "email": email}

    # An address may not belong to another professional already in the register.
    taken = _emails_in_use(list(emails_in_file))
    for email, seu in emails_in_file.items():
        owner = taken.get(email)
        if owner is not None and owner != seu:
            problems.append(
                Problem(
                    sheet.kind,
                    plan.professionals[seu]["row"],
                    "E-mailadres",
                    f"{email} hoort al bij SEU-nummer {owner}.",
                )
            )


def _emails_in_use(emails: list[str]) -> dict[str, str]:
    taken = {}
    for start in range(0, len(emails), 500):
        rows = db.session.execute(
            select(Professional.email, Professional.seu_nummer).where(
                Professional.email.in_(emails[start : start + 500])
            )
        )
        taken.update({email: seu for email, seu in rows})
    return taken


def _known_professional(check, seu, known) -> bool:
    if seu and seu not in known:
        check.problem(
            "SEU-nummer",
            f"{seu} is onbekend; zet de professional eerst in het blad Professionals.",
        )
        return False
    return True


def _validate_periods(sheet, plan, problems, known, register) -> None:
    check = _Checker(sheet.kind, problems)
    rows_by_key = {}
    for number, record in sheet.rows:
        check.row, check.ok = number, True
        seu = check.text(record, "SEU-nummer", max_length=32)
        start = check.day(record, "Startdatum")
        end = check.day(record, "Einddatum")
        norm = check.points(record, "Norm", required=False)
        submitted = check.day(record, "Dossier ingediend op", required=False)
        _known_professional(check, seu, known)
        if start and end and end < start:
            check.problem("Einddatum", "de einddatum ligt voor de startdatum.")
        if norm is not None and norm <= 0:
            check.problem("Norm", "de norm moet groter dan 0 zijn.")
        key = (seu, start)
        if seu and start and key in rows_by_key:
            check.problem(
                "Startdatum",
                f"deze periode van {seu} staat al in rij {rows_by_key[key]}.",
            )
        if check.ok:
            rows_by_key[key] = number
            plan.periods[key] = {
                "end_date": end,
                "norm_points": norm if norm is not None else register.norm_points,
                "dossier_submitted_on": submitted,
            }


def _validate_activities(sheet, plan, problems, known) -> None:
    check = _Checker(sheet.kind, problems)
    rows_by_key = {}
    for number, record in sheet.rows:
        check.row, check.ok = number, True
        seu = check.text(record, "SEU-nummer", max_length=32)
        day = check.day(record, "Datum")
        category = check.text(record, "Categorie", max_length=120)
        description = check.text(record, "Omschrijving", max_length=2000)
        external_id = check.text(record, "ID-nummer", max_length=32)
        points = check.points(record, "Punten")
        status = check.text(record, "Status", required=False, max_length=40)
        _known_professional(check, seu, known)
        key = (seu, external_id)
        if seu and external_id and key in rows_by_key:
            check.problem(
                "ID-nummer",
                f"activiteit {external_id} van {seu} staat al in rij "
                f"{rows_by_key[key]}.",
            )
        if check.ok:
            rows_by_key[key] = number
            plan.activities[key] = {
                "activity_date": day,
                "category": category,
                "description": description,
                "points": points,
                "status": status or DEFAULT_STATUS,
            }
