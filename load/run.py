"""``make load``: the app under gunicorn on PostgreSQL, driven by locust, then checked.

1. Create a database of its own on the PostgreSQL server (LOAD_PG_URL), migrate and
   seed it (load/seed.py).
2. Start gunicorn with gunicorn.conf.py and the production settings: APP_ENV
   production, a random SECRET_KEY, sync workers, rate limits in Redis, behind a
   (simulated) TLS proxy.
3. Run locust headless from a second process (load/locustfile.py) for LOAD_SECONDS
   at LOAD_USERS users.
4. Print requests per second, p50/p95/p99 per page and the errors; check that the
   database holds every grant and revoke that answered success, and nothing else.
5. Stop everything and drop the database.

Results stay in instance/load/ (locust CSV, access log, the success log).
Exit status 1 on any error or failed check. Knobs: LOAD_SECONDS (60), LOAD_USERS
(50), LOAD_SPAWN_RATE (5 a second), LOAD_PROFESSIONALS (2000), LOAD_WAIT_MIN and
LOAD_WAIT_MAX (think time between a user's requests, 0.5 to 2 s), LOAD_PG_URL,
LOAD_REDIS_URL (redis://127.0.0.1:6379/11).
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "instance" / "load"

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "50"))
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "5")
PROFESSIONALS = int(os.environ.get("LOAD_PROFESSIONALS", "2000"))
PG_URL = os.environ.get("LOAD_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def redis_reachable() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        return False


# --- database -------------------------------------------------------------------------


def prepare(database_url: str) -> tuple[dict, dict, object]:
    """Migrate and seed; return the accounts, the live inzage and the start time."""
    from flask_migrate import upgrade

    from app import create_app
    from app.models import db
    from load.seed import seed

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        started = time.monotonic()
        accounts = seed(secrets.token_urlsafe(16), professionals=PROFESSIONALS)
        print(f"seeded in {time.monotonic() - started:.1f} s: {accounts['counts']}")
        live = live_inzage(db.session)
        (before,) = db.session.execute(sa.text("SELECT now()")).one()
        db.engine.dispose()
    return accounts, live, before


def live_inzage(session) -> dict:
    """{(professional_id, contact_id): valid_until iso or None} of unrevoked rows."""
    rows = session.execute(
        sa.text(
            "SELECT professional_id, contact_id, valid_until FROM inzage "
            "WHERE revoked_at IS NULL"
        )
    )
    return {(p, c): until.isoformat() if until else None for p, c, until in rows.all()}


def check(database_url: str, log_path: Path, live_before: dict, started) -> list[str]:
    """Compare the database with what the virtual users saw succeed."""
    logged = [json.loads(line) for line in log_path.read_text().splitlines()]
    events = [e for e in logged if e["action"] in ("grant", "revoke")]
    refusals = [e for e in logged if e["action"] == "refused"]
    engine = sa.create_engine(database_url)
    problems = []
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, professional_id, contact_id, revoked_at FROM inzage")
        ).all()
        by_id = {row.id: row for row in rows}
        audit = conn.execute(
            sa.text(
                "SELECT actor_id, action, subject_id, details FROM audit_event "
                "WHERE action LIKE 'inzage.%' AND occurred_at >= :started "
                "ORDER BY id"
            ),
            {"started": started},
        ).all()
        live_after = live_inzage(conn)
        revoked_during_run = set(
            conn.execute(
                sa.text(
                    "SELECT professional_id, contact_id FROM inzage "
                    "WHERE revoked_at >= :started"
                ),
                {"started": started},
            ).all()
        )
    engine.dispose()

    # Replay each professional's confirmed changes on the state before the run.
    expected = dict(live_before)
    expected_audit: dict[int, list[tuple]] = {}
    for event in sorted(events, key=lambda e: e["t"]):
        professional = event["professional_id"]
        trail = expected_audit.setdefault(professional, [])
        if event["action"] == "grant":
            key = (professional, event["contact_id"])
            if key not in expected:
                trail.append(("inzage.granted", event["contact_id"]))
            elif expected[key] != event["valid_until"]:
                trail.append(("inzage.changed", event["contact_id"]))
            expected[key] = event["valid_until"]
            continue
        row = by_id.get(event["inzage_id"])
        if row is None or row.professional_id != professional:
            problems.append(f"revoked inzage {event['inzage_id']} is not theirs")
            continue
        if row.revoked_at is None or row.revoked_at < started:
            problems.append(f"revoke of inzage {row.id} is not stored")
        expected.pop((professional, row.contact_id), None)
        trail.append(("inzage.revoked", row.contact_id))

    for key in expected.keys() | live_after.keys():
        want, got = _describe(expected, key), _describe(live_after, key)
        if want != got:
            problems.append(
                f"inzage professional {key[0]} contact {key[1]}: expected {want}, "
                f"stored {got}"
            )
    stored_audit: dict[int, list[tuple]] = {}
    for actor_id, action, _, details in audit:
        details = json.loads(details) if isinstance(details, str) else details
        stored_audit.setdefault(actor_id, []).append((action, details["contact_id"]))
    for professional in expected_audit.keys() | stored_audit.keys():
        want = expected_audit.get(professional, [])
        got = stored_audit.get(professional, [])
        if want != got:
            problems.append(f"audit of professional {professional}: {want} != {got}")

    # A dossier refused during the run must be one whose inzage was revoked then.
    for refusal in refusals:
        key = (refusal["professional_id"], refusal["contact_id"])
        if key not in revoked_during_run:
            problems.append(f"dossier {key[0]} refused to contact {key[1]} wrongly")

    grants = sum(1 for e in events if e["action"] == "grant")
    revokes = len(events) - grants
    print(
        f"\ndatabase check: {grants} confirmed grants and {revokes} confirmed "
        f"revokes, {len(audit)} inzage audit events during the run, "
        f"{len(live_after)} unrevoked inzage rows, {len(refusals)} dossiers "
        "refused after a revoke: "
        + ("all as confirmed, nothing else" if not problems else "MISMATCH")
    )
    return problems


def _describe(live: dict, key: tuple) -> str:
    if key not in live:
        return "no live inzage"
    return f"live until {live[key]}" if live[key] else "live without end date"


# --- processes ------------------------------------------------------------------------


def start_gunicorn(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "LOGIN_LIMIT_PER_IP": "600/minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "60/minute",
        "PROXY_FIX": "1",
        "BASE_URL": "https://pe-inzage.test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(WORK / "access.log"),
        "GUNICORN_ERROR_LOG": str(WORK / "error.log"),
    }
    env.pop("MAIL_SERVER", None)
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def run_locust(port: int, accounts_path: Path, log_path: Path) -> int:
    env = {
        **os.environ,
        "LOAD_ACCOUNTS": str(accounts_path),
        "LOAD_LOG": str(log_path),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "load" / "locustfile.py"),
        "--headless", "--users", str(USERS), "--spawn-rate", SPAWN_RATE,
        "--run-time", f"{SECONDS}s", "--stop-timeout", "10",
        "--host", f"http://127.0.0.1:{port}",
        "--csv", str(WORK / "locust"), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    with open(WORK / "locust.log", "w") as output:
        finished = subprocess.run(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            timeout=SECONDS + 120,
        )  # fmt: skip
    return finished.returncode


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --- report ---------------------------------------------------------------------------


def print_figures() -> int:
    """Print the per-page table from locust's CSV; return the number of failures."""
    import csv

    with open(WORK / "locust_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(
        f"\n{'page':<50} {'requests':>8} {'errors':>6} {'req/s':>7} "
        f"{'p50':>6} {'p95':>6} {'p99':>6}  (ms)"
    )
    failures = 0
    for row in rows:
        name = row["Name"] if row["Type"] else "ALL"
        label = f"{row['Type']} {name}".strip()
        print(
            f"{label[:50]:<50} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} "
            f"{row['99%']:>6}"
        )
        if not row["Type"]:
            failures = int(row["Failure Count"])
    failures_csv = WORK / "locust_failures.csv"
    if failures and failures_csv.exists():
        print("\nerrors:")
        with open(failures_csv, newline="") as handle:
            for row in csv.DictReader(handle):
                print(
                    f"  {row['Occurrences']:>5} x {row['Method']} {row['Name']}: "
                    f"{row['Error']}"
                )
    server_errors = sum(
        1 for line in (WORK / "access.log").read_text().splitlines() if '" 5' in line
    )
    print(f"\nerrors: {failures} (HTTP 5xx in the access log: {server_errors})")
    return failures


def main() -> int:
    if not redis_reachable():
        raise SystemExit(f"Redis is not reachable at {REDIS_URL} (LOAD_REDIS_URL)")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    name = f"pe_load_{secrets.token_hex(5)}"
    admin = sa.create_engine(f"{PG_URL}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    database_url = f"{PG_URL}/{name}"
    server = None
    try:
        accounts, live_before, started = prepare(database_url)
        accounts_path = WORK / "accounts.json"
        accounts_path.write_text(json.dumps(accounts))
        log_path = WORK / "confirmed.jsonl"
        log_path.touch()

        port = free_port()
        server = start_gunicorn(database_url, port)
        wait_for(f"http://127.0.0.1:{port}/health", 60)
        print(
            f"gunicorn on 127.0.0.1:{port}; locust: {USERS} users for {SECONDS} s "
            f"on PostgreSQL database {name}"
        )
        load_before = os.getloadavg()[0]
        locust_status = run_locust(port, accounts_path, log_path)
        load_after = os.getloadavg()[0]
        stop(server)
        print(
            f"machine load average (1 min) before/after: {load_before:.1f} / "
            f"{load_after:.1f} on {os.cpu_count()} cores"
        )

        failures = print_figures()
        problems = check(database_url, log_path, live_before, started)
        for problem in problems[:30]:
            print("  " + problem)
        print(f"\nresults in {WORK.relative_to(ROOT)}/")
        return 1 if failures or problems or locust_status not in (0, 1) else 0
    finally:
        if server is not None:
            stop(server)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
