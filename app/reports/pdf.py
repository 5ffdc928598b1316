"""The employer report as a PDF: rows -> bytes, rendered in parallel page chunks.

Every row is one line of fixed-width text (a cell per table cell costs WeasyPrint
about 1.5 ms; a line of the whole row a tenth of that), so rows never wrap and the
pages are cut here, not by the layout engine: each page is its own block with the
header, a fixed number of rows and "pagina X van Y". Chunks of pages render in
worker processes (WeasyPrint is single-threaded and keeps the whole layout in
memory) and pypdf joins them.
WeasyPrint may fetch only the application's own static files.
"""

import io
import mimetypes
import multiprocessing
import resource
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from app.formatting import punten
from app.reports.query import COLUMNS, ReportHeader, ReportRow

ROWS_PER_PAGE = 32
CHUNK_PAGES = 20
WORKERS = 2
TIME_LIMIT_SECONDS = 120
STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()
#: A base URL that is nowhere on the network; only the fetcher below answers it.
STATIC_BASE = "https://static.pe-inzage.invalid/"

CSS = """
@page { size: A4 landscape; margin: 10mm 10mm 8mm 10mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; margin: 0; }
section { height: 191mm; position: relative; overflow: hidden;
  break-after: page; break-inside: avoid; }
section:last-child { break-after: auto; }
h1 { font-size: 11pt; margin: 0 0 1mm 0; }
p { margin: 0; line-height: 3.8mm; }
pre { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; margin: 0;
  line-height: 4.6mm; white-space: pre; }
pre.head { font-weight: bold; margin-top: 2mm; border-bottom: 0.3mm solid #333; }
pre.rows { background: repeating-linear-gradient(#fff 0 4.6mm, #eef1f4 4.6mm 9.2mm); }
footer { position: absolute; bottom: 0; right: 0; font-size: 7pt; }
"""
#: Characters per column of the fixed-width table (183 fit on A4 landscape at 7pt).
WIDTHS = (32, 10, 12, 26, 16, 10, 10, 6, 8, 35)
LABELS = (*COLUMNS[:2], "Werkgevernr.", *COLUMNS[3:])
RIGHT_ALIGNED = {2, 7}
GAP = "  "


def _cell(value: str, width: int, right: bool = False) -> str:
    value = " ".join(value.split())
    if len(value) > width:
        return value[: width - 1] + "\u2026"
    return value.rjust(width) if right else value.ljust(width)


def _line(values) -> str:
    return GAP.join(
        _cell(value, width, index in RIGHT_ALIGNED)
        for index, (value, width) in enumerate(zip(values, WIDTHS, strict=True))
    ).rstrip()


HEAD = escape(_line(LABELS))


class ReportTimeout(Exception):
    """The PDF took longer than its time limit."""


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        """Serve the packaged static files; refuse every other address."""

        def __init__(self):
            super().__init__(allowed_protocols=(), allow_redirects=False)

        def fetch(self, url, headers=None):
            if not url.startswith(STATIC_BASE):
                raise ValueError("only the application's static files may be read")
            relative = url[len(STATIC_BASE) :].split("?", 1)[0].split("#", 1)[0]
            path = (STATIC_DIR / relative).resolve()
            if not path.is_relative_to(STATIC_DIR) or not path.is_file():
                raise ValueError("not a static file")
            content_type = mimetypes.guess_type(path.name)[0]
            return URLFetcherResponse(
                url,
                path.read_bytes(),
                {"Content-Type": content_type or "application/octet-stream"},
            )

    return StaticFileFetcher()


def _date(value) -> str:
    return "" if value is None else value.strftime("%d-%m-%Y")


def _row_line(row: ReportRow) -> str:
    return escape(
        _line(
            (
                row.name,
                row.seu_nummer,
                "" if row.werkgevernummer is None else str(row.werkgevernummer),
                row.werkgever,
                row.registratie,
                _date(row.start_date),
                _date(row.end_date),
                "" if row.points is None else punten(row.points),
                row.status,
                row.other,
            )
        )
    )


def pages_html(
    header: ReportHeader, pages: Sequence[Sequence[ReportRow]], first: int, total: int
) -> str:
    """A complete HTML document of the given pages, numbered from ``first``."""
    lines = header.lines()
    top = f"<h1>{escape(lines[0])}</h1>" + "".join(
        f"<p>{escape(line)}</p>" for line in lines[1:]
    )
    parts = [
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<style>{CSS}</style></head><body>"
    ]
    for offset, rows in enumerate(pages):
        body = "\n".join(_row_line(row) for row in rows)
        parts.append(
            f'<section>{top}<pre class="head">{HEAD}</pre>'
            f'<pre class="rows">{body or "Geen PE-medewerkers gevonden."}</pre>'
            f"<footer>pagina {first + offset} van {total}</footer></section>"
        )
    parts.append("</body></html>")
    return "".join(parts)


def _peak_kb() -> int:
    """This process's peak resident memory (VmHWM; ru_maxrss survives exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def render_chunk(job: tuple) -> tuple[bytes, int]:
    """Render one chunk of pages; return the PDF and this process's peak RSS in KB."""
    from weasyprint import HTML

    header, pages, first, total = job
    document = HTML(
        string=pages_html(header, pages, first, total),
        base_url=STATIC_BASE,
        url_fetcher=_fetcher(),
    )
    pdf = document.write_pdf()
    return pdf, _peak_kb()


def paginate(rows: Sequence[ReportRow]) -> list[Sequence[ReportRow]]:
    pages = [rows[i : i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)]
    return pages or [[]]


def join_pdfs(parts: Sequence[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", "app.reports.pdf"])
    return context


def build_pdf(
    header: ReportHeader,
    rows: Sequence[ReportRow],
    *,
    workers: int = WORKERS,
    progress: Callable[[int, int], None] | None = None,
    time_limit: float = TIME_LIMIT_SECONDS,
    stats: dict | None = None,
) -> bytes:
    """Render the report; call ``progress(pages_done, pages_total)`` per chunk."""
    import time

    pages = paginate(list(rows))
    total = len(pages)
    jobs = [
        (header, pages[i : i + CHUNK_PAGES], i + 1, total)
        for i in range(0, total, CHUNK_PAGES)
    ]
    deadline = time.monotonic() + time_limit
    parts, peak_kb, done = [], 0, 0
    with _context().Pool(min(workers, len(jobs))) as pool:
        results = pool.imap(render_chunk, jobs)
        for job in jobs:
            try:
                pdf, child_peak = results.next(timeout=deadline - time.monotonic())
            except multiprocessing.TimeoutError:
                pool.terminate()
                raise ReportTimeout(f"PDF not ready within {time_limit} s") from None
            parts.append(pdf)
            peak_kb = max(peak_kb, child_peak)
            done += len(job[1])
            if progress:
                progress(done, total)
    if stats is not None:
        stats.update(pages=total, chunks=len(jobs), worker_peak_kb=peak_kb)
    return join_pdfs(parts)
