"""The outbox: nothing is lost when the mail server is down; the development page."""

import pytest
from sqlalchemy import select

from app import create_app
from app.models import OutboxMessage, db
from tests.conftest import free_port
from tests.test_registration import request_data

LONG_SECRET = "a-production-secret-that-is-long-enough-0123456789"


@pytest.fixture
def mail_server_down(app):
    """Point the app at a port where nothing listens; undo afterwards."""
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()
    yield
    app.config["MAIL_PORT"] = port


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage)).all()
        db.session.expunge_all()
    return messages


def test_mail_waits_in_the_outbox_until_the_server_is_back(
    app, client, factory, mailbox, mail_server_down
):
    factory.register()

    response = client.post("/aanvragen/SEU", data=request_data())

    assert response.status_code == 302  # the request itself succeeded
    (message,) = outbox(app)
    assert message.sent_at is None
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert mailbox.to("hr@werkgever.nl") == []

    runner = app.test_cli_runner()
    still_down = runner.invoke(args=["mail", "send-pending"])
    assert still_down.exit_code == 1
    assert "sent: 0, failed: 1" in still_down.output


def test_send_pending_delivers_once_the_server_is_back(app, client, factory, mailbox):
    factory.register()
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()
    try:
        client.post("/aanvragen/SEU", data=request_data())
    finally:
        app.config["MAIL_PORT"] = port
    runner = app.test_cli_runner()

    result = runner.invoke(args=["mail", "send-pending"])
    again = runner.invoke(args=["mail", "send-pending"])

    assert result.exit_code == 0, result.output
    assert "sent: 1, failed: 0" in result.output
    assert "sent: 0, failed: 0" in again.output
    (delivered,) = mailbox.to("hr@werkgever.nl")
    assert "Gebruikersnaam: hr-werkgever" in mailbox.body(delivered)
    (message,) = outbox(app)
    assert message.sent_at is not None


def make_app(app, monkeypatch, env: dict, **config):
    for name in ("APP_ENV", "SECRET_KEY", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "BASE_URL": "http://pe-inzage.test",
            **config,
        }
    )


def test_development_mail_page_lists_mail_with_clickable_links(
    app, factory, monkeypatch
):
    factory.register()
    dev = make_app(app, monkeypatch, {"APP_ENV": "development"})
    assert dev.config["MAIL_DEV_OUTBOX"]
    client = dev.test_client()

    client.post("/aanvragen/SEU", data=request_data())
    page = client.get("/dev/mail")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Stel uw wachtwoord in voor PE-inzage" in html
    assert '<a href="http://pe-inzage.test/wachtwoord/set-password/' in html
    (message,) = outbox(app)
    assert message.sent_at is not None  # kept, not retried
    with dev.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    "env",
    [
        {"APP_ENV": "development", "MAIL_SERVER": "smtp.example.nl"},
        {"APP_ENV": "production", "SECRET_KEY": LONG_SECRET},
    ],
)
def test_no_development_mail_page_with_smtp_or_in_production(app, monkeypatch, env):
    other = make_app(app, monkeypatch, env)

    assert other.test_client().get("/dev/mail").status_code == 404
    with other.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("secret", [None, "dev-only-not-secret", "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(
    app, monkeypatch, secret
):
    env = {"APP_ENV": "production"}
    if secret:
        env["SECRET_KEY"] = secret

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app(app, monkeypatch, env)
