"""Flow 1: the employer account request, from the form to the first login."""

import re

import pytest
from sqlalchemy import select

from app.models import AuditEvent, Contact, Organisation, OrganisationStatus, db
from app.registration.forms import DECLARATION

NEW_PASSWORD = "een lang nieuw wachtwoord"


def request_data(**overrides) -> dict:
    data = {
        "nonce": "form-1",
        "name": "Jan Jansen",
        "email": "hr@werkgever.nl",
        "email_repeat": "hr@werkgever.nl",
        "username": "hr-werkgever",
        "organisation_name": "Werkgever BV",
        "street": "Dorpsstraat 1",
        "postcode": "1234ab",
        "city": "Utrecht",
        "country": "Nederland",
        "declaration": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def error_of(html: str, field_id: str) -> str:
    """The error text shown next to a field, or '' when there is none."""
    match = re.search(rf'id="{field_id}-error" role="alert">([^<]*)<', html)
    return match.group(1) if match else ""


def test_choose_register_links_to_its_form(client, factory):
    factory.register()

    page = client.get("/aanvragen/").get_data(as_text=True)

    assert "Register SEU" in page
    assert 'href="/aanvragen/SEU"' in page


def test_unknown_register_is_not_found(client, factory):
    factory.register()

    assert client.get("/aanvragen/XYZ").status_code == 404


def test_form_shows_every_field_in_dutch_with_the_declaration(client, factory):
    factory.register()

    page = client.get("/aanvragen/SEU").get_data(as_text=True)

    for label in (
        "Naam",
        "E-mailadres",
        "Herhaal e-mailadres",
        "Gebruikersnaam",
        "Naam organisatie",
        "Straatadres",
        "Postcode",
        "Plaats",
        "Land",
    ):
        assert f">{label} <span" in page
    assert DECLARATION in page
    assert '<option selected value="Nederland">Nederland</option>' in page


def test_request_stores_organisation_and_contact_and_mails_the_link(
    app, client, factory, mailbox
):
    factory.register()

    response = client.post("/aanvragen/SEU", data=request_data())

    assert response.headers["Location"].endswith("/aanvragen/ontvangen")
    page = client.get("/aanvragen/ontvangen").get_data(as_text=True)
    assert "Uw aanvraag is ontvangen" in page
    assert "Werkgever BV" in page
    with app.app_context():
        organisation = db.session.scalars(select(Organisation)).one()
        contact = db.session.scalars(select(Contact)).one()
        assert organisation.status == OrganisationStatus.REQUESTED
        assert organisation.postcode == "1234 AB"
        assert organisation.werkgevernummer is not None
        assert contact.role == "eerste"
        assert contact.organisation_id == organisation.id
        assert contact.password_hash is None
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "organisation.requested" in actions
    (message,) = mailbox.to("hr@werkgever.nl")
    body = mailbox.body(message)
    assert "Gebruikersnaam: hr-werkgever" in body
    assert "http://pe-inzage.test/wachtwoord/set-password/" in body
    assert "Loginpagina: http://pe-inzage.test/login" in body


def test_werkgevernummers_are_unique(app, client, factory):
    factory.register()
    client.post("/aanvragen/SEU", data=request_data())
    client.post(
        "/aanvragen/SEU",
        data=request_data(
            nonce="form-2",
            email="l&d@ander.nl",
            email_repeat="l&d@ander.nl",
            username="ld-ander",
        ),
    )

    with app.app_context():
        numbers = db.session.scalars(select(Organisation.werkgevernummer)).all()
    assert len(set(numbers)) == 2


@pytest.mark.parametrize(
    "overrides, field_id, message",
    [
        ({"name": ""}, "name", "Vul uw naam in."),
        ({"email": ""}, "email", "Vul uw e-mailadres in."),
        (
            {"email": "geen-adres", "email_repeat": "geen-adres"},
            "email",
            "Vul een geldig e-mailadres in.",
        ),
        ({"email_repeat": ""}, "email_repeat", "Herhaal uw e-mailadres."),
        (
            {"email_repeat": "ander@werkgever.nl"},
            "email_repeat",
            "De e-mailadressen zijn niet gelijk.",
        ),
        ({"username": ""}, "username", "Kies een gebruikersnaam."),
        ({"username": "a b"}, "username", "Een gebruikersnaam heeft 3 tot 64 tekens"),
        (
            {"organisation_name": ""},
            "organisation_name",
            "Vul de naam van de organisatie in.",
        ),
        ({"street": ""}, "street", "Vul het straatadres in."),
        ({"postcode": ""}, "postcode", "Vul de postcode in."),
        (
            {"postcode": "123 AB"},
            "postcode",
            "Vul een Nederlandse postcode in, zoals 1234 AB.",
        ),
        ({"city": ""}, "city", "Vul de plaats in."),
        ({"country": "Atlantis"}, "country", "Kies een land uit de lijst."),
        (
            {"declaration": None},
            "declaration",
            "Ga akkoord met de verklaring om door te gaan.",
        ),
    ],
)
def test_each_rule_is_refused_next_to_its_field_keeping_the_values(
    app, client, factory, overrides, field_id, message
):
    factory.register()
    data = request_data(**overrides)

    response = client.post("/aanvragen/SEU", data=data)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in error_of(html, field_id)
    for other in ("name", "email", "username", "organisation_name", "city"):
        if data.get(other) and other != field_id:
            assert f'value="{data[other]}"' in html
    with app.app_context():
        assert db.session.scalars(select(Organisation)).first() is None


def test_foreign_postcode_is_kept_as_typed(app, client, factory):
    factory.register()

    response = client.post(
        "/aanvragen/SEU", data=request_data(country="België", postcode="B-1000")
    )

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Organisation.postcode)).one() == "B-1000"


def test_double_submission_makes_one_request(app, client, factory, mailbox):
    factory.register()

    first = client.post("/aanvragen/SEU", data=request_data())
    second = client.post("/aanvragen/SEU", data=request_data())

    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert len(db.session.scalars(select(Organisation)).all()) == 1
    assert len(mailbox.to("hr@werkgever.nl")) == 1


def test_username_is_unique_whatever_the_case(app, client, factory):
    factory.register()
    factory.contact(username="HR-Werkgever")

    response = client.post("/aanvragen/SEU", data=request_data())

    html = response.get_data(as_text=True)
    assert "Deze gebruikersnaam is al in gebruik" in error_of(html, "username")
    with app.app_context():
        assert len(db.session.scalars(select(Organisation)).all()) == 1


def test_email_of_an_existing_contact_is_refused(client, factory):
    factory.register()
    factory.contact(email="hr@werkgever.nl")

    html = client.post("/aanvragen/SEU", data=request_data()).get_data(as_text=True)

    assert "hoort al bij een contactpersoon" in error_of(html, "email")


def test_a_race_past_the_form_check_gets_a_friendly_answer(
    app, client, factory, monkeypatch
):
    factory.register()
    factory.contact(username="hr-werkgever")
    # Another request with this username was stored between the check and the
    # insert: the unique index refuses it.
    monkeypatch.setattr(
        "app.registration.forms.RequestForm.validate_username",
        lambda form, field: None,
    )

    response = client.post("/aanvragen/SEU", data=request_data())

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "De aanvraag is niet opgeslagen" in html
    assert 'value="Werkgever BV"' in html
    with app.app_context():
        assert len(db.session.scalars(select(Organisation)).all()) == 1


def test_pending_contact_sees_only_the_waiting_page(client, factory, mailbox):
    factory.register()
    client.post("/aanvragen/SEU", data=request_data())
    link = mailbox.last_link("hr@werkgever.nl")
    client.post(
        link.removeprefix("http://pe-inzage.test"),
        data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )

    response = client.post(
        "/login", data={"identifier": "hr-werkgever", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302

    for path in ("/professionals/", "/organisatie/beheerders", "/beheer/aanvragen"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer.headers["Location"].endswith("/wacht-op-autorisatie")
    page = client.get("/wacht-op-autorisatie").get_data(as_text=True)
    assert "Uw aanvraag wacht op autorisatie" in page
    assert "Werkgever BV" in page


def test_the_same_request_twice_at_once_ends_on_the_confirmation(
    app, client, factory, monkeypatch
):
    factory.register()
    client.post("/aanvragen/SEU", data=request_data())
    # The twin left the browser before the first answer came back: no session
    # remembers it, and it passed the form's checks before the first was stored.
    for check in ("validate_username", "validate_email"):
        monkeypatch.setattr(
            f"app.registration.forms.RequestForm.{check}", lambda form, field: None
        )
    twin = app.test_client()

    response = twin.post("/aanvragen/SEU", data=request_data())

    assert response.headers["Location"].endswith("/aanvragen/ontvangen")
    assert "Werkgever BV" in twin.get("/aanvragen/ontvangen").get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Organisation)).all()) == 1
