"""A small populated world for hostile-input and escaping tests: two authorised
organisations with every contact role, a pending one, professionals with dossiers
and inzage, staff; a signed-in test client per kind of user."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.models import ContactRole, OrganisationStatus, Staff, db
from tests.conftest import PASSWORD

#: The test password, hashed once and cheaply: worlds have many accounts, and the
#: production hash costs a third of a second on a busy machine.
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
#: Keyword arguments for factory.contact / factory.professional.
WITH_PASSWORD = {"password": None, "password_hash": FAST_HASH}

#: Every kind of user a request can come from.
ACTORS = (
    "anonymous",
    "professional",
    "manager",
    "plaatsvervanger",
    "beheerder",
    "staff",
    "pending",
)


@dataclass
class World:
    app: object
    factory: object
    login: object
    accounts: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    _clients: dict = field(default_factory=dict)

    def client(self, actor: str):
        """A test client signed in as ``actor`` (signed in again when needed)."""
        if actor not in self._clients:
            test_client = self.app.test_client()
            if actor != "anonymous":
                self.login(self.accounts[actor], test_client=test_client)
            self._clients[actor] = test_client
        return self._clients[actor]

    def sign_in_again(self, actor: str) -> None:
        """Forget the client of ``actor``: the next request signs in afresh."""
        self._clients.pop(actor, None)

    def ids(self, kind: str) -> list[int]:
        """Ids of every object of ``kind`` in the world, whoever owns them."""
        return [obj.id for obj in self.objects.get(kind, [])]


def staff_member(factory, **values) -> Staff:
    """A staff account with the test password (the factory always hashes slowly)."""
    n = factory._next()
    staff = Staff(
        **{
            "name": f"Staf {n}",
            "email": f"staf{n}@register.test",
            "username": f"staf{n}",
            "password_hash": FAST_HASH,
            **values,
        }
    )
    return factory._save(staff)


def build_world(app, factory, login, names: dict | None = None) -> World:
    """Create the world; ``names`` overrides the display names of its objects."""
    names = names or {}
    today = date.today()
    world = World(app=app, factory=factory, login=login)
    register = factory.register()

    org_a = factory.organisation(register=register, name=names.get("org_a", "Alfa BV"))
    org_b = factory.organisation(register=register, name=names.get("org_b", "Beta NV"))
    pending = factory.organisation(
        register=register,
        status=OrganisationStatus.REQUESTED,
        name=names.get("org_pending", "Gamma VOF"),
    )

    def contact(org, role, name, **values):
        return factory.contact(org, role, name=name, **WITH_PASSWORD, **values)

    eerste_a = contact(org_a, ContactRole.EERSTE, names.get("eerste_a", "Anna Eerste"))
    tweede_a = contact(
        org_a, ContactRole.PLAATSVERVANGER, names.get("tweede_a", "Bram Tweede")
    )
    manager_a = contact(
        org_a, ContactRole.MANAGER, names.get("manager_a", "Cees Manager")
    )
    inactive_a = contact(org_a, ContactRole.MANAGER, "Dirk Inactief", active=False)
    eerste_b = contact(org_b, ContactRole.EERSTE, names.get("eerste_b", "Eva Eerste"))
    manager_b = contact(org_b, ContactRole.MANAGER, "Frits Manager")
    eerste_pending = contact(pending, ContactRole.EERSTE, "Gijs Wacht")

    professional = factory.professional(
        name=names.get("professional", "Hanna Professional"), **WITH_PASSWORD
    )
    other = factory.professional(name=names.get("other", "Ivo Ander"), **WITH_PASSWORD)
    no_password = factory.professional(password=None, name="Jan Nieuw")
    periods, activities, inzage = [], [], []
    for person in (professional, other):
        periods.append(factory.period(person, start=today - timedelta(days=100)))
        activities.append(
            factory.activity(
                person,
                activity_date=today - timedelta(days=10),
                description=names.get("activity", "Cursus ethiek"),
                points="2.5",
            )
        )
    for contact in (eerste_a, manager_a, tweede_a):
        inzage.append(factory.inzage(professional, contact))
    inzage.append(factory.inzage(other, eerste_b))
    inzage.append(
        factory.inzage(other, manager_a, valid_until=today + timedelta(days=30))
    )
    staff = staff_member(factory, name=names.get("staff", "Karin Staf"))

    world.accounts = {
        "professional": professional,
        "manager": manager_a,
        "plaatsvervanger": tweede_a,
        "beheerder": eerste_a,
        "staff": staff,
        "pending": eerste_pending,
        "eerste_b": eerste_b,
        "manager_b": manager_b,
        "other": other,
        "no_password": no_password,
        "inactive": inactive_a,
    }
    world.objects = {
        "register": [register],
        "organisation": [org_a, org_b, pending],
        "contact": [eerste_a, tweede_a, manager_a, inactive_a, eerste_b, manager_b],
        "professional": [professional, other, no_password],
        "period": periods,
        "activity": activities,
        "inzage": inzage,
        "staff": [staff],
    }
    return world


def snapshot(app) -> dict[str, list]:
    """Every row of every table, so that updates show as well as inserts."""
    content = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(sa.select(table)).all()
            content[table.name] = sorted(repr(tuple(row)) for row in rows)
        db.session.remove()
    return content


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]
