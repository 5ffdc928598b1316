"""Rules the database enforces itself, on SQLite and PostgreSQL alike."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import demo
from app.models import (
    Activity,
    Contact,
    ContactRole,
    Inzage,
    Organisation,
    OrganisationStatus,
    Professional,
    RegistrationPeriod,
    Staff,
    db,
    utcnow,
)


def refused(app, row) -> bool:
    """Try to insert ``row``; tell whether the database refused it."""
    with app.app_context():
        db.session.add(row)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return True
        return False


def contact_row(organisation, role, n, active=True) -> Contact:
    return Contact(
        organisation_id=organisation.id,
        name=f"Extra {n}",
        email=f"extra{n}@werkgever.test",
        username=f"extra{n}",
        role=role,
        active=active,
    )


@pytest.mark.parametrize("role", [ContactRole.EERSTE, ContactRole.PLAATSVERVANGER])
def test_one_active_eerste_and_one_active_plaatsvervanger_per_organisation(
    app, factory, role
):
    organisation = factory.organisation()
    other = factory.organisation()
    factory.contact(organisation, role=role)

    assert refused(app, contact_row(organisation, role, 1))
    assert not refused(app, contact_row(organisation, role, 2, active=False))
    assert not refused(app, contact_row(other, role, 3))


def test_managers_are_unlimited(app, factory):
    organisation = factory.organisation()
    factory.contact(organisation, role=ContactRole.MANAGER)

    assert not refused(app, contact_row(organisation, ContactRole.MANAGER, 1))
    assert not refused(app, contact_row(organisation, ContactRole.MANAGER, 2))


def test_usernames_are_unique_whatever_the_case(app, factory):
    organisation = factory.organisation()
    factory.contact(organisation, username="HR-Afdeling")
    twin = contact_row(organisation, ContactRole.MANAGER, 1)
    twin.username = "hr-afdeling"

    assert refused(app, twin)


def test_one_live_inzage_per_contact_and_professional(app, factory):
    contact = factory.contact()
    professional = factory.professional()
    first = factory.inzage(professional, contact)

    assert refused(app, Inzage(professional_id=professional.id, contact_id=contact.id))

    with app.app_context():
        db.session.get(Inzage, first.id).revoked_at = utcnow()
        db.session.commit()
    assert not refused(
        app, Inzage(professional_id=professional.id, contact_id=contact.id)
    )


def test_organisation_status_is_one_of_four(app, factory):
    register = factory.register()
    row = Organisation(
        register_id=register.id,
        name="X",
        street="Y",
        postcode="1234 AB",
        city="Z",
        country="Nederland",
        status="maybe",
    )

    assert refused(app, row)


def test_seed_demo_loads_once(app):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed-demo"])
    with app.app_context():
        counts = {
            model: db.session.scalar(select(func.count()).select_from(model))
            for model in (Staff, Organisation, Contact, Professional, Inzage)
        }
    second = runner.invoke(args=["seed-demo"])

    assert first.exit_code == 0, first.output
    assert "hr-delinde / demo-wachtwoord" in first.output
    assert "beheer / demo-wachtwoord" in first.output
    assert "already loaded" in second.output
    with app.app_context():
        assert counts == {
            model: db.session.scalar(select(func.count()).select_from(model))
            for model in counts
        }
        assert counts[Professional] == 30
        statuses = db.session.scalars(select(Organisation.status)).all()
        assert sorted(statuses) == [
            OrganisationStatus.AUTHORISED,
            OrganisationStatus.REQUESTED,
        ]
        roles = db.session.scalars(
            select(Contact.role)
            .join(Organisation)
            .where(Organisation.status == OrganisationStatus.AUTHORISED)
        ).all()
        assert sorted(roles) == ["eerste", "manager", "manager", "plaatsvervanger"]
        periods = db.session.scalars(select(RegistrationPeriod)).all()
        assert len(periods) == 60
        for period in periods[:10]:
            points = db.session.scalar(
                select(func.coalesce(func.sum(Activity.points), 0)).where(
                    Activity.professional_id == period.professional_id,
                    Activity.activity_date.between(period.start_date, period.end_date),
                )
            )
            assert Decimal(period.earned_points) == Decimal(points)


def test_demo_logins_work(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])

    for username, home in (
        ("beheer", "/beheer/aanvragen"),
        ("hr-delinde", "/professionals/"),
        ("SEU100001", "/mijn/dossier"),
    ):
        response = client.post(
            "/login",
            data={"identifier": username, "password": demo.DEMO_PASSWORD},
        )
        assert response.headers["Location"] == home
        client.post("/logout")


def test_seed_demo_refuses_production(app):
    app.config["APP_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        app.config["APP_ENV"] = "testing"

    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Staff.id))) == 0
