"""Flow 3: organisation details and the contact accounts, with the role rules."""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

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
        "email": f"nieuw{n}@werkgever.nl",
        "email_repeat": f"nieuw{n}@werkgever.nl",
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
    active_only = text(
        client.get(contacts_url(organisation), query_string={"actief": "ja"})
    )
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


def test_table_pages_through_many_accounts(app, client, factory, login, org):
    organisation, eerste, _ = org
    for n in range(3):
        factory.contact(
            organisation, role=MANAGER, name=f"Zz Vestiging {n}", password=None
        )
    login(eerste)
    app.config["PER_PAGE"] = 3
    try:
        first = text(client.get(contacts_url(organisation)))
        second = text(client.get(contacts_url(organisation), query_string={"page": 2}))
    finally:
        app.config["PER_PAGE"] = 25

    assert "Pagina 1 van 2" in first and "Zz Vestiging 1" not in first
    assert "Zz Vestiging 1" in second and "Mark Manager" not in second


def test_htmx_filter_answers_with_the_table_only(client, login, org):
    organisation, eerste, _ = org
    login(eerste)

    response = client.get(
        contacts_url(organisation), query_string={"actief": "ja"}, headers=HTMX
    )

    assert "<html" not in text(response)
    assert 'id="contacts-rows"' in text(response)
    assert "HX-Request" in response.headers["Vary"]


# --- adding a contact ---------------------------------------------------------------


def test_beheerder_adds_a_manager_who_sets_a_password_and_signs_in(
    app, client, login, org, mailbox
):
    organisation, eerste, _ = org
    login(eerste)

    response = client.post(
        contacts_url(organisation, "/toevoegen"),
        data=new_contact(
            1, email="Nieuw1@Werkgever.nl", email_repeat="nieuw1@werkgever.nl"
        ),
        follow_redirects=True,
    )

    assert "Nieuw Account 1 is toegevoegd" in text(response)
    assert "Nieuw Account 1" in text(response)
    [message] = mailbox.to("nieuw1@werkgever.nl")
    body = mailbox.body(message)
    assert "Gebruikersnaam: nieuw1" in body
    assert f"Vestiging / Manager van {organisation.name}" in body
    with app.app_context():
        added = db.session.scalar(select(Contact).filter_by(username="nieuw1"))
        assert (added.role, added.active, added.organisation_id) == (
            MANAGER,
            True,
            organisation.id,
        )
    [event] = audit_actions(app, "contact.added")
    assert (event.actor_id, event.subject_id, event.details) == (
        eerste.id,
        added.id,
        {"role": MANAGER},
    )

    newcomer = app.test_client()
    path = mailbox.last_link("nieuw1@werkgever.nl").removeprefix(
        "http://pe-inzage.test"
    )
    newcomer.post(path, data={"password": PASSWORD, "password_repeat": PASSWORD})
    signed_in = newcomer.post(
        "/login", data={"identifier": "nieuw1", "password": PASSWORD}
    )
    assert signed_in.headers["Location"].endswith("/professionals/")


def test_staff_adds_a_contact_for_an_organisation(app, client, factory, login, org):
    organisation, _, _ = org
    login(factory.staff())

    client.post(contacts_url(organisation, "/toevoegen"), data=new_contact(5))

    [event] = audit_actions(app, "contact.added")
    assert (event.actor_kind, event.organisation_id) == ("s", organisation.id)


def test_add_form_explains_every_mistake_and_keeps_the_values(
    app, client, factory, login, org, mailbox
):
    organisation, eerste, _ = org
    manager = factory.contact(organisation, email="hr@werkgever.nl", password=None)
    login(eerste)

    response = client.post(
        contacts_url(organisation, "/toevoegen"),
        data=new_contact(
            2,
            email=manager.email.upper(),
            email_repeat="iets@anders.test",
            username=manager.username.upper(),
        ),
    )

    page = text(response)
    assert response.status_code == 200
    assert "De e-mailadressen zijn niet gelijk." in page
    assert "Dit e-mailadres hoort al bij een contactpersoon." in page
    assert "Deze gebruikersnaam is al in gebruik." in page
    assert 'value="Nieuw Account 2"' in page
    assert 'value="iets@anders.test"' in page
    assert active_count(app, organisation.id, MANAGER) == 2
    assert mailbox.messages == []


def test_deputy_choice_is_disabled_while_an_active_deputy_exists(
    app, client, factory, login, org
):
    organisation, eerste, _ = org
    login(eerste)
    free = text(client.get(contacts_url(organisation, "/toevoegen")))
    factory.contact(organisation, role=DEPUTY)

    taken = text(client.get(contacts_url(organisation, "/toevoegen")))
    refused = client.post(
        contacts_url(organisation, "/toevoegen"), data=new_contact(3, role=DEPUTY)
    )

    disabled_deputy = re.compile(rf'<input [^>]*disabled [^>]*value="{DEPUTY}"')
    assert not disabled_deputy.search(free)
    assert disabled_deputy.search(taken)
    assert "Er is al een actieve plaatsvervangend contactpersoon" in taken
    assert services.DEPUTY_TAKEN in text(refused)
    assert active_count(app, organisation.id, DEPUTY) == 1


def test_database_refuses_a_second_deputy_that_slipped_past_the_form(
    app, factory, org, mailbox
):
    organisation, eerste, _ = org
    factory.contact(organisation, role=DEPUTY)

    with app.test_request_context():
        actor = db.session.get(Contact, eerste.id)
        target = db.session.get(Organisation, organisation.id)
        with pytest.raises(services.ContactRuleError) as refused:
            services.add_contact(
                target,
                name="Te Laat",
                email="telaat@werkgever.nl",
                username="telaat",
                role=DEPUTY,
                actor=actor,
            )
        db.session.commit()

    assert (refused.value.field, refused.value.message) == (
        "role",
        services.DEPUTY_TAKEN,
    )
    assert active_count(app, organisation.id, DEPUTY) == 1
    assert audit_actions(app, "contact.added") == []


def test_two_simultaneous_deputies_make_exactly_one(app, login, org, mailbox):
    organisation, eerste, _ = org
    clients = [login(eerste, test_client=app.test_client()) for _ in range(2)]
    barrier = threading.Barrier(2)
    responses = [None, None]

    def add_deputy(n):
        barrier.wait()
        responses[n] = clients[n].post(
            contacts_url(organisation, "/toevoegen"),
            data=new_contact(10 + n, role=DEPUTY),
        )

    threads = [threading.Thread(target=add_deputy, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 302]
    [refused] = [r for r in responses if r.status_code == 200]
    assert services.DEPUTY_TAKEN in text(refused)
    assert active_count(app, organisation.id, DEPUTY) == 1
    assert len(audit_actions(app, "contact.added")) == 1
    assert len(mailbox.messages) == 1


def test_htmx_add_answers_with_a_fresh_form_and_the_new_row(client, login, org):
    organisation, eerste, _ = org
    login(eerste)

    response = client.post(
        contacts_url(organisation, "/toevoegen"), data=new_contact(4), headers=HTMX
    )

    page = text(response)
    assert "<html" not in page
    assert 'hx-swap-oob="beforeend:#contacts-rows"' in page
    assert "Nieuw Account 4" in page and "is toegevoegd" in page
    assert 'value="Nieuw Account 4"' not in page  # the form is empty again


# --- roles, (de)activation, the set-password e-mail -----------------------------------


def test_manager_becomes_deputy_and_back_after_confirmation(app, client, login, org):
    organisation, eerste, manager = org
    login(eerste)

    client.post(row_url(organisation, manager, "rol"), data={"role": DEPUTY})
    assert fetch(app, Contact, manager.id).role == DEPUTY

    asked = client.post(row_url(organisation, manager, "rol"), data={"role": MANAGER})
    assert "Weet u het zeker?" in text(asked)
    assert 'name="confirmed" value="1"' in text(asked)
    assert fetch(app, Contact, manager.id).role == DEPUTY

    client.post(
        row_url(organisation, manager, "rol"), data={"role": MANAGER, "confirmed": "1"}
    )
    assert fetch(app, Contact, manager.id).role == MANAGER
    changes = [e.details for e in audit_actions(app, "contact.role_changed")]
    assert changes == [
        {"old": MANAGER, "new": DEPUTY},
        {"old": DEPUTY, "new": MANAGER},
    ]


def test_second_deputy_by_role_change_gets_a_row_error(
    app, client, factory, login, org
):
    organisation, eerste, manager = org
    factory.contact(organisation, role=DEPUTY)
    login(eerste)

    response = client.post(
        row_url(organisation, manager, "rol"), data={"role": DEPUTY}, headers=HTMX
    )

    assert response.status_code == 200
    assert f'id="contact-{manager.id}"' in text(response)
    assert services.DEPUTY_TAKEN in text(response)
    assert fetch(app, Contact, manager.id).role == MANAGER
    assert active_count(app, organisation.id, DEPUTY) == 1


def test_deactivation_is_confirmed_and_ends_the_contacts_sessions_at_once(
    app, client, login, org
):
    organisation, eerste, manager = org
    managers_browser = login(manager, test_client=app.test_client())
    assert managers_browser.get("/professionals/").status_code == 200
    login(eerste)

    asked = client.post(row_url(organisation, manager, "deactiveren"))
    assert "Weet u het zeker?" in text(asked)
    assert fetch(app, Contact, manager.id).active

    response = client.post(
        row_url(organisation, manager, "deactiveren"),
        data={"confirmed": "1"},
        headers=HTMX,
    )

    assert f'id="contact-{manager.id}" class="inactive"' in text(response)
    assert "Mark Manager is niet meer actief." in text(response)
    assert not fetch(app, Contact, manager.id).active
    assert managers_browser.get("/professionals/").status_code == 302
    again = app.test_client().post(
        "/login", data={"identifier": manager.username, "password": PASSWORD}
    )
    assert again.status_code == 200
    [event] = audit_actions(app, "contact.deactivated")
    assert (event.actor_id, event.subject_id) == (eerste.id, manager.id)


def test_inactive_contact_grants_nothing_until_reactivated(
    app, client, factory, login, org
):
    organisation, eerste, manager = org
    professional = factory.professional()
    expired_for = factory.professional()
    factory.inzage(professional, manager, valid_until=today() + timedelta(days=30))
    factory.inzage(expired_for, manager, valid_until=today() - timedelta(days=1))
    login(eerste)

    def sees(professional_id):
        with app.app_context():
            contact = db.session.get(Contact, manager.id)
            return live_inzage_for(contact, professional_id) is not None

    def visible_count():
        with app.app_context():
            contact = db.session.get(Contact, manager.id)
            return db.session.scalar(
                select(func.count()).where(visible_to_contact(contact))
            )

    assert sees(professional.id) and visible_count() == 1

    client.post(row_url(organisation, manager, "deactiveren"), data={"confirmed": "1"})
    assert not sees(professional.id) and visible_count() == 0

    client.post(row_url(organisation, manager, "activeren"))
    assert sees(professional.id) and not sees(expired_for.id)
    assert visible_count() == 1
    assert len(audit_actions(app, "contact.activated")) == 1


def test_a_contact_made_1e_meanwhile_is_not_deactivated(app, org):
    organisation, eerste, manager = org

    with app.test_request_context():
        actor = db.session.get(Contact, eerste.id)
        stale = db.session.get(Contact, manager.id)
        # Another request hands the 1e role to the manager after we read the row.
        with db.engine.begin() as other:
            for contact_id, role in ((eerste.id, MANAGER), (manager.id, EERSTE)):
                other.execute(
                    update(Contact).where(Contact.id == contact_id).values(role=role)
                )
        with pytest.raises(services.ContactRuleError) as refused:
            services.deactivate_contact(stale, actor=actor)

    assert refused.value.message == services.CHANGED_MEANWHILE
    after = fetch(app, Contact, manager.id)
    assert after.active and after.role == EERSTE
    assert active_count(app, organisation.id, EERSTE) == 1


def test_reactivating_a_second_deputy_is_refused(app, client, factory, login, org):
    organisation, eerste, _ = org
    factory.contact(organisation, role=DEPUTY)
    old_deputy = factory.contact(organisation, role=DEPUTY, active=False)
    login(eerste)

    response = client.post(
        row_url(organisation, old_deputy, "activeren"), follow_redirects=True
    )

    assert services.DEPUTY_TAKEN in text(response)
    assert not fetch(app, Contact, old_deputy.id).active


def test_resend_mails_a_new_link_to_active_contacts_only(
    app, client, factory, login, org, mailbox
):
    organisation, eerste, manager = org
    inactive = factory.contact(organisation, role=MANAGER, active=False)
    login(eerste)

    sent = client.post(row_url(organisation, manager, "wachtwoordmail"), headers=HTMX)
    refused = client.post(
        row_url(organisation, inactive, "wachtwoordmail"), headers=HTMX
    )

    assert f"Er is een e-mail gestuurd naar {manager.email}." in text(sent)
    assert mailbox.last_link(manager.email).startswith(
        "http://pe-inzage.test/wachtwoord/set-password/"
    )
    assert services.INACTIVE in text(refused)
    assert mailbox.to(inactive.email) == []
    assert len(audit_actions(app, "contact.set_password_sent")) == 1


def test_deputy_manages_managers_but_cannot_touch_the_eerste(
    app, client, factory, login, org, mailbox
):
    organisation, eerste, manager = org
    deputy = factory.contact(organisation, role=DEPUTY)
    login(deputy)

    table = text(client.get(contacts_url(organisation)))
    attempts = [
        client.post(
            row_url(organisation, eerste, action),
            data={"role": MANAGER, "confirmed": "1"},
            follow_redirects=True,
        )
        for action in ("rol", "deactiveren", "wachtwoordmail")
    ]
    client.post(row_url(organisation, manager, "deactiveren"), data={"confirmed": "1"})

    assert row_url(organisation, eerste, "deactiveren") not in table
    assert row_url(organisation, manager, "deactiveren") in table
    for response in attempts:
        assert services.NOT_THE_EERSTE in text(response)
    after = fetch(app, Contact, eerste.id)
    assert after.active and after.role == EERSTE
    assert mailbox.to(eerste.email) == []
    assert not fetch(app, Contact, manager.id).active
    assert client.get(contacts_url(organisation, "/overdragen")).status_code == 404


def test_nobody_deactivates_or_demotes_the_active_eerste(
    app, client, factory, login, org
):
    organisation, eerste, _ = org
    login(factory.staff())

    for action in ("rol", "deactiveren"):
        response = client.post(
            row_url(organisation, eerste, action),
            data={"role": DEPUTY, "confirmed": "1"},
            follow_redirects=True,
        )
        assert services.EERSTE_BY_HAND_OVER in text(response)

    after = fetch(app, Contact, eerste.id)
    assert after.active and after.role == EERSTE


def test_beheerder_cannot_change_their_own_account_here(
    app, client, factory, login, org
):
    organisation, _, _ = org
    deputy = factory.contact(organisation, role=DEPUTY)
    login(deputy)

    response = client.post(
        row_url(organisation, deputy, "deactiveren"),
        data={"confirmed": "1"},
        follow_redirects=True,
    )

    assert services.OWN_ACCOUNT in text(response)
    assert fetch(app, Contact, deputy.id).active


# --- handing over the 1e role -------------------------------------------------------


def test_eerste_hands_over_to_a_manager_and_becomes_manager(
    app, client, login, org, mailbox
):
    organisation, eerste, manager = org
    login(eerste)

    form = text(client.get(contacts_url(organisation, "/overdragen")))
    response = client.post(
        contacts_url(organisation, "/overdragen"),
        data={"new_eerste": manager.id, "own_role": MANAGER},
    )

    assert "Mark Manager (Vestiging / Manager)" in form
    assert response.headers["Location"].endswith("/professionals/")
    assert fetch(app, Contact, manager.id).role == EERSTE
    assert fetch(app, Contact, eerste.id).role == MANAGER
    assert active_count(app, organisation.id, EERSTE) == 1
    assert client.get(contacts_url(organisation)).status_code == 404
    assert "Eva Eerste heeft de rol" in mailbox.body(mailbox.to(manager.email)[0])
    [event] = audit_actions(app, "contact.eerste_handed_over")
    assert event.details["previous_eerste_id"] == eerste.id


def test_eerste_and_deputy_swap_roles(app, client, factory, login, org):
    organisation, eerste, _ = org
    deputy = factory.contact(organisation, role=DEPUTY)
    login(eerste)

    response = client.post(
        contacts_url(organisation, "/overdragen"),
        data={"new_eerste": deputy.id, "own_role": DEPUTY},
        follow_redirects=True,
    )

    assert "is nu contactpersoon organisatie" in text(response)
    assert fetch(app, Contact, deputy.id).role == EERSTE
    assert fetch(app, Contact, eerste.id).role == DEPUTY
    assert active_count(app, organisation.id, EERSTE) == 1
    assert active_count(app, organisation.id, DEPUTY) == 1


def test_hand_over_refuses_a_second_deputy_and_changes_nothing(
    app, client, factory, login, org
):
    organisation, eerste, manager = org
    factory.contact(organisation, role=DEPUTY)
    login(eerste)

    response = client.post(
        contacts_url(organisation, "/overdragen"),
        data={"new_eerste": manager.id, "own_role": DEPUTY},
    )

    assert services.DEPUTY_TAKEN in text(response)
    assert fetch(app, Contact, eerste.id).role == EERSTE
    assert fetch(app, Contact, manager.id).role == MANAGER


def test_hand_over_offers_only_active_contacts_of_the_organisation(
    app, client, factory, login, org
):
    organisation, eerste, _ = org
    inactive = factory.contact(organisation, role=MANAGER, active=False)
    stranger = factory.contact(role=MANAGER)
    login(eerste)

    for candidate in (inactive, stranger, eerste):
        response = client.post(
            contacts_url(organisation, "/overdragen"),
            data={"new_eerste": candidate.id, "own_role": MANAGER},
        )
        assert response.status_code == 200
        assert "Kies een actief account van de organisatie." in text(response)

    assert fetch(app, Contact, eerste.id).role == EERSTE
    assert active_count(app, organisation.id, EERSTE) == 1


def test_staff_hands_over_for_an_organisation(app, client, factory, login, org):
    organisation, eerste, manager = org
    login(factory.staff())

    client.post(
        contacts_url(organisation, "/overdragen"),
        data={"new_eerste": manager.id, "own_role": MANAGER},
    )

    assert fetch(app, Contact, manager.id).role == EERSTE
    assert fetch(app, Contact, eerste.id).role == MANAGER
