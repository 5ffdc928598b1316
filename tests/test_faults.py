"""Faults: the mail server down, PostgreSQL restarted, a gunicorn worker killed.

Every wait has a timeout and every process or cluster a test starts is stopped and
removed, also when the test fails. These tests run on both test databases: the
PostgreSQL one makes a throwaway cluster of its own and never touches the shared
server, the gunicorn one uses a temporary SQLite database.
"""

import glob
import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.models import AuditEvent, OutboxMessage, Professional, Register, db
from tests.conftest import PASSWORD, ROOT, Mailbox, free_port

# --- helpers ----------------------------------------------------------------------


def wait_until(check, timeout: float, interval: float = 0.1, what: str = "it"):
    """Call ``check`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def _migrate_with_professional(seu_nummer: str, name: str, email: str) -> None:
    """Create the schema in the current app's database and one professional."""
    upgrade()
    register = Register(
        name="Register SEU", code="SEU", norm_points=12, period_months=24
    )
    db.session.add(register)
    db.session.flush()
    professional = Professional(
        register_id=register.id, seu_nummer=seu_nummer, name=name, email=email
    )
    professional.set_password(PASSWORD)
    db.session.add(professional)
    db.session.commit()


def _outbox(app, recipient: str) -> list[OutboxMessage]:
    with app.app_context():
        messages = db.session.scalars(
            select(OutboxMessage).filter_by(recipient=recipient)
        ).all()
        db.session.expunge_all()
        db.session.remove()
    return messages


# --- (a) the SMTP server down ---------------------------------------------------------


def test_mail_waits_in_the_outbox_while_the_smtp_server_is_down(app, client, factory):
    professional = factory.professional()
    port = free_port()  # nothing listens here yet: the mail server is down
    server = None
    app.config["MAIL_PORT"], smtp_port = port, app.config["MAIL_PORT"]
    cli = app.test_cli_runner()
    try:
        response = client.post(
            "/wachtwoord-vergeten", data={"identifier": professional.email}
        )

        # The user's request is handled and stored; the mail waits with its error.
        assert response.status_code == 200
        [waiting] = _outbox(app, professional.email)
        assert waiting.sent_at is None
        assert waiting.attempts == 1
        assert "Connection refused" in waiting.last_error
        with app.app_context():
            actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "auth.reset_requested" in actions

        still_down = cli.invoke(args=["mail", "send-pending"])
        assert still_down.exit_code == 1
        assert "sent: 0, failed: 1" in still_down.output
        assert _outbox(app, professional.email)[0].attempts == 2

        mailbox = Mailbox()
        server = Controller(mailbox, hostname="127.0.0.1", port=port)
        server.start()
        back_up = cli.invoke(args=["mail", "send-pending"])
        again = cli.invoke(args=["mail", "send-pending"])
    finally:
        app.config["MAIL_PORT"] = smtp_port
        if server is not None:
            server.stop()

    assert back_up.exit_code == 0
    assert "sent: 1, failed: 0" in back_up.output
    assert "sent: 0, failed: 0" in again.output
    assert len(mailbox.to(professional.email)) == 1
    [sent] = _outbox(app, professional.email)
    assert sent.sent_at is not None
    assert sent.last_error is None
    link = mailbox.last_link(professional.email)
    assert client.get(link.removeprefix("http://pe-inzage.test")).status_code == 200


# --- (b) PostgreSQL restarted while serving ------------------------------------------


def _as_postgres(*args: str, timeout: float = 60) -> None:
    command = list(args)
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=timeout)


@pytest.fixture
def own_postgres():
    """A throwaway PostgreSQL cluster on a free port; yields (url, pg_ctl)."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        pytest.skip("PostgreSQL's initdb is not installed")
    bindir = Path(initdb[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="pe-faults-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"

    def pg_ctl(*args: str) -> None:
        _as_postgres(
            str(bindir / "pg_ctl"), "-D", str(data), "-o", options,
            "-l", str(root / "log"), "-w", "-t", "30", *args,
        )  # fmt: skip

    try:
        _as_postgres(
            str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
            "postgres", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        pg_ctl("start")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", pg_ctl
    finally:
        try:
            pg_ctl("-m", "immediate", "stop")
        except subprocess.SubprocessError:
            pass  # never started, or already stopped
        shutil.rmtree(root, ignore_errors=True)


def test_requests_succeed_after_postgresql_restarts(
    own_postgres, smtp_server, tmp_path
):
    url, pg_ctl = own_postgres
    served = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,  # answer as in production
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server.port,
            "MAIL_DEV_OUTBOX": False,
            "REPORT_DIR": str(tmp_path),
        }
    )
    try:
        with served.app_context():
            _migrate_with_professional("SEU900001", "Piet Restart", "piet@restart.test")
            db.session.remove()
        client = served.test_client()
        signed_in = client.post(
            "/login", data={"identifier": "piet@restart.test", "password": PASSWORD}
        )
        assert signed_in.status_code == 302
        assert client.get("/account").status_code == 200

        pg_ctl("-m", "fast", "restart")

        # The pooled connection died with the server; the next request gets a new one.
        for _ in range(3):
            assert client.get("/account").status_code == 200
        reset = client.post(
            "/wachtwoord-vergeten", data={"identifier": "piet@restart.test"}
        )
        assert reset.status_code == 200

        pg_ctl("-m", "fast", "stop")
        started = time.monotonic()
        down = client.get("/account")
        failed_within = time.monotonic() - started
        pg_ctl("start")
        after = client.get("/account")

        with served.app_context():
            waiting = db.session.scalars(select(OutboxMessage.recipient)).all()
            db.session.remove()
    finally:
        with served.app_context():
            db.engine.dispose()

    assert down.status_code == 500
    assert "Er ging iets mis" in down.get_data(as_text=True)
    assert failed_within < 5  # refused at once, no hanging request
    assert after.status_code == 200
    assert waiting == ["piet@restart.test"]


# --- (c) a gunicorn worker killed during a slow request -------------------------------


def slow_app():
    """The app plus a route that holds its worker, standing in for a long download."""
    from flask import request

    app = create_app()

    @app.route("/_test/slow")
    def slow():
        Path(os.environ["SLOW_PID_FILE"]).write_text(str(os.getpid()))
        time.sleep(float(request.args.get("seconds", "30")))
        return f"done by {os.getpid()}"

    return app


def _children(pid: int) -> set[int]:
    found = set()
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(Path(stat).parent.name))
    return found


def _get(base: str, path: str, opener=None, timeout: float = 5.0):
    opener = opener or urllib.request.build_opener()
    with opener.open(base + path, timeout=timeout) as response:
        return response.status, response.read().decode()


def _health(base: str) -> bool:
    try:
        return _get(base, "/health", timeout=2)[0] == 200
    except (OSError, http.client.HTTPException):
        return False


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    """gunicorn with gunicorn.conf.py and 2 workers on a prepared SQLite database."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    database = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database,
        "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
        "GUNICORN_ERROR_LOG": str(tmp_path / "error.log"),
        "SLOW_PID_FILE": str(tmp_path / "slow.pid"),
    }
    prepared = create_app({"SQLALCHEMY_DATABASE_URI": database})
    with prepared.app_context():
        _migrate_with_professional("SEU900002", "Kees Worker", "kees@worker.test")
        db.engine.dispose()

    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
            "tests.test_faults:slow_app()",
        ],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = "http://" + env["GUNICORN_BIND"]
    try:
        wait_until(lambda: _health(base), 30, what="gunicorn to answer")
        wait_until(lambda: len(_children(process.pid)) == 2, 30, what="2 workers")
        yield base, process.pid, Path(env["SLOW_PID_FILE"])
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class _BehindTlsProxy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over plain http, as the TLS proxy in front would."""

    def return_ok_secure(self, cookie, request):
        return True


def _sign_in(base: str):
    jar = http.cookiejar.CookieJar(policy=_BehindTlsProxy())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, page = _get(base, "/login", opener)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    data = urllib.parse.urlencode(
        {
            "identifier": "kees@worker.test",
            "password": PASSWORD,
            "csrf_token": token.group(1),
        }
    ).encode()
    with opener.open(base + "/login", data=data, timeout=10) as response:
        assert urllib.parse.urlsplit(response.url).path != "/login"
    return opener


def test_gunicorn_leaves_forwarded_proto_to_the_app(gunicorn_server):
    base = gunicorn_server[0]
    request = urllib.request.Request(
        base + "/login", headers={"X-Forwarded-Proto": "https"}
    )

    with urllib.request.urlopen(request, timeout=5) as response:
        headers = response.headers

    # Not configured to trust a proxy (PROXY_FIX): still plain http to the app.
    assert "Strict-Transport-Security" not in headers
    assert headers["Content-Security-Policy"]


def test_killed_worker_is_replaced_while_the_other_keeps_serving(gunicorn_server):
    base, master, pid_file = gunicorn_server
    workers = _children(master)
    outcome = {}

    def slow_request():
        try:
            outcome["answer"] = _get(base, "/_test/slow?seconds=30", timeout=40)
        except (OSError, http.client.HTTPException) as exc:
            outcome["error"] = exc

    caller = threading.Thread(target=slow_request, daemon=True)
    caller.start()
    victim = wait_until(lambda: _read_pid(pid_file), 10, what="the slow request")
    assert victim in workers

    os.kill(victim, signal.SIGKILL)
    answers = [_health(base) for _ in range(50)]
    caller.join(timeout=10)
    replaced = wait_until(
        lambda: _workers_without(master, victim), 20, what="a new worker"
    )

    assert all(answers), "the other worker stopped answering"
    assert not caller.is_alive(), "the client of the killed worker hangs"
    assert "error" in outcome  # its connection was cut, it did not get half a page
    assert len(replaced - workers) == 1
    opener = _sign_in(base)
    with opener.open(base + "/account", timeout=5) as account:
        assert account.url.endswith("/account")  # signed in, not sent to /login
    # Both workers, the new one included, serve at the same time.
    assert wait_until(lambda: _pids_serving_a_pair(base) == replaced, 30, 0.5)


def _read_pid(path: Path) -> int | None:
    text = path.read_text() if path.exists() else ""
    return int(text) if text.isdigit() else None


def _workers_without(master: int, victim: int) -> set[int] | None:
    """The two workers of ``master`` once ``victim`` is no longer one of them."""
    workers = _children(master)
    return workers if len(workers) == 2 and victim not in workers else None


def _pids_serving_a_pair(base: str) -> set[int]:
    """The worker pids that answered two overlapping slow requests."""
    bodies = []

    def call():
        try:
            bodies.append(_get(base, "/_test/slow?seconds=0.5")[1])
        except (OSError, http.client.HTTPException):
            pass

    pair = [threading.Thread(target=call) for _ in range(2)]
    for thread in pair:
        thread.start()
    for thread in pair:
        thread.join(timeout=10)
    return {int(body.split()[-1]) for body in bodies}
