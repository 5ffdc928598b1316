"""Sign-in, logout, password links, enumeration and rate limits."""

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app import tokens
from app.auth.emails import send_set_password
from app.models import AuditEvent, Contact, OrganisationStatus, db
from tests.conftest import PASSWORD


def test_contact_logs_in_with_username_and_lands_on_professionals(
    client, factory, login
):
    contact = factory.contact()

    response = client.post(
        "/login", data={"identifier": contact.username.upper(), "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/professionals/")


def test_professional_logs_in_with_email_or_seu_nummer(client, factory):
    professional = factory.professional()

    for identifier in (professional.email, professional.seu_nummer.lower()):
        response = client.post(
            "/login", data={"identifier": identifier, "password": PASSWORD}
        )
        assert response.headers["Location"].endswith("/mijn/dossier")
        client.post("/logout")


def test_wrong_password_and_unknown_account_answer_alike(client, factory):
    contact = factory.contact()

    wrong = client.post(
        "/login", data={"identifier": contact.username, "password": "wrong password"}
    )
    unknown = client.post(
        "/login", data={"identifier": "nobody-here", "password": "wrong password"}
    )

    assert wrong.status_code == unknown.status_code == 200
    message = "Deze combinatie van gebruikersnaam en wachtwoord is onbekend."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_copied_session_cookie_stops_working_after_logout(app, factory, login):
    contact = factory.contact()
    browser_one = login(contact, test_client=app.test_client())
    cookie = browser_one.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/professionals/").status_code == 200

    browser_one.post("/logout")

    assert thief.get("/professionals/").status_code == 302


def test_deactivated_contact_is_signed_out_at_once(app, factory, login):
    contact = factory.contact()
    signed_in = login(contact)

    with app.app_context():
        row = db.session.get(Contact, contact.id)
        row.active = False
        row.end_sessions()
        db.session.commit()

    assert signed_in.get("/professionals/").status_code == 302
    response = signed_in.post(
        "/login", data={"identifier": contact.username, "password": PASSWORD}
    )
    assert response.status_code == 200


def test_password_change_ends_other_sessions(app, factory, login):
    contact = factory.contact()
    other_device = login(contact, test_client=app.test_client())
    this_device = login(contact, test_client=app.test_client())

    response = this_device.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "password": "a brand new password",
            "password_repeat": "a brand new password",
        },
    )

    assert response.status_code == 302
    assert this_device.get("/professionals/").status_code == 200
    assert other_device.get("/professionals/").status_code == 302


def _mail_set_password(app, contact_id):
    with app.test_request_context():
        contact = db.session.get(Contact, contact_id)
        send_set_password(contact, "Welkom.")
        db.session.commit()
        from app import mail

        mail.send_pending()


def test_set_password_link_from_mail_works_once(app, client, factory, mailbox):
    contact = factory.contact(password=None)
    _mail_set_password(app, contact.id)
    link = mailbox.last_link(contact.email)
    assert link.startswith("http://pe-inzage.test/wachtwoord/set-password/")
    path = link.removeprefix("http://pe-inzage.test")

    form = client.get(path)
    assert form.status_code == 200
    done = client.post(
        path, data={"password": "tien tekens!", "password_repeat": "tien tekens!"}
    )
    assert done.status_code == 302

    assert client.get(path).status_code == 404
    response = client.post(
        "/login", data={"identifier": contact.username, "password": "tien tekens!"}
    )
    assert response.status_code == 302


def test_short_or_unequal_passwords_are_refused_next_to_the_field(app, client, factory):
    contact = factory.contact(password=None)
    with app.test_request_context():
        token = tokens.make_token(db.session.get(Contact, contact.id), "set-password")
    path = f"/wachtwoord/set-password/{token}"

    short = client.post(path, data={"password": "kort", "password_repeat": "kort"})
    unequal = client.post(
        path, data={"password": "lang genoeg 1", "password_repeat": "lang genoeg 2"}
    )

    assert "minstens 10 tekens" in short.get_data(as_text=True)
    assert "niet gelijk" in unequal.get_data(as_text=True)


def test_link_for_one_purpose_fails_for_another(app, client, factory):
    contact = factory.contact(password=None)
    with app.test_request_context():
        token = tokens.make_token(db.session.get(Contact, contact.id), "set-password")

    assert client.get(f"/wachtwoord/reset-password/{token}").status_code == 404
    assert client.get(f"/wachtwoord/set-password/{token}x").status_code == 404


def test_links_expire(app, client, factory):
    contact = factory.contact(password=None)
    with app.test_request_context():
        account = db.session.get(Contact, contact.id)
        set_token = tokens.make_token(account, "set-password")
        reset_token = tokens.make_token(account, "reset-password")

    with freeze_time(timedelta(hours=1, minutes=1)):
        assert (
            client.get(f"/wachtwoord/reset-password/{reset_token}").status_code == 404
        )
        assert client.get(f"/wachtwoord/set-password/{set_token}").status_code == 200
    with freeze_time(timedelta(days=7, minutes=1)):
        assert client.get(f"/wachtwoord/set-password/{set_token}").status_code == 404


def _without_csrf(response) -> str:
    return re.sub(r'(csrf[-_]token"? (?:content|value)=)"[^"]*"', r"\1", response.text)


def test_forgot_password_answers_the_same_and_mails_only_real_accounts(
    client, factory, mailbox
):
    contact = factory.contact()

    known = client.post("/wachtwoord-vergeten", data={"identifier": contact.email})
    unknown = client.post("/wachtwoord-vergeten", data={"identifier": "x@y.test"})

    # The pages differ only in the CSRF token, which carries its own timestamp.
    assert _without_csrf(known) == _without_csrf(unknown)
    assert len(mailbox.to(contact.email)) == 1
    assert "/wachtwoord/reset-password/" in mailbox.last_link(contact.email)


def test_login_is_rate_limited_per_account(app, client, factory):
    contact = factory.contact()
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3/minute"
    try:
        answers = [
            client.post(
                "/login", data={"identifier": contact.username, "password": "nope nope"}
            ).status_code
            for _ in range(4)
        ]
        blocked = client.post(
            "/login", data={"identifier": contact.username, "password": PASSWORD}
        )
    finally:
        app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "1000/minute"

    assert answers == [200, 200, 200, 429]
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.get_data(as_text=True)


@pytest.mark.parametrize(
    "status", [OrganisationStatus.REQUESTED, OrganisationStatus.SUSPENDED]
)
def test_contact_of_unauthorised_organisation_sees_only_the_waiting_page(
    client, factory, login, status
):
    organisation = factory.organisation(status=status)
    contact = factory.contact(organisation, role="eerste")
    login(contact)

    for path in ("/professionals/", "/organisatie/beheerders", "/mijn/dossier"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/wacht-op-autorisatie")
    page = client.get("/wacht-op-autorisatie").get_data(as_text=True)
    assert organisation.name in page


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/organisatie/beheerders", "/organisatie/beheerders"),
        ("https://evil.test/", "/professionals/"),
        ("//evil.test/", "/professionals/"),
        ("/\\evil.test", "/professionals/"),
    ],
)
def test_redirect_after_login_stays_inside_the_app(client, factory, target, expected):
    contact = factory.contact(role="eerste")

    response = client.post(
        "/login",
        query_string={"next": target},
        data={"identifier": contact.username, "password": PASSWORD},
    )

    assert response.headers["Location"] == expected


def test_login_is_audited(app, client, factory, login):
    contact = factory.contact()
    login(contact)

    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "auth.login" in actions
