"""The professional's own dossier and the inzage they give employer contacts."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.clock import today
from app.models import AuditEvent, Inzage, OrganisationStatus, db
from app.policy import live_inzage_for
from app.progress import refresh_earned_points


def _refresh(app, professional):
    with app.app_context():
        refresh_earned_points([professional.id])
        db.session.commit()


def _dossier(client) -> str:
    response = client.get("/mijn/dossier")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _inzage_rows(app, professional):
    with app.app_context():
        return db.session.scalars(
            select(Inzage)
            .where(Inzage.professional_id == professional.id)
            .order_by(Inzage.id)
        ).all()


def _audit_actions(app):
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("inzage.%"))
            .order_by(AuditEvent.id)
        ).all()


# --- own dossier -----------------------------------------------------------------


def test_dossier_shows_period_progress_and_activities_newest_first(app, factory, login):
    factory.register()  # "Register SEU"
    professional = factory.professional()
    factory.period(professional, start=date(2025, 10, 31))
    factory.activity(
        professional, date(2025, 11, 3), points="5", description="Oude cursus"
    )
    factory.activity(
        professional, date(2026, 2, 1), points="3", description="Nieuwe cursus"
    )
    _refresh(app, professional)

    html = _dossier(login(professional))

    assert "31-10-2025 t/m 30-10-2027 Registratienorm SEU" in html
    assert "8 van 12 · Te doen · 67%" in html
    assert '<progress value="67" max="100"' in html
    assert html.index("Nieuwe cursus") < html.index("Oude cursus")
    assert "01-02-2026" in html


@pytest.mark.parametrize(
    "points, summary",
    [
        (["12"], "12 van 12 · Voltooid · 100%"),
        ([], "0 van 12 · Te doen · 0%"),
        (["0.5", "0.3"], "0,8 van 12 · Te doen · 7%"),
        (["12.3"], "12,3 van 12 · Voltooid · 102%"),
    ],
)
def test_dossier_progress_at_its_edges(app, factory, login, points, summary):
    professional = factory.professional()
    factory.period(professional, start=date(2025, 10, 31))
    for value in points:
        factory.activity(professional, date(2026, 1, 1), points=value)
    _refresh(app, professional)

    assert summary in _dossier(login(professional))


def test_activities_on_first_and_last_day_count_and_outside_not(app, factory, login):
    professional = factory.professional()
    factory.period(professional, start=date(2025, 10, 31))
    factory.activity(professional, date(2025, 10, 31), points="0.5")
    factory.activity(professional, date(2027, 10, 30), points="0.3")
    factory.activity(professional, date(2025, 10, 30), points="4")
    factory.activity(professional, date(2027, 10, 31), points="4")
    _refresh(app, professional)

    html = _dossier(login(professional))

    assert "0,8 van 12 · Te doen · 7%" in html
    assert "0,5" in html and "0,3" in html


def test_dossier_is_for_professionals_only(factory, login):
    contact = factory.contact()

    assert login(contact).get("/mijn/dossier").status_code == 404


def test_empty_dossier_explains_itself(factory, login):
    html = _dossier(login(factory.professional()))

    assert "Er zijn nog geen registratieperiodes." in html


# --- listing ---------------------------------------------------------------------


def test_empty_inzage_list_explains_what_inzage_is(factory, login):
    client = login(factory.professional())

    html = client.get("/mijn/inzage").get_data(as_text=True)

    assert "U heeft nog niemand inzage gegeven." in html
    assert "toestemming" in html


def test_inzage_list_shows_contact_organisation_date_and_role(factory, login):
    professional = factory.professional()
    organisation = factory.organisation(name="Bouwbedrijf Jansen BV")
    contact = factory.contact(organisation, name="HR Jansen", role="plaatsvervanger")
    other = factory.contact(organisation, name="Regio Noord")
    factory.inzage(professional, contact, valid_until=date(2030, 12, 31))
    factory.inzage(professional, other)
    client = login(professional)

    html = client.get("/mijn/inzage").get_data(as_text=True)

    assert "HR Jansen" in html and contact.email in html
    assert "Bouwbedrijf Jansen BV" in html
    assert "31-12-2030" in html
    assert "onbeperkt" in html
    assert "Plaatsvervangend contactpersoon" in html
    assert "Vestiging / Manager" in html


def test_list_shows_only_own_inzage_and_history_apart(app, factory, login):
    professional = factory.professional()
    stranger = factory.professional()
    contact = factory.contact(name="Levende Inzage")
    factory.inzage(professional, contact)
    factory.inzage(stranger, factory.contact(name="Van Een Ander"))
    factory.inzage(
        professional,
        factory.contact(name="Verlopen Inzage"),
        valid_until=today() - timedelta(days=1),
    )

    html = login(professional).get("/mijn/inzage").get_data(as_text=True)

    assert "Levende Inzage" in html
    assert "Van Een Ander" not in html
    live, history = html.split("Eerdere inzage")
    assert "Verlopen Inzage" not in live and "Verlopen Inzage" in history


# --- granting --------------------------------------------------------------------


def test_add_form_lists_contacts_of_the_chosen_organisation(factory, login):
    professional = factory.professional()
    organisation = factory.organisation(name="Werkgever Een")
    factory.contact(organisation, name="Anna", role="eerste")
    factory.contact(organisation, name="Slapend", active=False)
    other = factory.organisation(name="Werkgever Twee")
    factory.contact(other, name="Bram")
    factory.organisation(name="Nog Niet", status=OrganisationStatus.REQUESTED)
    client = login(professional)

    form = client.get("/mijn/inzage/toevoegen").get_data(as_text=True)
    options = client.get(
        f"/mijn/inzage/contacten?organisation_id={organisation.id}",
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    nojs = client.post(
        "/mijn/inzage/toevoegen",
        data={"organisation_id": str(other.id), "kies": "1"},
    ).get_data(as_text=True)

    assert "Werkgever Een" in form and "Werkgever Twee" in form
    assert "Nog Niet" not in form
    assert "Anna (Contactpersoon organisatie)" in options
    assert "Slapend" not in options and "Bram" not in options
    assert "Bram (Vestiging / Manager)" in nojs and "Anna" not in nojs


def test_organisation_search_narrows_the_choice(factory, login):
    professional = factory.professional()
    factory.organisation(name="Appelboom BV")
    factory.organisation(name="Perenlaan NV")
    client = login(professional)

    options = client.get(
        "/mijn/inzage/werkgevers?q=appel", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    nojs = client.get("/mijn/inzage/toevoegen?q=peren").get_data(as_text=True)

    assert "Appelboom BV" in options and "Perenlaan NV" not in options
    assert "Perenlaan NV" in nojs and "Appelboom BV" not in nojs
    plain = client.get("/mijn/inzage/werkgevers?q=peren")
    assert plain.status_code == 302
    assert plain.headers["Location"].endswith("/mijn/inzage/toevoegen?q=peren")


def test_grant_update_revoke_and_grant_again(app, factory, login):
    professional = factory.professional()
    contact = factory.contact()
    client = login(professional)
    data = {"organisation_id": contact.organisation_id, "contact_id": contact.id}

    first = client.post(
        "/mijn/inzage/toevoegen", data={**data, "valid_until": "2030-01-31"}
    )
    again = client.post(
        "/mijn/inzage/toevoegen", data={**data, "valid_until": "31-12-2031"}
    )

    assert first.status_code == 302 and again.status_code == 302
    [inzage] = _inzage_rows(app, professional)
    assert inzage.valid_until == date(2031, 12, 31)
    html = client.get("/mijn/inzage").get_data(as_text=True)
    assert "31-12-2031" in html and "bijgewerkt" in html

    revoked = client.post(f"/mijn/inzage/{inzage.id}/intrekken")
    assert revoked.status_code == 302
    html = client.get("/mijn/inzage").get_data(as_text=True)
    assert "U heeft nog niemand inzage gegeven." in html
    assert "Ingetrokken op" in html

    client.post("/mijn/inzage/toevoegen", data=data)
    rows = _inzage_rows(app, professional)
    assert len(rows) == 2
    assert rows[0].revoked_at is not None
    assert rows[1].revoked_at is None and rows[1].valid_until is None
    assert _audit_actions(app) == [
        "inzage.granted",
        "inzage.changed",
        "inzage.revoked",
        "inzage.granted",
    ]


def test_today_is_a_valid_last_day(app, factory, login):
    professional = factory.professional()
    contact = factory.contact()

    response = login(professional).post(
        "/mijn/inzage/toevoegen",
        data={
            "organisation_id": contact.organisation_id,
            "contact_id": contact.id,
            "valid_until": today().isoformat(),
        },
    )

    assert response.status_code == 302
    with app.app_context():
        assert live_inzage_for(contact, professional.id) is not None


@pytest.mark.parametrize(
    "case, field, message",
    [
        ("past", "valid_until", "De datum ligt in het verleden."),
        ("bad_date", "valid_until", "Vul een geldige datum in"),
        ("inactive", "contact_id", "is niet actief"),
        ("unauthorised", "contact_id", "niet geautoriseerd"),
        ("other_organisation", "contact_id", "hoort niet bij de gekozen werkgever"),
        ("unknown_contact", "contact_id", "Deze contactpersoon bestaat niet."),
        ("tampered_contact", "contact_id", "Deze contactpersoon bestaat niet."),
        ("unknown_organisation", "organisation_id", "Deze werkgever bestaat niet"),
        ("suspended_organisation", "organisation_id", "niet geautoriseerd"),
        ("no_contact", "contact_id", "Kies een contactpersoon."),
    ],
)
def test_refusals_store_nothing_and_keep_the_values(
    app, factory, login, case, field, message
):
    professional = factory.professional()
    organisation = factory.organisation(name="Gekozen Werkgever")
    contact = factory.contact(organisation, name="Goede Contactpersoon")
    data = {
        "organisation_id": str(organisation.id),
        "contact_id": str(contact.id),
        "valid_until": "2030-06-30",
    }
    if case == "past":
        data["valid_until"] = (today() - timedelta(days=1)).isoformat()
    elif case == "bad_date":
        data["valid_until"] = "31-02-2030"
    elif case == "inactive":
        data["contact_id"] = str(factory.contact(organisation, active=False).id)
    elif case == "unauthorised":
        pending = factory.organisation(status=OrganisationStatus.REQUESTED)
        data["organisation_id"] = str(pending.id)
        data["contact_id"] = str(factory.contact(pending).id)
        field, message = "organisation_id", "niet geautoriseerd"
    elif case == "other_organisation":
        data["contact_id"] = str(factory.contact().id)
    elif case == "unknown_contact":
        data["contact_id"] = "999999"
    elif case == "tampered_contact":
        data["contact_id"] = "1 OR 1=1"
        message = "Kies een contactpersoon."
    elif case == "unknown_organisation":
        data["organisation_id"] = "999999"
    elif case == "suspended_organisation":
        suspended = factory.organisation(status=OrganisationStatus.SUSPENDED)
        data["organisation_id"] = str(suspended.id)
    elif case == "no_contact":
        data["contact_id"] = ""

    response = login(professional).post("/mijn/inzage/toevoegen", data=data)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html
    error = html.split(f'id="{field}-error"')[1].split("</small>")[0]
    assert message in error
    assert _inzage_rows(app, professional) == []
    if case == "bad_date":
        assert 'value="31-02-2030"' in html
    if case in {"past", "inactive", "other_organisation"}:
        assert "Gekozen Werkgever</option>" in html
        assert f'<option selected value="{organisation.id}">' in html


def test_contact_of_unauthorised_organisation_is_refused_on_its_own(
    app, factory, login
):
    professional = factory.professional()
    pending = factory.organisation(status=OrganisationStatus.SUSPENDED)
    contact = factory.contact(pending)
    chosen = factory.organisation()

    response = login(professional).post(
        "/mijn/inzage/toevoegen",
        data={"organisation_id": chosen.id, "contact_id": contact.id},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De werkgever van deze contactpersoon is niet geautoriseerd" in html
    assert _inzage_rows(app, professional) == []


def test_grant_service_updates_the_twin_instead_of_adding_one(app, factory):
    from app.inzage.services import grant_inzage
    from app.models import Contact, Professional

    professional = factory.professional()
    contact = factory.contact()
    factory.inzage(professional, contact, valid_until=date(2030, 1, 1))

    with app.app_context():
        owner = db.session.get(Professional, professional.id)
        target = db.session.get(Contact, contact.id)
        inzage, outcome = grant_inzage(owner, target, None, actor=owner)
        count = db.session.scalar(select(func.count(Inzage.id)))

    assert outcome == "changed"
    assert count == 1
    assert inzage.valid_until is None


# --- revoking --------------------------------------------------------------------


def test_revoke_takes_effect_on_the_contacts_next_request(app, factory, login):
    professional = factory.professional()
    contact = factory.contact()
    inzage = factory.inzage(professional, contact)
    with app.app_context():
        assert live_inzage_for(contact, professional.id) is not None

    response = login(professional).post(
        f"/mijn/inzage/{inzage.id}/intrekken", headers={"HX-Request": "true"}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="inzage-overzicht"' in html and "is ingetrokken" in html
    assert f'id="inzage-{inzage.id}"' not in html
    with app.app_context():
        assert live_inzage_for(contact, professional.id) is None
        stored = db.session.get(Inzage, inzage.id)
        assert stored.revoked_at is not None


def test_revoke_asks_for_confirmation_without_javascript(factory, login):
    professional = factory.professional()
    contact = factory.contact(name="Te Bevestigen")
    inzage = factory.inzage(professional, contact)
    client = login(professional)

    page = client.get(f"/mijn/inzage/{inzage.id}/intrekken").get_data(as_text=True)

    assert "Te Bevestigen" in page and "Ja, intrekken" in page
    assert "Te Bevestigen" in client.get("/mijn/inzage").get_data(as_text=True)


def test_a_professional_cannot_revoke_anothers_inzage(app, factory, login):
    owner = factory.professional()
    contact = factory.contact()
    inzage = factory.inzage(owner, contact)
    client = login(factory.professional())

    assert client.get(f"/mijn/inzage/{inzage.id}/intrekken").status_code == 404
    assert client.post(f"/mijn/inzage/{inzage.id}/intrekken").status_code == 404
    with app.app_context():
        assert live_inzage_for(contact, owner.id) is not None


def test_points_stay_exact_decimals(app, factory, login):
    professional = factory.professional()
    factory.period(professional, start=date(2025, 10, 31), norm_points=Decimal("1"))
    for _ in range(10):
        factory.activity(professional, date(2026, 1, 1), points="0.1")
    _refresh(app, professional)

    assert "1 van 1 · Voltooid · 100%" in _dossier(login(professional))


def test_a_grant_that_loses_a_race_updates_the_twin(app, factory):
    from flask_sqlalchemy.session import Session
    from sqlalchemy import event, insert

    from app.inzage.services import grant_inzage
    from app.models import Contact, Professional, utcnow

    professional = factory.professional()
    contact = factory.contact()
    raced = []

    def insert_twin(session, flush_context, instances):
        # Another request commits the same grant between our check and our insert.
        if raced or not any(isinstance(obj, Inzage) for obj in session.new):
            return
        raced.append(True)
        with db.engine.begin() as connection:
            connection.execute(
                insert(Inzage).values(
                    professional_id=professional.id,
                    contact_id=contact.id,
                    valid_until=date(2029, 1, 1),
                    granted_at=utcnow(),
                    updated_at=utcnow(),
                )
            )

    event.listen(Session, "before_flush", insert_twin)
    try:
        with app.app_context():
            owner = db.session.get(Professional, professional.id)
            target = db.session.get(Contact, contact.id)
            inzage, outcome = grant_inzage(owner, target, date(2030, 1, 1), actor=owner)
            count = db.session.scalar(select(func.count(Inzage.id)))
            valid_until = inzage.valid_until
    finally:
        event.remove(Session, "before_flush", insert_twin)

    assert raced
    assert (outcome, count, valid_until) == ("changed", 1, date(2030, 1, 1))
