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

from app.admin.importer.applying import Counts, Summary, apply, count_rows
from app.admin.importer.checking import Plan, Problem, validate
from app.admin.importer.layout import (
    ACTIVITIES,
    COLUMNS,
    INTRO,
    PERIODS,
    PROFESSIONALS,
    template_csv,
    template_xlsx,
)
from app.admin.importer.reading import Sheet, UnreadableFile, read_file

__all__ = [
    "ACTIVITIES",
    "COLUMNS",
    "INTRO",
    "PERIODS",
    "PROFESSIONALS",
    "Counts",
    "Plan",
    "Problem",
    "Sheet",
    "Summary",
    "UnreadableFile",
    "apply",
    "count_rows",
    "read_file",
    "template_csv",
    "template_xlsx",
    "validate",
]
