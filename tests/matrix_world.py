"""The world the access matrix runs in, its actors, and the ids they try.

One world holds everything a route of the application can be asked about: two
authorised organisations A and B with a 1e, a 2e, a manager, an extra manager and a
contact still without a password; a requested organisation P and a suspended S, each
with a 1e contactpersoon; professional P1 who gave inzage to A's manager and A's 1e,
professional P2 who gave inzage to B's manager, 2e and 1e, both with a period and
activities; a report job per organisation; and register staff.

Every actor signs in to a freshly built world through the real login form. A
request that changes the database (audit rows and mail aside) makes the next
request start in a rebuilt world, so that no answer depends on the order of the
requests.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app import tokens
from app.extensions import limiter
from app.models import (
    Contact,
    ContactRole,
    OrganisationStatus,
    ReportJob,
    ReportJobStatus,
    Staff,
    db,
    utcnow,
)
from app.progress import refresh_earned_points
from tests.conftest import PASSWORD, Factory

#: The columns of the expected table, in this order.
ACTORS = (
    "anon",  # not signed in
    "prof",  # professional P1
    "manA",  # Vestiging / Manager of organisation A
    "2eA",  # plaatsvervangend contactpersoon of A
    "1eA",  # 1e contactpersoon of A
    "manB",
    "2eB",
    "1eB",
    "pend",  # 1e contactpersoon of the requested (pending) organisation P
    "susp",  # 1e contactpersoon of the suspended organisation S
    "staff",  # register staff
)
#: Signed-in actors for whom another's object must look exactly like no object.
CONTACT_ACTORS = ("manA", "2eA", "1eA", "manB", "2eB", "1eB")
VARIANTS = ("own", "foreign", "unknown")
#: An id that no row has.
UNKNOWN_ID = 999999

#: Tables whose rows a request may add without changing what anybody may do.
VOLATILE_TABLES = {"audit_event", "outbox_message"}


@cache
def password_hash() -> str:
    """Hash the test password once; hashing is slow on purpose."""
    return generate_password_hash(PASSWORD)


@dataclass
class World:
    organisations: dict[str, int] = field(default_factory=dict)
    #: Contacts by name: "1eA", "2eA", "manA", "extraA", "newA", ... "1eP", "1eS".
    contacts: dict[str, int] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)
    professionals: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    #: Inzage by "<professional>-<contact>", e.g. "P1-manA".
    inzage: dict[str, int] = field(default_factory=dict)
    #: Report job tokens by the contact who requested them.
    jobs: dict[str, str] = field(default_factory=dict)
    staff_username: str = ""
    #: Password links of the password-less contact "newA", by purpose.
    links: dict[str, str] = field(default_factory=dict)


def build_world(app) -> World:
    """Create the world in an empty database and return its ids."""
    factory = Factory(app)
    world = World()
    hashed = password_hash()

    statuses = {
        "A": OrganisationStatus.AUTHORISED,
        "B": OrganisationStatus.AUTHORISED,
        "P": OrganisationStatus.REQUESTED,
        "S": OrganisationStatus.SUSPENDED,
    }
    organisations = {}
    for name, status in statuses.items():
        organisations[name] = factory.organisation(status=status)
        world.organisations[name] = organisations[name].id

    def contact(name, organisation, role, with_password=True):
        row = factory.contact(
            organisations[organisation],
            role=role,
            password=None,
            password_hash=hashed if with_password else None,
        )
        world.contacts[name] = row.id
        world.usernames[name] = row.username
        return row

    contacts = {}
    for org in ("A", "B"):
        contacts[f"1e{org}"] = contact(f"1e{org}", org, ContactRole.EERSTE)
        contacts[f"2e{org}"] = contact(f"2e{org}", org, ContactRole.PLAATSVERVANGER)
        contacts[f"man{org}"] = contact(f"man{org}", org, ContactRole.MANAGER)
        contacts[f"extra{org}"] = contact(f"extra{org}", org, ContactRole.MANAGER)
        contacts[f"new{org}"] = contact(
            f"new{org}", org, ContactRole.MANAGER, with_password=False
        )
    for org in ("P", "S"):
        contacts[f"1e{org}"] = contact(f"1e{org}", org, ContactRole.EERSTE)

    grants = {"P1": ("manA", "1eA"), "P2": ("manB", "2eB", "1eB")}
    for name, receivers in grants.items():
        professional = factory.professional(password=None, password_hash=hashed)
        world.professionals[name] = professional.id
        world.emails[name] = professional.email
        factory.period(professional)
        factory.activity(professional, points="2.5")
        factory.activity(professional, points="1")
        for receiver in receivers:
            inzage = factory.inzage(professional, contacts[receiver])
            world.inzage[f"{name}-{receiver}"] = inzage.id

    staff = Staff(
        name="Staf", email="staf@register.test", username="staf", password_hash=hashed
    )
    jobs = {
        requester: ReportJob(
            token=secrets.token_urlsafe(24),
            organisation_id=contacts[requester].organisation_id,
            requested_by_id=contacts[requester].id,
            file_format="pdf",
            status=ReportJobStatus.QUEUED,
            expires_at=utcnow() + timedelta(days=1),
        )
        for requester in ("1eA", "2eA", "1eB", "2eB")
    }
    with app.app_context():
        with Session(db.engine, expire_on_commit=False) as session:
            session.add(staff)
            session.add_all(jobs.values())
            session.commit()
        refresh_earned_points(list(world.professionals.values()))
        db.session.commit()
        newcomer = db.session.get(Contact, world.contacts["newA"])
        for purpose in tokens.PURPOSES:
            world.links[purpose] = tokens.make_token(newcomer, purpose)
        db.session.remove()
    world.staff_username = "staf"
    world.jobs = {requester: job.token for requester, job in jobs.items()}
    return world


def empty_database(app) -> None:
    """Delete every row, as the test fixtures do after each test."""
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(sa.text(f'DELETE FROM "{table}"'))
    limiter.reset()


def fingerprint(app) -> str:
    """A digest of every row that decides what anybody may see or do."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            order = list(table.primary_key.columns)
            rows = db.session.execute(sa.select(table).order_by(*order)).all()
            digest.update(f"{table.name}:{rows!r}".encode())
        db.session.remove()
    return digest.hexdigest()


# --- who signs in ---------------------------------------------------------------

_HOME = {
    "manA": "A",
    "2eA": "A",
    "1eA": "A",
    "manB": "B",
    "2eB": "B",
    "1eB": "B",
    "pend": "P",
    "susp": "S",
}
_OTHER = {"A": "B", "B": "A", "P": "A", "S": "A"}
#: Per organisation, a professional who gave its contacts inzage, and one inzage.
_DOSSIERS = {"A": ("P1", "P1-manA"), "B": ("P2", "P2-manB")}


def login_identifier(world: World, actor: str) -> str | None:
    """What the actor types on the login page; None for the anonymous visitor."""
    if actor == "anon":
        return None
    if actor == "prof":
        return world.emails["P1"]
    if actor == "staff":
        return world.staff_username
    contact = {"pend": "1eP", "susp": "1eS"}.get(actor, actor)
    return world.usernames[contact]


# --- the ids each actor tries -----------------------------------------------------


def _triple(own, foreign) -> dict:
    return {"own": own, "foreign": foreign, "unknown": UNKNOWN_ID}


def object_ids(world: World, actor: str) -> dict[str, dict]:
    """Per URL argument, the value of each variant for ``actor``.

    "own" is an object of the actor's own organisation or the professional's own
    dossier; "foreign" the same kind of object of another organisation or another
    professional; "unknown" an id no row has. Staff and the anonymous visitor get
    A's objects as "own" and B's as "foreign".
    """
    home = _HOME.get(actor, "A")
    other = _OTHER[home]
    orgs = world.organisations
    contacts = world.contacts
    professionals = world.professionals
    inzage = world.inzage

    if actor == "prof":
        # Authorised organisations are open to every professional, so "foreign" is
        # one that professionals may not see: a requested organisation, its contact.
        organisation = _triple(orgs["A"], orgs["P"])
        contact = _triple(contacts["manA"], contacts["1eP"])
        professional = _triple(professionals["P1"], professionals["P2"])
        inzage_id = _triple(inzage["P1-manA"], inzage["P2-manB"])
    else:
        organisation = _triple(orgs[home], orgs[other])
        # A contact the beheerders of the organisation manage, never the actor.
        contact = _triple(
            contacts.get(f"extra{home}", contacts["extraA"]), contacts[f"extra{other}"]
        )
        # The professional and inzage seen by A's side, and by B's.
        mine, theirs = ("B", "A") if home == "B" else ("A", "B")
        professional = _triple(
            professionals[_DOSSIERS[mine][0]], professionals[_DOSSIERS[theirs][0]]
        )
        inzage_id = _triple(inzage[_DOSSIERS[mine][1]], inzage[_DOSSIERS[theirs][1]])

    requester = actor if actor in world.jobs else f"1e{home}"
    requester = requester if requester in world.jobs else "1eA"
    other_requester = f"1e{other}" if f"1e{other}" in world.jobs else "1eB"
    job = {
        "own": world.jobs[requester],
        "foreign": world.jobs[other_requester],
        "unknown": secrets.token_urlsafe(24),
    }
    return {
        "organisation_id": organisation,
        "contact_id": contact,
        "professional_id": professional,
        "inzage_id": inzage_id,
        "job_token": job,
    }


def set_password_tokens(world: World) -> dict:
    """The holder of a set-password link, a link for another purpose, a made-up one."""
    return {
        "own": world.links["set-password"],
        "foreign": world.links["reset-password"],
        "unknown": "bm90LWEtdG9rZW4.not-a-token",
    }


#: URL arguments naming an object, filled in by object_ids().
OBJECT_ARGUMENTS = (
    "organisation_id",
    "contact_id",
    "professional_id",
    "inzage_id",
    "job_token",
)
#: URL arguments that name no object: always this value.
FIXED_ARGUMENTS = {"purpose": "set-password"}
#: Arguments called "token" name a report job unless the endpoint is listed here.
TOKEN_KINDS = {"auth.set_password": "password_link"}


def is_object_route(rule) -> bool:
    """Tell whether the route names an object and so is tried in every variant."""
    return any(arg not in FIXED_ARGUMENTS for arg in rule.arguments)


def unknown_arguments(rule) -> list[str]:
    """URL arguments of ``rule`` that this module cannot fill in."""
    known = {*FIXED_ARGUMENTS, "token", *OBJECT_ARGUMENTS}
    return sorted(set(rule.arguments) - known)


def url_values(rule, world: World, actor: str, variant: str) -> dict:
    """The URL arguments for requesting ``rule`` as ``actor`` in ``variant``."""
    ids = object_ids(world, actor)
    values = {}
    for arg in rule.arguments:
        if arg in FIXED_ARGUMENTS:
            values[arg] = FIXED_ARGUMENTS[arg]
        elif arg == "token" and TOKEN_KINDS.get(rule.endpoint) == "password_link":
            values[arg] = set_password_tokens(world)[variant]
        elif arg == "token":
            values[arg] = ids["job_token"][variant]
        else:
            values[arg] = ids[arg][variant]
    return values
