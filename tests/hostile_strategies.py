"""Hypothesis strategies for hostile input: what a browser, a script or an attacker
may put in a form field, a query parameter or a path segment."""

import csv
import io
from datetime import date

from hypothesis import strategies as st

from app.admin.importer import COLUMNS
from app.admin.importer.layout import template_xlsx

#: Markup, template and injection attempts that must come back as plain text.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" hx-get="/logout" hx-trigger="load',
    "' hx-post='/logout' hx-trigger='load",
    "{{7*7}}",
    "{% raw %}{{ config }}{% endraw %}",
    "${7*7}",
    "' OR '1'='1' --",
    "'; DROP TABLE contact; --",
    "%00",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "\u202eRTL override\u202c",
    "\u200f\u0645\u0631\u062d\u0628\u0627\u200e",
    "\ufeffBOM",
    "a\u0000b",
    "\r\nSet-Cookie: x=1",
    '=HYPERLINK("http://x.test","klik")',
    "+SUM(1+1)",
    "@cmd",
    "-1+1",
    "",
    " ",
    "\t",
]

#: Names and words from scripts other than Latin, with emoji and direction marks.
MIXED_SCRIPTS = [
    "محمد العلي",
    "王小明",
    "佐藤 花子",
    "Ελένη Παπαδοπούλου",
    "Иван Петров",
    "שרה כהן",
    "José Ñúñez-Ødegård",
    "👩🏽‍⚕️ Zorg 🏥",
    "\u200f\u05e9\u05dc\u05d5\u05dd\u200e abc",
    "e\u0301\u0301\u0301 Zalgo\u0336\u0336",
    "\U0001f600" * 40,
]

#: Every code point that can be encoded in UTF-8, control characters and NUL
#: included; lone surrogates cannot travel over HTTP and are left out.
ENCODABLE = st.characters(exclude_categories=("Cs",))

any_text = st.text(ENCODABLE, max_size=300)


def long_text(min_size: int = 10_000, max_size: int = 20_000):
    """Very long values, built by repeating a short piece (cheap to generate)."""
    return st.builds(
        lambda piece, size: (piece * (size // len(piece) + 1))[:size],
        st.text(ENCODABLE, min_size=1, max_size=8),
        st.integers(min_size, max_size),
    )


#: Text with a control character in it (NUL the nastiest: PostgreSQL refuses it).
with_control = st.builds(
    lambda before, control, after: before + control + after,
    any_text,
    st.sampled_from(["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\r", "\u2028"]),
    any_text,
)

hostile_text = st.one_of(
    any_text,
    with_control,
    st.sampled_from(PAYLOADS),
    st.sampled_from(MIXED_SCRIPTS),
    st.lists(st.sampled_from(PAYLOADS + MIXED_SCRIPTS), min_size=2, max_size=4).map(
        " ".join
    ),
    long_text(),
)

#: Integers of every size: negative, zero, beyond 32 and 64 bits.
any_int = st.one_of(
    st.integers(-(2**31), 2**31),
    st.integers(-(2**80), 2**80),
    st.sampled_from(
        [0, -1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30]
    ),
)

#: Numbers at the edges of what databases store: 32 and 64 bits, and beyond.
EDGE_INTS = [0, -1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**40]

hostile_int = st.one_of(
    st.sampled_from(EDGE_INTS).map(str),
    any_int.map(str),
    st.sampled_from(["1.5", "1e9", "0x10", "١٢", "１２", " 7 ", "NaN", "inf", "-0"]),
    hostile_text,
)


def _dutch(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))

hostile_date = st.one_of(
    any_date.map(_dutch),
    any_date.map(date.isoformat),
    st.sampled_from(
        [
            "31-02-2025",
            "29-02-2023",
            "00-00-0000",
            "32-13-2025",
            "2025-13-45",
            "01-01-99999",
            "99999-01-01",
            "-0001-01-01",
            "1-1-1",
            "01/01/2030",
            "morgen",
            "٠١-٠١-٢٠٣٠",
            "2030-01-01T00:00:00",
        ]
    ),
    hostile_text,
)


def hostile_choice(valid: list[str]):
    """A choice field: a valid option now and then, mostly something else."""
    options = [st.sampled_from(valid)] if valid else []
    return st.one_of(*options, hostile_int, hostile_text)


def hostile_id(known: list[int]):
    """Ids of real objects (often somebody else's), and ids that do not exist."""
    options = [st.sampled_from(known).map(str)] if known else []
    return st.one_of(*options, hostile_int)


def _csv(kind: str, rows: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([name for name, _ in COLUMNS[kind]])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


#: A cell of an uploaded sheet: hostile text, or something that nearly fits.
upload_cell = st.one_of(
    st.text(ENCODABLE, max_size=40),
    st.sampled_from(PAYLOADS + MIXED_SCRIPTS),
    hostile_date,
    hostile_int,
    st.sampled_from(["123456", "2,5", "-1", "99999", "1e400", "31-10-2025"]),
)

#: Uploaded files: CSVs of every kind with hostile cells, random bytes, broken
#: spreadsheets, and names that lie about their type.
upload = st.tuples(
    st.one_of(
        st.builds(
            _csv,
            st.sampled_from(sorted(COLUMNS)),
            st.lists(st.lists(upload_cell, min_size=0, max_size=8), max_size=4),
            st.sampled_from([";", ","]),
        ),
        st.binary(max_size=2000),
        st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail),
        st.just(template_xlsx()),
        st.builds(lambda cut: template_xlsx()[:cut], st.integers(0, 3000)),
    ),
    st.one_of(
        st.sampled_from(["gegevens.csv", "gegevens.xlsx", "gegevens.txt", "x.pdf", ""]),
        # Browsers send no control characters in a file name.
        st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=200).map(
            lambda name: name + ".csv"
        ),
    ),
)

#: Values tried in every field of a kind before hypothesis explores on its own.
EDGES = {
    # 13,000 emoji are 52,000 bytes: beyond SQLite's longest LIKE pattern.
    "text": ["a\x00b", "x" * 10_001, "\U0001f600" * 13_000, PAYLOADS[0]],
    "email": ["a\x00@b.nl", "x" * 10_001 + "@b.nl"],
    "date": ["31-12-9999", "01-01-0001", "99999-01-01", "31-02-2025"],
    # "²" passes str.isdigit() and fails int(); "١٢" is twelve in Arabic digits.
    # 10,000 digits: more than int() reads from a string (4,300).
    "int": [str(n) for n in EDGE_INTS] + ["²", "١٢", "9" * 10_000],
    "id": [str(n) for n in EDGE_INTS] + ["²", "١٢", "9" * 10_000],
    "choice": ["x" * 10_001, "2147483648"],
}

#: Strategy per kind of field, as the form tables in the tests name them.
BY_KIND = {
    "text": hostile_text,
    "email": st.one_of(
        hostile_text,
        st.emails().map(str),
        st.sampled_from(
            ["a@b", "@x.nl", "a@@b.nl", "a b@c.nl", "ü@ß.de", "x@[1.2.3.4]"]
        ),
    ),
    "password": hostile_text,
    "date": hostile_date,
    "int": hostile_int,
    "checkbox": st.sampled_from(["y", "on", "", "0", "false", "<b>", "\x00"]),
    "postcode": st.one_of(
        hostile_text, st.sampled_from(["1234 AB", "1234ab", " 0123 XY", "1234 ÄB"])
    ),
    "file": upload,
}
