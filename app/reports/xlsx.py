"""The employer report as an XLSX workbook: rows -> bytes, written in constant memory.

Every text value goes in as a string cell (never a formula). Text that a spreadsheet
would read as the start of a formula when edited (= + - @) carries Excel's quote
prefix, and control characters are removed.
"""

import io
import re
from collections.abc import Iterable

import xlsxwriter

from app.reports.query import COLUMNS, ReportHeader, ReportRow

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\t\r\n]+")
FORMULA_STARTS = ("=", "+", "-", "@")
WIDTHS = (30, 13, 16, 30, 18, 12, 12, 9, 10, 34)
SHEET_NAME = "Rapport"


def clean_text(value) -> str:
    """Remove control characters and outer spaces; tabs and breaks become spaces."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text.strip()
    return _CONTROL.sub("", _BREAKS.sub(" ", text)).strip()


def build_xlsx(header: ReportHeader, rows: Iterable[ReportRow]) -> bytes:
    """Write the header lines and the table; return the workbook's bytes."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(SHEET_NAME)
    title = workbook.add_format({"bold": True, "font_size": 14})
    bold = workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EEF4"})
    text = workbook.add_format({})
    quoted = workbook.add_format({"quote_prefix": True})
    day = workbook.add_format({"num_format": "dd-mm-yyyy"})
    points = workbook.add_format({"num_format": "0.0"})
    number = workbook.add_format({"num_format": "0"})

    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)

    def write_text(row_index, column, value):
        value = clean_text(value)
        style = quoted if value.startswith(FORMULA_STARTS) else text
        sheet.write_string(row_index, column, value, style)

    lines = header.lines()
    sheet.write_string(0, 0, clean_text(lines[0]), title)
    for index, line in enumerate(lines[1:], start=1):
        write_text(index, 0, line)
    header_row = len(lines) + 1
    for column, label in enumerate(COLUMNS):
        sheet.write_string(header_row, column, label, bold)
    sheet.freeze_panes(header_row + 1, 0)

    row_index = header_row
    for row in rows:
        row_index += 1
        write_text(row_index, 0, row.name)
        write_text(row_index, 1, row.seu_nummer)
        if row.werkgevernummer is None:
            sheet.write_blank(row_index, 2, None)
        else:
            sheet.write_number(row_index, 2, row.werkgevernummer, number)
        write_text(row_index, 3, row.werkgever)
        write_text(row_index, 4, row.registratie)
        for column, value in ((5, row.start_date), (6, row.end_date)):
            if value is None:
                sheet.write_blank(row_index, column, None)
            else:
                sheet.write_datetime(row_index, column, value, day)
        if row.points is None:
            sheet.write_blank(row_index, 7, None)
        else:
            sheet.write_number(row_index, 7, float(row.points), points)
        write_text(row_index, 8, row.status)
        write_text(row_index, 9, row.other)

    sheet.autofilter(header_row, 0, max(row_index, header_row), len(COLUMNS) - 1)
    workbook.close()
    return output.getvalue()
