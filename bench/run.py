"""``make bench``: build the synthetic register, measure, print and save the figures.

SQLite in a temporary folder by default; with DATABASE_URL naming a PostgreSQL
server, a fresh database of its own on that server, dropped afterwards. Prints one
``name: value unit`` line per figure and writes bench/results.json.
"""

import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
SECRET_KEY = "bench-secret-key-" + "x" * 40
REQUESTS = 50
results: dict[str, dict] = {}


def report(name: str, value, unit: str) -> None:
    value = round(value, 3) if isinstance(value, float) else value
    results[name] = {"value": value, "unit": unit}
    print(f"{name}: {value} {unit}", flush=True)


def fresh_database() -> tuple[str, callable]:
    """Return (url, cleanup) of an empty database."""
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql"):
        server = server.replace("postgresql://", "postgresql+psycopg://", 1)
        name = f"pe_bench_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.engine.make_url(server).set(database=name)

        def drop():
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        return url.render_as_string(hide_password=False), drop
    folder = tempfile.mkdtemp(prefix="pe-bench-")
    return f"sqlite:///{folder}/bench.sqlite3", lambda: shutil.rmtree(folder)


def make_app(url: str):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET_KEY,
            "REPORT_DIR": tempfile.mkdtemp(prefix="pe-bench-reports-"),
        }
    )


def session_cookie(app, login_id: str) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": login_id, "_fresh": True, "_id": "bench"})


def measure_pages(app, cookie: str, search: str) -> None:
    from app.models import db

    client = app.test_client()
    client.set_cookie("session", cookie)
    statements = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    pages = {
        "list_first_page": "/professionals/",
        "list_search": f"/professionals/?professional={search}",
        "list_sorted_by_progress": "/professionals/?sort=voortgang",
        "list_sorted_by_progress_page_10": "/professionals/?sort=voortgang&page=10",
        "dossier_200_activities": "/professionals/1",
    }
    for name, path in pages.items():
        assert client.get(path).status_code == 200, path
        times, counts = [], []
        for _ in range(REQUESTS):
            statements.clear()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            counts.append(len(statements))
            assert response.status_code == 200
        times.sort()
        report(f"{name}_median", statistics.median(times), "ms")
        report(f"{name}_p95", times[int(len(times) * 0.95) - 1], "ms")
        report(f"{name}_sql_statements", max(counts), "statements")


def _memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process; ru_maxrss survives exec."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1)) / 1024


def _report_child(url: str, kind: str, queue) -> None:
    """Run in a fresh process: load the rows, then build one file."""
    from app.clock import today
    from app.models import Organisation, db, utcnow
    from app.reports.pdf import build_pdf
    from app.reports.query import ReportFilters, make_header, report_rows
    from app.reports.xlsx import build_xlsx

    app = make_app(url)
    with app.app_context():
        organisation = db.session.get(Organisation, 1)
        started = time.perf_counter()
        rows = report_rows(organisation, today(), ReportFilters())
        query_seconds = time.perf_counter() - started
        header = make_header(organisation, "Bench", ReportFilters(), utcnow())
    baseline = _memory_mb("VmRSS")
    stats: dict = {}
    started = time.perf_counter()
    if kind == "xlsx":
        content = build_xlsx(header, rows)
    else:
        content = build_pdf(header, rows, stats=stats)
    seconds = time.perf_counter() - started
    queue.put(
        {
            "rows": len(rows),
            "query_seconds": query_seconds,
            "seconds": seconds,
            "bytes": len(content),
            "baseline_mb": baseline,
            "peak_mb": _memory_mb("VmHWM"),
            "worker_peak_mb": stats.get("worker_peak_kb", 0) / 1024,
            "pages": stats.get("pages", 0),
        }
    )


def measure_reports(url: str) -> None:
    context = multiprocessing.get_context("spawn")
    for kind in ("xlsx", "pdf"):
        queue = context.Queue()
        child = context.Process(target=_report_child, args=(url, kind, queue))
        child.start()
        figures = queue.get(timeout=600)
        child.join()
        report(f"{kind}_rows", figures["rows"], "rows")
        report(f"{kind}_report_query", figures["query_seconds"] * 1000, "ms")
        report(f"{kind}_build_wall", figures["seconds"], "s")
        report(f"{kind}_size", figures["bytes"] / 1024, "KB")
        if kind == "xlsx":
            report(
                "xlsx_memory_over_baseline",
                figures["peak_mb"] - figures["baseline_mb"],
                "MB",
            )
            report("xlsx_peak_rss", figures["peak_mb"], "MB")
        else:
            report("pdf_pages", figures["pages"], "pages")
            report("pdf_main_process_peak_rss", figures["peak_mb"], "MB")
            report("pdf_render_worker_peak_rss", figures["worker_peak_mb"], "MB")
            report(
                "pdf_peak_rss_any_process",
                max(figures["peak_mb"], figures["worker_peak_mb"]),
                "MB",
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, cookie: str) -> float:
    output = subprocess.run(
        ["wrk", "-t2", "-c16", "-d10s", "-H", f"Cookie: session={cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def measure_throughput(url: str, cookie: str) -> None:
    if shutil.which("wrk") is None:
        print("wrk is missing (apt-get install wrk): throughput skipped")
        return
    port = free_port()
    # The production settings of gunicorn.conf.py, on a free port, without the
    # access log (wrk would fill the output with it).
    environment = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    gunicorn = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=environment)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        bare = wrk(f"{base}/health", cookie)
        listing = wrk(f"{base}/professionals/", cookie)
        report("throughput_health", bare, "req/s")
        report("throughput_list", listing, "req/s")
        report("throughput_ratio", listing / bare, "ratio")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    import argparse

    from flask_migrate import upgrade

    from bench import data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="measure an existing bench database")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--only", default="pages,reports,throughput", help="what to measure"
    )
    options = parser.parse_args()

    if options.database:
        url, cleanup = options.database, lambda: None
    else:
        url, cleanup = fresh_database()
    if options.keep:
        cleanup = lambda: print(f"database kept: {url}")  # noqa: E731
    try:
        app = make_app(url)
        if not options.database:
            with app.app_context():
                upgrade()
                from app.models import db

                started = time.perf_counter()
                data.build(db.engine)
                report("build_database", time.perf_counter() - started, "s")
                db.engine.dispose()
        report("database", sa.engine.make_url(url).get_backend_name(), "")
        report("load_average_1min_before", os.getloadavg()[0], "")
        cookie = session_cookie(app, f"c:{data.BIG_CONTACT_ID}:1")
        if "pages" in options.only:
            measure_pages(app, cookie, data.SEARCH)
        if "reports" in options.only:
            measure_reports(url)
        if "throughput" in options.only:
            measure_throughput(url, cookie)
        report("cpu_count", os.cpu_count(), "cores")
        report("load_average_1min_after", os.getloadavg()[0], "")
    finally:
        cleanup()
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
