"""Flow 3: organisation details and the contact accounts, with the role rules."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import today
from app.contacts import services
from app.models import AuditEvent, Contact, ContactRole, Organisation, db
from app.policy import live_inzage_for, visible_to_contact
from tests.conftest import PASSWORD

EERSTE = ContactRole.EERSTE
DEPUTY = ContactRole.PLAATSVERVANGER
MANAGER = ContactRole.MANAGER
HTMX = {"HX-Request": "true"}


# --- helpers ----------------------------------------------------------------------


@pytest.fixture
def org(factory):
    """An authorised organisation with a 1e contactpersoon and a manager."""
    organisation = factory.organisation()
    eerste = factory.contact(organisation, role=EERSTE, name="Eva Eerste")
    manager = factory.contact(organisation, role=MANAGER, name="Mark Manager")
    return organisation, eerste, manager


def fetch(app, model, object_id):
    with app.app_context():
        row = db.session.get(model, object_id)
        if row is not None:
            db.session.expunge(row)
        return row


def audit_actions(app, action=None):
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        events = db.session.scalars(query).all()
        for event in events:
            db.session.expunge(event)
        return events


def active_count(app, organisation_id, role):
    with app.app_context():
        return db.session.scalar(
            select(func.count(Contact.id)).where(
                Contact.organisation_id == organisation_id,
                Contact.role == role,
                Contact.active.is_(True),
            )
        )


def contacts_url(organisation, suffix=""):
    return f"/organisatie/{organisation.id}/beheerders{suffix}"


def row_url(organisation, contact, action):
    return contacts_url(organisation, f"/{contact.id}/{action}")


def new_contact(n=1, role=MANAGER, **values):
    return {
        "name": f"Nieuw Account {n}",
        "email": f"nieuw{n}@werkgever.test",
        "email_repeat": f"nieuw{n}@werkgever.test",
        "username": f"nieuw{n}",
        "role": role,
        **values,
    }


def text(response):
    return response.get_data(as_text=True)


# --- who may come here --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/beheerders", "/beheerders/toevoegen"])
@pytest.mark.parametrize(
    "who, expected",
    [
        ("eerste", 200),
        ("deputy", 200),
        ("staff", 200),
        ("manager", 404),
        ("professional", 404),
        ("other_eerste", 404),
        ("anonymous", 302),
    ],
)
def test_only_own_beheerders_and_staff_see_the_pages(
    client, factory, login, org, path, who, expected
):
    organisation, eerste, manager = org
    accounts = {
        "eerste": lambda: eerste,
        "deputy": lambda: factory.contact(organisation, role=DEPUTY),
        "staff": factory.staff,
        "manager": lambda: manager,
        "professional": factory.professional,
        "other_eerste": lambda: factory.contact(role=EERSTE),
    }
    if who != "anonymous":
        login(accounts[who]())

    response = client.get(f"/organisatie/{organisation.id}{path}")

    assert response.status_code == expected


def test_manager_gets_404_on_every_action(client, factory, login, org):
    organisation, eerste, manager = org
    other = factory.contact(organisation, role=MANAGER)
    login(manager)

    for action in ("rol", "deactiveren", "activeren", "wachtwoordmail"):
        response = client.post(
            row_url(organisation, other, action), data={"role": DEPUTY, "confirmed": 1}
        )
        assert response.status_code == 404
    assert client.get(contacts_url(organisation, "/overdragen")).status_code == 404


def test_unknown_organisation_answers_like_a_foreign_one(client, factory, login):
    staff = factory.staff()
    login(staff)

    assert client.get("/organisatie/999999/beheerders").status_code == 404


def test_beheerder_of_a_cannot_touch_a_contact_of_b_by_id(
    app, client, factory, login, mailbox
):
    org_a = factory.organisation()
    eerste_a = factory.contact(org_a, role=EERSTE)
    org_b = factory.organisation()
    factory.contact(org_b, role=EERSTE)
    victim = factory.contact(org_b, role=MANAGER)
    login(eerste_a)

    attempts = [
        # B's contact through A's organisation, and through B's organisation.
        (org_a, "deactiveren"),
        (org_a, "rol"),
        (org_a, "wachtwoordmail"),
        (org_b, "deactiveren"),
        (org_b, "rol"),
        (org_b, "activeren"),
    ]
    for organisation, action in attempts:
        response = client.post(
            row_url(organisation, victim, action),
            data={"role": DEPUTY, "confirmed": "1"},
        )
        assert response.status_code == 404, (organisation.id, action)
    edit = client.post(
        f"/organisatie/{org_b.id}/",
        data={
            "name": "Overgenomen",
            "street": "X 1",
            "postcode": "1234 AB",
            "city": "X",
            "country": "Nederland",
        },
    )

    assert edit.status_code == 404
    after = fetch(app, Contact, victim.id)
    assert after.active and after.role == MANAGER
    assert fetch(app, Organisation, org_b.id).name == org_b.name
    assert mailbox.to(victim.email) == []
    assert len(audit_actions(app, "contacts.refused")) == len(attempts) + 1


# --- organisation details -----------------------------------------------------------


def test_beheerder_edits_the_details_and_the_audit_keeps_old_and_new(
    app, client, login, org
):
    organisation, eerste, _ = org
    login(eerste)

    response = client.post(
        f"/organisatie/{organisation.id}/",
        data={
            "name": "Nieuwe Naam BV",
            "street": organisation.street,
            "postcode": " 3511ab ",
            "city": "Utrecht",
            "country": "Nederland",
        },
        follow_redirects=True,
    )

    assert "De organisatiegegevens zijn opgeslagen." in text(response)
    saved = fetch(app, Organisation, organisation.id)
    assert (saved.name, saved.postcode) == ("Nieuwe Naam BV", "3511 AB")
    [event] = audit_actions(app, "organisation.updated")
    assert event.details["changes"] == {
        "name": [organisation.name, "Nieuwe Naam BV"],
        "postcode": ["1234 AB", "3511 AB"],
    }
    assert (event.actor_kind, event.actor_id) == ("c", eerste.id)


def test_details_are_validated_like_the_request_form(app, client, login, org):
    organisation, eerste, _ = org
    login(eerste)

    response = client.post(
        f"/organisatie/{organisation.id}/",
        data={
            "name": "",
            "street": "Kerkstraat 9",
            "postcode": "12345",
            "city": "Utrecht",
            "country": "Nederland",
        },
    )

    page = text(response)
    assert "Vul de naam van de organisatie in." in page
    assert "Vul een Nederlandse postcode in, zoals 1234 AB." in page
    assert 'value="Kerkstraat 9"' in page and 'value="12345"' in page
    assert fetch(app, Organisation, organisation.id).street == organisation.street
    assert audit_actions(app, "organisation.updated") == []


def test_staff_edits_a_foreign_address(app, client, factory, login, org):
    organisation, _, _ = org
    staff = factory.staff()
    login(staff)

    client.post(
        f"/organisatie/{organisation.id}/",
        data={
            "name": organisation.name,
            "street": "Rue de la Loi 1",
            "postcode": "B-1000",
            "city": "Brussel",
            "country": "België",
        },
    )

    saved = fetch(app, Organisation, organisation.id)
    assert (saved.postcode, saved.country) == ("B-1000", "België")
    [event] = audit_actions(app, "organisation.updated")
    assert event.actor_kind == "s"


# --- the table ----------------------------------------------------------------------


def test_table_shows_roles_advice_and_filters_on_active(client, factory, login, org):
    organisation, eerste, manager = org
    factory.contact(organisation, role=DEPUTY, name="Dirk Deputy")
    factory.contact(organisation, role=MANAGER, name="Ina Inactief", active=False)
    login(eerste)

    page = text(client.get(contacts_url(organisation)))
    active_only = text(client.get(contacts_url(organisation), query_string={"actief": "ja"}))
    inactive_only = text(
        client.get(contacts_url(organisation), query_string={"actief": "nee"})
    )

    for heading in (
        "Naam",
        "Actief",
        "Contactpersoon organisatie",
        "Plaatsvervangend contactpersoon",
        "Vestiging / Manager",
    ):
        assert f'<th scope="col">{heading}</th>' in page
    assert "HR en/of L&amp;D (met algemene mailadressen)" in page
    assert "(regio)managers" in page
    assert "alleen accounts met de rol 'Contactpersoon organisatie'" in page
    for name in ("Eva Eerste", "Mark Manager", "Dirk Deputy", "Ina Inactief"):
        assert name in page
    assert "Ina Inactief" not in active_only and "Dirk Deputy" in active_only
    assert "Ina Inactief" in inactive_only and "Dirk Deputy" not in inactive_only


def test_htmx_filter_answers_with_the_table_only(client, login, org):
    organisation, eerste, _ = org
    login(eerste)

    response = client.get(
        contacts_url(organisation), query_string={"actief": "ja"}, headers=HTMX
    )

    assert "<html" not in text(response)
    assert 'id="contacts-rows"' in text(response)
    assert "HX-Request" in response.headers["Vary"]
