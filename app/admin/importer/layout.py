"""The file layout: kinds, their columns, and the templates to fill in."""

import csv
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

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
