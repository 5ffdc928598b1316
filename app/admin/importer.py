"""Read, validate and apply a register file of professionals, periods and activities.

The file layout:

* XLSX: one sheet per kind, named "Professionals", "Periodes" and "Activiteiten",
  each with a header row. Sheets may be left out; other sheets are ignored.
* CSV: one kind per file, recognised by its header row; UTF-8 (with or without
  BOM), separated by ";" or ",".

Everything is validated before anything is written; a clean file is applied in one
transaction, keyed by SEU-nummer, (professional, period start) and (professional,
activity ID-nummer), so that applying the same file twice changes nothing.
"""

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from wtforms.validators import ValidationError

from app import audit
from app.auth.emails import send_set_password
from app.models import Activity, Professional, Register, RegistrationPeriod, db
from app.progress import refresh_earned_points
from app.validators import normalise_email

log = logging.getLogger(__name__)

PROFESSIONALS = "Professionals"
PERIODS = "Periodes"
ACTIVITIES = "Activiteiten"

#: The columns of each kind, in template order; (header, required).
COLUMNS = {
    PROFESSIONALS: [("SEU-nummer", True), ("Naam", True), ("E-mailadres", True)],
    PERIODS: [
        ("SEU-nummer", True),
        ("Startdatum", True),
        ("Einddatum", True),
        ("Norm", False),
        ("Dossier ingediend op", False),
    ],
    ACTIVITIES: [
        ("SEU-nummer", True),
        ("Datum", True),
        ("Categorie", True),
        ("Omschrijving", True),
        ("ID-nummer", True),
        ("Punten", True),
        ("Status", False),
    ],
}
EXAMPLES = {
    PROFESSIONALS: ["123456", "Jan de Vries", "jan.devries@example.nl"],
    PERIODS: ["123456", "31-10-2025", "30-10-2027", "12", ""],
    ACTIVITIES: [
        "123456",
        "14-11-2025",
        "Vakinhoudelijke scholing SEU",
        "Cursus energieprestatie",
        "650123",
        "2,5",
        "Toegevoegd",
    ],
}
DEFAULT_STATUS = "Toegevoegd"
DUTCH_DATE = re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$")
MAX_ROWS = 100_000
MAX_POINTS = Decimal("9999.9")
INTRO = (
    "Uw register heeft een account voor u aangemaakt in PE-inzage. Daarin ziet u "
    "uw PE-dossier en geeft u contactpersonen van uw werkgever inzage."
)


class UnreadableFile(Exception):
    """The upload is not a readable XLSX or CSV file."""


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
class Sheet:
    """The rows of one kind: (row number, {header: cell value})."""

    kind: str
    rows: list[tuple[int, dict]] = field(default_factory=list)
    #: Known column name -> position in the header row.
    header: dict[str, int] = field(default_factory=dict)


@dataclass
class Plan:
    """Validated, typed rows ready to apply."""

    professionals: dict[str, dict] = field(default_factory=dict)
    periods: dict[tuple[str, date], dict] = field(default_factory=dict)
    activities: dict[tuple[str, str], dict] = field(default_factory=dict)


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


# --- reading ---------------------------------------------------------------------


def read_file(filename: str, content: bytes) -> list[Sheet]:
    """Turn an uploaded XLSX or CSV into sheets of rows; raise UnreadableFile."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        return [_read_csv(content)]
    raise UnreadableFile("Kies een bestand van het type .xlsx of .csv.")


def _header_key(value) -> str:
    return " ".join(str(value or "").split()).lower()


def _columns_by_key(kind: str) -> dict[str, str]:
    return {_header_key(name): name for name, _ in COLUMNS[kind]}


def _rows_from(kind: str, header: list, rows) -> Sheet:
    """Map each data row onto the known column names of ``kind``."""
    known = _columns_by_key(kind)
    positions = {}
    for index, cell in enumerate(header):
        name = known.get(_header_key(cell))
        if name and name not in positions:
            positions[name] = index
    sheet = Sheet(kind)
    sheet.header = positions
    for number, values in rows:
        values = list(values)
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        record = {
            name: values[index] if index < len(values) else None
            for name, index in positions.items()
        }
        sheet.rows.append((number, record))
        if len(sheet.rows) > MAX_ROWS:
            raise UnreadableFile(
                f"Blad {kind} heeft meer dan {MAX_ROWS} rijen; splits het bestand."
            )
    return sheet


def _read_xlsx(content: bytes) -> list[Sheet]:
    unreadable = (
        "Dit bestand kan niet als XLSX worden gelezen. Sla het op als "
        "Excel-werkmap (.xlsx) of als CSV."
    )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # any malformed upload is the user's, not a 500
        raise UnreadableFile(unreadable) from exc
    try:
        titles = {_header_key(title): title for title in workbook.sheetnames}
        sheets = []
        for kind in COLUMNS:
            title = titles.get(_header_key(kind))
            if title is None:
                continue
            rows = workbook[title].iter_rows(values_only=True)
            header = next(rows, None) or []
            numbered = ((number, values) for number, values in enumerate(rows, 2))
            sheets.append(_rows_from(kind, list(header), numbered))
    except UnreadableFile:
        raise
    except Exception as exc:  # a broken sheet inside a valid zip
        raise UnreadableFile(unreadable) from exc
    finally:
        workbook.close()
    if not sheets:
        raise UnreadableFile(
            "Het bestand heeft geen blad met de naam Professionals, Periodes of "
            "Activiteiten. Gebruik het sjabloon."
        )
    return sheets


def _read_csv(content: bytes) -> Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "Het CSV-bestand is niet in UTF-8 opgeslagen. Kies bij opslaan 'CSV UTF-8'."
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(rows, None) or []
    keys = {_header_key(cell) for cell in header}
    kind = _guess_kind(keys)
    if kind is None:
        raise UnreadableFile(
            "De kopregel van het CSV-bestand past bij geen van de soorten "
            "(professionals, periodes, activiteiten). Gebruik een sjabloon."
        )
    numbered = ((number, values) for number, values in enumerate(rows, 2))
    return _rows_from(kind, header, numbered)


def _guess_kind(keys: set[str]) -> str | None:
    """The kind whose required columns best match the header row."""
    best, best_score = None, 0
    for kind, columns in COLUMNS.items():
        required = {_header_key(name) for name, needed in columns if needed}
        score = len(required & keys)
        if score == len(required) and score > best_score:
            best, best_score = kind, score
    if best is None and "punten" in keys:
        return ACTIVITIES
    if best is None and "startdatum" in keys:
        return PERIODS
    if best is None and "naam" in keys:
        return PROFESSIONALS
    return best


# --- validating ------------------------------------------------------------------


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
    return plan, problems


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


# --- applying --------------------------------------------------------------------


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


# --- templates -------------------------------------------------------------------


def template_xlsx() -> bytes:
    """An XLSX with one sheet per kind: the header row and one example row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, columns in COLUMNS.items():
        sheet = workbook.create_sheet(kind)
        sheet.append([name for name, _ in columns])
        sheet.append(EXAMPLES[kind])
        for cells in sheet.iter_cols(min_row=1, max_row=2):
            cells[0].font = Font(bold=True)
            for cell in cells:
                cell.number_format = "@"
            width = max(len(str(c.value or "")) for c in cells) + 2
            sheet.column_dimensions[cells[0].column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(kind: str) -> bytes:
    """A CSV (UTF-8 with BOM, ";") with the header row and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS[kind]])
    writer.writerow(EXAMPLES[kind])
    return buffer.getvalue().encode("utf-8-sig")
