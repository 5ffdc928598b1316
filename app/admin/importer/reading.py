"""Turn an uploaded XLSX or CSV into rows per kind; no database access."""

import csv
import io
from dataclasses import dataclass, field

from openpyxl import load_workbook

from app.admin.importer.layout import (
    ACTIVITIES,
    COLUMNS,
    MAX_ROWS,
    PERIODS,
    PROFESSIONALS,
)


class UnreadableFile(Exception):
    """The upload is not a readable XLSX or CSV file."""


@dataclass
class Sheet:
    """The rows of one kind: (row number, {header: cell value})."""

    kind: str
    rows: list[tuple[int, dict]] = field(default_factory=list)
    #: Known column name -> position in the header row.
    header: dict[str, int] = field(default_factory=dict)


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
