"""Flow 2: register staff authorise, reject, suspend and reinstate employers."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import AuditEvent, Organisation, OrganisationStatus, db, utcnow
from tests.conftest import PASSWORD
from tests.test_registration import NEW_PASSWORD, request_data

HTMX = {"HX-Request": "true"}


def requested(factory, name="Aanvrager BV", **values):
    organisation = factory.organisation(
        status=OrganisationStatus.REQUESTED, name=name, **values
    )
    contact = factory.contact(
        organisation, role="eerste", password=None, email=f"{name[:4].lower()}@org.nl"
    )
    return organisation, contact


def status_of(app, organisation) -> str:
    with app.app_context():
        return db.session.get(Organisation, organisation.id).status


def actions(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent.action)).all()


@pytest.mark.parametrize("kind", ["anonymous", "contact", "professional"])
def test_only_staff_reach_the_staff_pages(client, factory, login, kind):
    if kind == "contact":
        login(factory.contact(role="eerste"))
    elif kind == "professional":
        login(factory.professional())
    organisation, _ = requested(factory)

    for method, path in (
        ("get", "/beheer/aanvragen"),
        ("get", "/beheer/werkgevers"),
        ("post", f"/beheer/aanvragen/{organisation.id}/autoriseren"),
    ):
        response = getattr(client, method)(path)
        assert response.status_code == (302 if kind == "anonymous" else 404)


def test_requests_are_listed_newest_first_with_details(client, factory, login):
    now = utcnow()
    requested(factory, "Oud BV", requested_at=now - timedelta(days=2))
    requested(factory, "Nieuw BV", requested_at=now)
    factory.organisation(name="Al Geautoriseerd BV")
    login(factory.staff())

    page = client.get("/beheer/aanvragen").get_data(as_text=True)

    assert page.index("Nieuw BV") < page.index("Oud BV")
    assert "Al Geautoriseerd BV" not in page
    assert "nieu@org.nl" in page
    assert "Dorpsstraat" in page
    assert '<th scope="col">Aanvrager</th>' in page


def test_authorise_with_htmx_returns_the_row_and_mails_the_contact(
    app, client, factory, login, mailbox
):
    organisation, contact = requested(factory)
    login(factory.staff())

    response = client.post(
        f"/beheer/aanvragen/{organisation.id}/autoriseren", headers=HTMX
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="aanvraag-{organisation.id}">')
    assert "<html" not in html
    assert "Geautoriseerd" in html
    assert status_of(app, organisation) == OrganisationStatus.AUTHORISED
    assert "organisation.authorised" in actions(app)
    (message,) = mailbox.to(contact.email)
    body = mailbox.body(message)
    assert "is geautoriseerd" in body
    assert f"gebruikersnaam: {contact.username}" in body
    # The contact never set a password: the mail brings a fresh link.
    assert "/wachtwoord/set-password/" in body


def test_authorise_without_javascript_redirects_back(app, client, factory, login):
    organisation, _ = requested(factory)
    login(factory.staff())

    response = client.post(f"/beheer/aanvragen/{organisation.id}/autoriseren")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beheer/aanvragen")
    page = client.get("/beheer/aanvragen").get_data(as_text=True)
    assert "Aanvrager BV: geautoriseerd." in page
    assert status_of(app, organisation) == OrganisationStatus.AUTHORISED


def test_deciding_twice_changes_nothing_the_second_time(
    app, client, factory, login, mailbox
):
    organisation, contact = requested(factory)
    login(factory.staff())
    client.post(f"/beheer/aanvragen/{organisation.id}/autoriseren", headers=HTMX)

    again = client.post(
        f"/beheer/aanvragen/{organisation.id}/afwijzen",
        data={"reason": "Te laat"},
        headers=HTMX,
    )

    assert "is inmiddels geautoriseerd" in again.get_data(as_text=True)
    assert status_of(app, organisation) == OrganisationStatus.AUTHORISED
    assert len(mailbox.to(contact.email)) == 1


def test_reject_needs_a_reason_next_to_the_field(app, client, factory, login):
    organisation, _ = requested(factory)
    login(factory.staff())
    path = f"/beheer/aanvragen/{organisation.id}/afwijzen"

    with_htmx = client.post(path, data={"reason": "  "}, headers=HTMX)
    without = client.post(path, data={"reason": ""})

    row = with_htmx.get_data(as_text=True)
    assert f'id="reden-{organisation.id}-error" role="alert"' in row
    assert "Vul de reden in" in row
    page = without.get_data(as_text=True)
    assert "Aanvraag van Aanvrager BV afwijzen" in page
    assert 'id="reason-error" role="alert">Vul de reden in' in page
    assert status_of(app, organisation) == OrganisationStatus.REQUESTED


def test_reject_mails_the_reason(app, client, factory, login, mailbox):
    organisation, contact = requested(factory)
    login(factory.staff())

    response = client.post(
        f"/beheer/aanvragen/{organisation.id}/afwijzen",
        data={"reason": "Geen werkgever in de zin van het register."},
        headers=HTMX,
    )

    assert "Afgewezen" in response.get_data(as_text=True)
    assert status_of(app, organisation) == OrganisationStatus.REJECTED
    (message,) = mailbox.to(contact.email)
    assert "Reden: Geen werkgever in de zin van het register." in mailbox.body(message)
    assert "organisation.rejected" in actions(app)


def test_whole_path_from_request_to_first_login(app, client, factory, mailbox, login):
    factory.register()
    staff = factory.staff()
    employer = app.test_client()
    employer.post("/aanvragen/SEU", data=request_data())
    link = mailbox.last_link("hr@werkgever.nl").removeprefix("http://pe-inzage.test")
    employer.post(
        link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}
    )
    assert (
        employer.post(
            "/login", data={"identifier": "hr-werkgever", "password": NEW_PASSWORD}
        ).headers["Location"]
        == "/professionals/"
    )
    assert (
        employer.get("/professionals/")
        .headers["Location"]
        .endswith("/wacht-op-autorisatie")
    )

    login(staff)
    with app.app_context():
        organisation_id = db.session.scalars(select(Organisation.id)).one()
    client.post(f"/beheer/aanvragen/{organisation_id}/autoriseren", headers=HTMX)

    messages = mailbox.to("hr@werkgever.nl")
    assert len(messages) == 2
    body = mailbox.body(messages[-1])
    assert "is geautoriseerd" in body
    assert "/wachtwoord/" not in body  # the password was set already
    assert employer.get("/professionals/").status_code == 200


def test_organisations_are_filtered_and_paged(app, client, factory, login):
    factory.register()
    for n in range(4):
        factory.organisation(name=f"Actief {n} BV")
    factory.organisation(name="Geschorst BV", status=OrganisationStatus.SUSPENDED)
    login(factory.staff())
    app.config["PER_PAGE"] = 2
    try:
        first = client.get("/beheer/werkgevers").get_data(as_text=True)
        last = client.get("/beheer/werkgevers?page=3").get_data(as_text=True)
        suspended = client.get("/beheer/werkgevers?status=suspended").get_data(
            as_text=True
        )
    finally:
        app.config["PER_PAGE"] = 25

    assert "Totaal werkgevers: 5" in first
    assert "Pagina 1 van 3" in first
    assert "Actief 0 BV" in first and "Geschorst BV" not in first
    assert "Geschorst BV" in last
    assert "Totaal werkgevers: 1" in suspended
    assert "Actief 0 BV" not in suspended


def test_suspend_asks_a_reason_and_shuts_the_contacts_out(
    app, client, factory, login, mailbox
):
    organisation = factory.organisation(name="Werkgever BV")
    contact = factory.contact(organisation, role="eerste")
    employer = login(contact, test_client=app.test_client())
    login(factory.staff())
    path = f"/beheer/werkgevers/{organisation.id}/schorsen"

    confirm = client.get(path).get_data(as_text=True)
    refused = client.post(path, data={"reason": ""}).get_data(as_text=True)
    done = client.post(path, data={"reason": "Misbruik gemeld"})

    assert "Werkgever BV schorsen?" in confirm
    assert "Vul de reden in" in refused
    assert done.headers["Location"].endswith("/beheer/werkgevers")
    assert status_of(app, organisation) == OrganisationStatus.SUSPENDED
    assert "Reden: Misbruik gemeld" in mailbox.body(mailbox.to(contact.email)[-1])
    assert (
        employer.get("/professionals/")
        .headers["Location"]
        .endswith("/wacht-op-autorisatie")
    )
    assert "organisation.suspended" in actions(app)


def test_reinstate_updates_the_row_and_lets_contacts_in(app, client, factory, login):
    organisation = factory.organisation(status=OrganisationStatus.SUSPENDED)
    contact = factory.contact(organisation, role="eerste")
    login(factory.staff())

    response = client.post(
        f"/beheer/werkgevers/{organisation.id}/heropenen", headers=HTMX
    )

    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tr id="werkgever-{organisation.id}">')
    assert "Schorsen" in html
    assert status_of(app, organisation) == OrganisationStatus.AUTHORISED
    employer = login(contact, PASSWORD, test_client=app.test_client())
    assert employer.get("/professionals/").status_code == 200


def test_only_authorised_organisations_can_be_suspended(app, client, factory, login):
    organisation, _ = requested(factory)
    login(factory.staff())

    client.post(
        f"/beheer/werkgevers/{organisation.id}/schorsen", data={"reason": "Test"}
    )

    assert status_of(app, organisation) == OrganisationStatus.REQUESTED


def test_decisions_record_actor_and_time(app, client, factory, login):
    organisation, _ = requested(factory)
    staff = factory.staff()
    login(staff)

    client.post(f"/beheer/aanvragen/{organisation.id}/autoriseren")

    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "organisation.authorised")
        ).one()
        row = db.session.get(Organisation, organisation.id)
        assert (event.actor_kind, event.actor_id) == ("s", staff.id)
        assert (event.subject_kind, event.subject_id) == (
            "organisation",
            organisation.id,
        )
        assert event.occurred_at.utcoffset() == timedelta(0)
        assert row.status_changed_by_id == staff.id


def test_staff_reach_an_organisations_details_contacts_and_report(
    client, factory, login
):
    organisation = factory.organisation()
    factory.contact(organisation, role="eerste", name="Eerste Contactpersoon")
    login(factory.staff())

    listing = client.get("/beheer/werkgevers").get_data(as_text=True)

    for path in (
        f"/organisatie/{organisation.id}/",
        f"/organisatie/{organisation.id}/beheerders",
        f"/professionals/rapportage?organisation_id={organisation.id}",
    ):
        assert f'href="{path}"' in listing.replace("&amp;", "&")
        page = client.get(path)
        assert page.status_code == 200
        assert organisation.name in page.get_data(as_text=True)
