"""Flow 5: professionals a contact may see, their dossiers, access at the edges."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.clock import today
from app.models import (
    AuditEvent,
    Contact,
    ContactRole,
    Organisation,
    OrganisationStatus,
    db,
    utcnow,
)


@pytest.fixture
def contact(factory):
    return factory.contact(role=ContactRole.MANAGER)


def visible_professional(factory, contact, **values):
    professional = factory.professional(**values)
    factory.period(professional, earned_points=values.pop("earned", 0) or 0)
    factory.inzage(professional, contact)
    return professional


def test_list_shows_only_professionals_with_valid_inzage_to_this_contact(
    client, factory, login, contact
):
    mine = visible_professional(factory, contact, name="Anna de Vries")
    colleague = factory.contact(
        organisation=SimpleNamespace(id=contact.organisation_id)
    )
    visible_professional(factory, colleague, name="Bram Colleague")
    expired = factory.professional(name="Cor Verlopen")
    factory.inzage(expired, contact, valid_until=today() - timedelta(days=1))
    login(contact)

    html = client.get("/professionals/").get_data(as_text=True)

    assert "Anna de Vries" in html
    assert mine.seu_nummer in html and mine.email in html
    assert "0 van 12 · Te doen · 0%" in html
    assert "Bram Colleague" not in html and "Cor Verlopen" not in html
    assert "Totaal personen: 1" in html


def test_search_narrows_and_the_partial_is_served_to_htmx(
    client, factory, login, contact
):
    visible_professional(factory, contact, name="Anna de Vries")
    visible_professional(factory, contact, name="Bram Jansen", email="bram@x.test")
    login(contact)

    full = client.get("/professionals/?professional=vries").get_data(as_text=True)
    partial = client.get(
        "/professionals/?email=BRAM@", headers={"HX-Request": "true"}
    ).get_data(as_text=True)

    assert "Totaal personen: 1" in full and "Anna de Vries" in full
    assert 'value="vries"' in full
    assert "Bram Jansen" in partial and "Anna" not in partial
    assert "<html" not in partial


def test_search_treats_percent_and_underscore_literally(
    client, factory, login, contact
):
    visible_professional(factory, contact, name="Anna de Vries")
    login(contact)

    html = client.get("/professionals/?professional=%25").get_data(as_text=True)

    assert "Totaal personen: 0" in html
    assert "Geen professionals gevonden" in html


def test_sort_by_progress_and_only_active_members(client, factory, login, contact, app):
    ahead = factory.professional(name="Aa Voor")
    factory.period(ahead, earned_points=12)
    factory.inzage(ahead, contact)
    behind = factory.professional(name="Zz Achter")
    factory.period(behind, earned_points=3)
    factory.inzage(behind, contact)
    lapsed = factory.professional(name="Mm Verlopen periode")
    factory.period(lapsed, start=today() - timedelta(days=800))
    factory.inzage(lapsed, contact)
    login(contact)

    by_progress = client.get("/professionals/?sort=voortgang").get_data(as_text=True)
    active = client.get("/professionals/?actief=1").get_data(as_text=True)

    assert by_progress.index("Zz Achter") < by_progress.index("Aa Voor")
    assert "Totaal personen: 3" in by_progress
    assert "Totaal personen: 2" in active and "Mm Verlopen" not in active


def test_pagination_keeps_the_search(client, factory, login, contact, monkeypatch, app):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for name in ("Anna A", "Anna B", "Anna C", "Bert"):
        visible_professional(factory, contact, name=name)
    login(contact)

    first = client.get("/professionals/?professional=anna").get_data(as_text=True)
    second = client.get("/professionals/?professional=anna&page=2").get_data(
        as_text=True
    )

    assert "Totaal personen: 3" in first and "Pagina 1 van 2" in first
    assert (
        "page=2&amp;professional=anna" in first
        or "professional=anna&amp;page=2" in first
    )
    assert "Anna C" in second and "Anna A" not in second and "Bert" not in second


def test_list_uses_few_statements_whatever_the_number_of_rows(
    app, client, factory, login, contact
):
    for n in range(30):
        visible_professional(factory, contact, name=f"Prof {n:02}")
    login(contact)
    statements = []

    def count(*args):
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get("/professionals/?sort=voortgang")
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)

    assert response.status_code == 200
    assert len(statements) <= 8


def test_dossier_shows_periods_activities_and_inzage_end(
    client, factory, login, contact, db_session
):
    professional = factory.professional(name="Anna de Vries")
    factory.period(professional, earned_points=8)
    factory.activity(professional, description="Ethiek in de praktijk")
    factory.inzage(professional, contact, valid_until=today() + timedelta(days=30))
    login(contact)

    html = client.get(f"/professionals/{professional.id}").get_data(as_text=True)

    assert "PE-dossier van Anna de Vries" in html
    assert "8 van 12 · Te doen · 67%" in html
    assert "Ethiek in de praktijk" in html
    assert (today() + timedelta(days=30)).strftime("%d-%m-%Y") in html
    opened = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "dossier.opened")
    ).all()
    assert [(e.actor_id, e.subject_id) for e in opened] == [
        (contact.id, professional.id)
    ]


def test_dossier_without_end_date_says_onbeperkt(client, factory, login, contact):
    professional = visible_professional(factory, contact)
    login(contact)

    html = client.get(f"/professionals/{professional.id}").get_data(as_text=True)

    assert "onbeperkt" in html


def test_inzage_valid_until_today_still_opens(client, factory, login, contact):
    professional = factory.professional()
    factory.inzage(professional, contact, valid_until=today())
    login(contact)

    assert client.get(f"/professionals/{professional.id}").status_code == 200


@pytest.mark.parametrize(
    "case", ["expired yesterday", "revoked a moment ago", "other organisation"]
)
def test_refused_dossier_answers_like_an_unknown_id_and_is_recorded(
    client, factory, login, contact, db_session, case
):
    professional = factory.professional()
    if case == "expired yesterday":
        factory.inzage(professional, contact, valid_until=today() - timedelta(days=1))
    elif case == "revoked a moment ago":
        factory.inzage(professional, contact, revoked_at=utcnow())
    else:
        factory.inzage(professional, factory.contact())
    login(contact)

    refused = client.get(f"/professionals/{professional.id}")
    unknown = client.get("/professionals/999999")

    assert refused.status_code == unknown.status_code == 404
    assert refused.get_data() == unknown.get_data()
    refusals = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "dossier.refused")
    ).all()
    assert [e.details["professional_id"] for e in refusals] == [
        professional.id,
        999999,
    ]
    listed = client.get("/professionals/").get_data(as_text=True)
    assert "Totaal personen: 0" in listed


def test_deactivated_contact_loses_access_at_once(app, client, factory, login, contact):
    professional = visible_professional(factory, contact)
    login(contact)
    with app.app_context():
        db.session.get(Contact, contact.id).active = False
        db.session.commit()

    response = client.get(f"/professionals/{professional.id}")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_suspended_organisation_sees_no_dossier(app, client, factory, login, contact):
    professional = visible_professional(factory, contact)
    login(contact)
    with app.app_context():
        organisation = db.session.get(Organisation, contact.organisation_id)
        organisation.status = OrganisationStatus.SUSPENDED
        db.session.commit()

    dossier = client.get(f"/professionals/{professional.id}")
    listing = client.get("/professionals/", headers={"HX-Request": "true"})

    assert dossier.status_code == listing.status_code == 302
    assert professional.name not in listing.get_data(as_text=True)


def test_professionals_and_staff_cannot_open_the_list(client, factory, login):
    login(factory.professional())

    assert client.get("/professionals/").status_code == 404


def test_both_query_shapes_show_the_same_page(
    client, factory, login, contact, monkeypatch
):
    from app.professionals import queries

    for name in ("Cees", "Anna", "Bram"):
        visible_professional(factory, contact, name=name)
    hidden = factory.professional(name="Aaron Verlopen")
    factory.inzage(hidden, contact, valid_until=today() - timedelta(days=1))
    login(contact)

    pages = []
    for threshold in (1, 10_000):
        monkeypatch.setattr(queries, "WALK_NAME_INDEX_FROM", threshold)
        html = client.get("/professionals/").get_data(as_text=True)
        pages.append(re.findall(r"<td>([A-Z][a-z]+)</td>", html))

    assert pages[0] == pages[1] == ["Anna", "Bram", "Cees"]
