"""Fixtures shared by every test: a fresh database, a real SMTP server, factories.

The database is SQLite in a temporary folder, or, when DATABASE_URL names a
PostgreSQL server, a database of its own created on that server for this run and
dropped afterwards. The schema is made by the Alembic migrations.
"""

import os
import re
import socket
import threading
import uuid
from datetime import date, timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from app import create_app
from app.extensions import limiter
from app.models import (
    Activity,
    Contact,
    ContactRole,
    Inzage,
    Organisation,
    OrganisationStatus,
    Professional,
    Register,
    RegistrationPeriod,
    Staff,
    db,
)

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parent.parent


# --- database -----------------------------------------------------------------


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url if url.startswith("postgresql") else None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server_url = _postgres_url()
    if server_url is None:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    name = f"pe_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield (
        sa.engine.make_url(server_url)
        .set(database=name)
        .render_as_string(hide_password=False)
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# --- mail -----------------------------------------------------------------------


class Mailbox:
    """Messages that reached the local SMTP server."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def clear(self):
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def links(self, address: str) -> list[str]:
        found = []
        for message in self.to(address):
            found += re.findall(r"https?://\S+", self.body(message))
        return found

    def last_link(self, address: str, containing: str = "/wachtwoord/") -> str:
        links = [link for link in self.links(address) if containing in link]
        assert links, f"no link with {containing!r} mailed to {address}"
        return links[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.clear()
    return smtp_server


# --- application ----------------------------------------------------------------


def app_config(database_url, smtp_server, report_dir, **overrides) -> dict:
    """The configuration of the test app, with ``overrides``."""
    return {
        "TESTING": True,
        # CSRF is on in every real run; tests/test_security.py checks it there.
        "WTF_CSRF_ENABLED": False,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BASE_URL": "http://pe-inzage.test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_DEV_OUTBOX": False,
        "LOGIN_LIMIT_PER_ACCOUNT": "1000/minute",
        "LOGIN_LIMIT_PER_IP": "1000/minute",
        "REPORT_DIR": str(report_dir),
        **overrides,
    }


@pytest.fixture(scope="session")
def app(database_url, smtp_server, tmp_path_factory):
    app = create_app(
        app_config(database_url, smtp_server, tmp_path_factory.mktemp("reports"))
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    yield
    if "app" not in request.fixturenames:
        return
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(sa.text(f'DELETE FROM "{table}"'))
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_session(app):
    """A session for reading the database state in assertions."""
    with app.app_context():
        yield db.session
        db.session.remove()


# --- factories ------------------------------------------------------------------


class Factory:
    """Create committed rows with sensible defaults; returned objects keep their
    loaded attributes after the session closes."""

    def __init__(self, app):
        self.app = app
        self.counter = 0

    def _save(self, obj):
        with self.app.app_context():
            with Session(db.engine, expire_on_commit=False) as session:
                session.add(obj)
                session.commit()
        return obj

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def register(self, **values) -> Register:
        with self.app.app_context():
            existing = db.session.scalar(sa.select(Register).filter_by(code="SEU"))
            if existing is not None and not values:
                db.session.expunge(existing)
                return existing
        n = self._next()
        defaults = dict(
            name="Register SEU" if n == 1 else f"Register {n}",
            code="SEU" if n == 1 else f"R{n}",
            norm_points=Decimal("12"),
            period_months=24,
        )
        return self._save(Register(**{**defaults, **values}))

    def staff(self, password: str = PASSWORD, **values) -> Staff:
        n = self._next()
        staff = Staff(
            **{
                "name": f"Staf {n}",
                "email": f"staf{n}@register.test",
                "username": f"staf{n}",
                **values,
            }
        )
        staff.set_password(password)
        return self._save(staff)

    def organisation(self, status=OrganisationStatus.AUTHORISED, **values):
        n = self._next()
        register = values.pop("register", None) or self.register()
        organisation = Organisation(
            **{
                "register_id": register.id,
                "werkgevernummer": 1000 + n,
                "name": f"Werkgever {n} BV",
                "street": f"Dorpsstraat {n}",
                "postcode": "1234 AB",
                "city": "Utrecht",
                "country": "Nederland",
                "status": status,
                **values,
            }
        )
        return self._save(organisation)

    def contact(
        self,
        organisation=None,
        role=ContactRole.MANAGER,
        password: str | None = PASSWORD,
        **values,
    ) -> Contact:
        n = self._next()
        organisation = organisation or self.organisation()
        contact = Contact(
            **{
                "organisation_id": organisation.id,
                "name": f"Contact {n}",
                "email": f"contact{n}@werkgever.test",
                "username": f"contact{n}",
                "role": role,
                "active": True,
                **values,
            }
        )
        if password:
            contact.set_password(password)
        return self._save(contact)

    def professional(self, password: str | None = PASSWORD, **values) -> Professional:
        n = self._next()
        register = self.register()
        professional = Professional(
            **{
                "register_id": register.id,
                "seu_nummer": f"SEU{100000 + n}",
                "name": f"Professional {n}",
                "email": f"prof{n}@mail.test",
                **values,
            }
        )
        if password:
            professional.set_password(password)
        return self._save(professional)

    def period(self, professional, start: date | None = None, **values):
        start = start or date.today() - timedelta(days=100)
        period = RegistrationPeriod(
            **{
                "professional_id": professional.id,
                "start_date": start,
                "end_date": start.replace(year=start.year + 2) - timedelta(days=1),
                "norm_points": Decimal("12"),
                "earned_points": Decimal("0"),
                **values,
            }
        )
        return self._save(period)

    def activity(
        self, professional, activity_date: date | None = None, points="1", **values
    ) -> Activity:
        n = self._next()
        activity = Activity(
            **{
                "professional_id": professional.id,
                "activity_date": activity_date or date.today() - timedelta(days=10),
                "category": "Vakinhoudelijke scholing SEU",
                "description": f"Cursus {n}",
                "external_id": str(600000 + n),
                "points": Decimal(str(points)),
                "status": "Toegevoegd",
                **values,
            }
        )
        return self._save(activity)

    def inzage(
        self, professional, contact, valid_until: date | None = None, **values
    ) -> Inzage:
        inzage = Inzage(
            professional_id=professional.id,
            contact_id=contact.id,
            valid_until=valid_until,
            **values,
        )
        return self._save(inzage)


@pytest.fixture
def factory(app):
    return Factory(app)


# --- signing in -----------------------------------------------------------------


@pytest.fixture
def login(client):
    """Sign ``account`` in on the test client through the real login form."""

    def sign_in(account, password: str = PASSWORD, test_client=None):
        test_client = test_client or client
        identifier = getattr(account, "username", None) or account.email
        response = test_client.post(
            "/login", data={"identifier": identifier, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return test_client

    return sign_in


# --- a live server and a real browser ------------------------------------------------


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run make test"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
