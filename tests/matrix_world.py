"""The world the access matrix runs in, its actors, and the ids they try.

One world holds everything a route of the application can be asked about: two
authorised organisations A and B, each with a 1e, a 2e, a manager, an extra
manager, a contact still without a password and an inactive one; a requested
organisation P and a suspended S, each with a 1e contactpersoon; professional P1
who gave inzage to A's manager and 1e (and to B's inactive contact), professional
P2 who gave inzage to B's manager, 2e and 1e (and an expired one to A's manager, a
revoked one to A's 1e), both with a period and activities; finished PDF reports;
and register staff. Names are distinct words, so that a page showing another's
data can be caught by its text.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app import tokens
from app.clock import today
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
#: Contacts of an authorised organisation.
CONTACT_ACTORS = ("manA", "2eA", "1eA", "manB", "2eB", "1eB")
#: An id that no row has.
UNKNOWN_ID = 999999

#: Tables whose rows a request may add without changing what anybody may do.
VOLATILE_TABLES = {"audit_event", "outbox_message"}

ORGANISATIONS = {
    "A": ("Alfa Zorg BV", OrganisationStatus.AUTHORISED),
    "B": ("Bravo Bouw BV", OrganisationStatus.AUTHORISED),
    "P": ("Pelikaan Pakhuis BV", OrganisationStatus.REQUESTED),
    "S": ("Schorpioen Staal BV", OrganisationStatus.SUSPENDED),
}
#: Contact name prefix -> (word in its name, role, has a password, active).
CONTACT_KINDS = {
    "1e": ("Eerste", ContactRole.EERSTE, True, True),
    "2e": ("Tweede", ContactRole.PLAATSVERVANGER, True, True),
    "man": ("Manager", ContactRole.MANAGER, True, True),
    "extra": ("Extra", ContactRole.MANAGER, True, True),
    "new": ("Nieuw", ContactRole.MANAGER, False, True),
    "old": ("Oud", ContactRole.MANAGER, True, False),
}
#: Professional -> name and the inzage given: contact -> "live", "expired" (until
#: yesterday) or "revoked". Inzage that grants nothing (expired, revoked, to an
#: inactive contact) must show nothing: P2 is foreign to all of A, P1 to all of B.
PROFESSIONALS = {
    "P1": ("Petra Eenhoorn", {"manA": "live", "1eA": "live", "oldB": "live"}),
    "P2": (
        "Paul Tweelingh",
        {
            "manB": "live",
            "2eB": "live",
            "1eB": "live",
            "manA": "expired",
            "1eA": "revoked",
        },
    ),
}
#: Who made a PDF report that is ready for them -> of which organisation. Staff's
#: requester id is a contact's id too (1eA's, most likely): only the kind differs.
REPORT_REQUESTERS = {"1eA": "A", "2eA": "A", "1eB": "B", "2eB": "B", "staff": "B"}


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
    #: The current period of each professional.
    periods: dict[str, int] = field(default_factory=dict)
    #: Inzage by "<professional>-<contact>", e.g. "P1-manA".
    inzage: dict[str, int] = field(default_factory=dict)
    #: Report job tokens by the contact who requested them.
    jobs: dict[str, str] = field(default_factory=dict)
    #: Password links of the password-less contact "newA", by purpose.
    links: dict[str, str] = field(default_factory=dict)
    #: Names and e-mail addresses of each organisation ("A": its contacts too),
    #: of each professional ("P1": with SEU-nummer, courses) and of "newA".
    texts: dict[str, list[str]] = field(default_factory=dict)
    login: dict[str, str] = field(default_factory=dict)


def build_world(app) -> World:
    """Create the world in an empty database and return its ids."""
    factory = Factory(app)
    world = World()
    hashed = password_hash()

    factory.register()  # the first register made is "SEU", as FIXED_ARGUMENTS says
    organisations, contacts = {}, {}
    for org, (name, status) in ORGANISATIONS.items():
        organisations[org] = factory.organisation(status=status, name=name)
        world.organisations[org] = organisations[org].id
        world.texts[org] = [name]
        for kind, (word, role, with_password, active) in CONTACT_KINDS.items():
            if org in "PS" and kind != "1e":
                continue
            row = factory.contact(
                organisations[org],
                role=role,
                name=f"{name.split()[0]} {word}",
                password=None,
                password_hash=hashed if with_password else None,
                active=active,
            )
            contacts[f"{kind}{org}"] = row
            world.contacts[f"{kind}{org}"] = row.id
            world.usernames[f"{kind}{org}"] = row.username
            world.texts[org] += [row.name, row.email]
            if kind == "new":
                world.texts[f"new{org}"] = [row.name, row.email]

    for key, (name, grants) in PROFESSIONALS.items():
        professional = factory.professional(
            name=name, password=None, password_hash=hashed
        )
        world.professionals[key] = professional.id
        world.login[key] = professional.email
        surname = name.split()[1]
        world.texts[key] = [name, professional.email, professional.seu_nummer]
        world.texts[key].append(f"Cursus {surname}")
        world.periods[key] = factory.period(professional).id
        for number, points in enumerate(("2.5", "1"), start=1):
            factory.activity(
                professional, points=points, description=f"Cursus {surname} {number}"
            )
        for receiver, state in grants.items():
            inzage = factory.inzage(
                professional,
                contacts[receiver],
                valid_until=today() - timedelta(days=1) if state == "expired" else None,
                revoked_at=utcnow() if state == "revoked" else None,
            )
            world.inzage[f"{key}-{receiver}"] = inzage.id

    staff = Staff(
        name="Staf", email="staf@register.test", username="staf", password_hash=hashed
    )
    world.login["staff"] = staff.username
    report_dir = Path(app.config["REPORT_DIR"])
    report_dir.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        with Session(db.engine) as session:
            session.add(staff)
            session.flush()
            for requester, org in REPORT_REQUESTERS.items():
                account = staff if requester == "staff" else contacts[requester]
                token = secrets.token_urlsafe(24)
                path = report_dir / f"matrix-{token}.pdf"
                path.write_bytes(b"%PDF-1.4\n% access matrix\n")
                session.add(
                    ReportJob(
                        token=token,
                        organisation_id=world.organisations[org],
                        requested_by_id=account.id,
                        requested_by_kind=account.kind,
                        file_format="pdf",
                        status=ReportJobStatus.DONE,
                        progress=1,
                        total=1,
                        finished_at=utcnow(),
                        expires_at=utcnow() + timedelta(days=1),
                        file_path=str(path),
                    )
                )
                world.jobs[requester] = token
            session.commit()
        refresh_earned_points(list(world.professionals.values()))
        db.session.commit()
        newcomer = db.session.get(Contact, world.contacts["newA"])
        for purpose in tokens.PURPOSES:
            world.links[purpose] = tokens.make_token(newcomer, purpose)
        db.session.remove()
    return world


def empty_database(app) -> None:
    """Delete every row, as the test fixtures do after each test, and the files."""
    for path in Path(app.config["REPORT_DIR"]).glob("matrix-*.pdf"):
        path.unlink()
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


# --- who signs in, and what they must never see -----------------------------------

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
        return world.login["P1"]
    if actor == "staff":
        return world.login["staff"]
    contact = {"pend": "1eP", "susp": "1eS"}.get(actor, actor)
    return world.usernames[contact]


def hidden_texts(world: World, actor: str) -> list[str]:
    """Names and addresses that no page may show to ``actor``."""
    texts = world.texts
    if actor == "staff":
        return []
    if actor == "prof":
        # Authorised organisations and their contacts are offered to professionals.
        return texts["P2"] + texts["P"] + texts["S"]
    if actor in CONTACT_ACTORS:
        other = _OTHER[_HOME[actor]]
        return texts[other] + texts[_DOSSIERS[other][0]] + texts["P"] + texts["S"]
    # Whoever holds newA's password link may see newA's name and organisation.
    allowed = [texts["A"][0], *texts["newA"]]
    if actor in _HOME:
        allowed += texts[_HOME[actor]]
    everything = [text for key in sorted(texts) for text in texts[key]]
    return [text for text in everything if text not in allowed]


# --- the ids each actor tries -----------------------------------------------------

#: URL arguments that name no object: always this value.
FIXED_ARGUMENTS = {
    "purpose": "set-password",
    "code": "SEU",
    "kind": "professionals",
}
#: Arguments called "token" name a report job unless the endpoint is listed here.
PASSWORD_LINK_ENDPOINTS = {"auth.set_password"}
#: Object ids read from the query string: endpoint -> parameter -> kind of id.
QUERY_OBJECTS = {
    "professionals.report": {"organisation_id": "organisation_id"},
    "professionals.report_xlsx": {"organisation_id": "organisation_id"},
    "professionals.report_pdf": {"organisation_id": "organisation_id"},
    "inzage.contact_options": {"organisation_id": "organisation_id"},
}
#: Object ids a POST carries in its form: endpoint -> field -> kind of id.
FORM_OBJECTS = {
    "inzage.add": {"organisation_id": "organisation_id", "contact_id": "contact_id"},
    "contacts.hand_over": {"new_eerste": "contact_id"},
}
#: The other fields such a form needs before its ids are looked at.
FORM_FIELDS = {"contacts.hand_over": {"own_role": ContactRole.MANAGER}}
#: Partials that answer HTMX requests only; they are requested as HTMX.
HTMX_ENDPOINTS = {"inzage.organisation_options", "inzage.contact_options"}
#: The kinds of id object_ids() fills in; URL arguments are named after them.
OBJECT_KINDS = (
    "organisation_id",
    "contact_id",
    "professional_id",
    "period_id",
    "inzage_id",
    "token",
)
_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass(frozen=True)
class Slot:
    """A place in a request that names an object."""

    place: str  # "path", "query" or "form"
    name: str  # the URL argument, query parameter or form field
    kind: str  # the kind of id, a key of object_ids()


def object_slots(rule, method: str) -> list[Slot]:
    """The ids a request names: in URL order, then in the query, then the form."""
    slots = [
        Slot("path", argument, argument)
        for argument in _ARGUMENT.findall(rule.rule)
        if argument not in FIXED_ARGUMENTS
    ]
    slots += [
        Slot("query", *item) for item in QUERY_OBJECTS.get(rule.endpoint, {}).items()
    ]
    if method != "GET":
        slots += [
            Slot("form", *item) for item in FORM_OBJECTS.get(rule.endpoint, {}).items()
        ]
    return slots


def variants(rule, method: str) -> tuple[str, ...]:
    """The id variants a request is tried with.

    "own": the actor's own organisation, contact, dossier, inzage or report;
    "foreign": the same kind of object of another organisation or professional;
    "mixed": the first id own, the others foreign (A's organisation with B's
    contact); "unknown": ids no row has; "-": no ids at all, or own ids in the
    path and none in the query or form.
    """
    slots = object_slots(rule, method)
    if not slots:
        return ("-",)
    found = ("own", "foreign", "unknown")
    if any(slot.place != "path" for slot in slots):
        found = ("-", *found)
    if len(slots) > 1:
        found = (*found, "mixed")
    return found


def unknown_arguments(rule) -> list[str]:
    """URL arguments of ``rule`` that this module cannot fill in."""
    return sorted(set(rule.arguments) - {*FIXED_ARGUMENTS, *OBJECT_KINDS})


def _triple(own, foreign) -> dict:
    return {"own": own, "foreign": foreign, "unknown": UNKNOWN_ID}


def object_ids(world: World, actor: str, endpoint: str) -> dict[str, dict]:
    """Per kind of id, the value of each variant for ``actor``.

    Staff and the anonymous visitor get A's objects as "own" and B's as "foreign".
    """
    home = _HOME.get(actor, "A")
    other = _OTHER[home]
    orgs, contacts, inzage = world.organisations, world.contacts, world.inzage
    mine, theirs = ("B", "A") if home == "B" else ("A", "B")
    p_mine, p_theirs = _DOSSIERS[mine][0], _DOSSIERS[theirs][0]

    if actor == "prof":
        # Authorised organisations are open to every professional, so "foreign" is
        # one that professionals may not see: a requested organisation, its contact.
        organisation = _triple(orgs["A"], orgs["P"])
        contact = _triple(contacts["manA"], contacts["1eP"])
    else:
        organisation = _triple(orgs[home], orgs[other])
        # A contact the beheerders of the organisation manage, never the actor.
        contact = _triple(
            contacts.get(f"extra{home}", contacts["extraA"]), contacts[f"extra{other}"]
        )

    if endpoint in PASSWORD_LINK_ENDPOINTS:
        # Whoever holds a link may use it; "foreign" is a link for another purpose.
        token = {
            "own": world.links["set-password"],
            "foreign": world.links["reset-password"],
        }
    else:
        # A's side gets staff's report of B as "foreign"; B's side and staff A's.
        foreign = "1eA" if mine == "B" or actor == "staff" else "staff"
        token = {
            "own": world.jobs.get(actor, world.jobs[f"1e{mine}"]),
            "foreign": world.jobs[foreign],
        }
    token["unknown"] = "bm90LWEtdG9rZW4.unknown-token"

    return {
        "organisation_id": organisation,
        "contact_id": contact,
        "professional_id": _triple(
            world.professionals[p_mine], world.professionals[p_theirs]
        ),
        "period_id": _triple(world.periods[p_mine], world.periods[p_theirs]),
        "inzage_id": _triple(inzage[_DOSSIERS[mine][1]], inzage[_DOSSIERS[theirs][1]]),
        "token": token,
    }


def build_request(rule, method: str, world: World, actor: str, variant: str):
    """The URL (with its query) and the form data for one request of the matrix."""
    ids = object_ids(world, actor, rule.endpoint)
    values = {
        arg: FIXED_ARGUMENTS[arg] for arg in rule.arguments & FIXED_ARGUMENTS.keys()
    }
    query, form = {}, {}
    places = {"path": values, "query": query, "form": form}
    for position, slot in enumerate(object_slots(rule, method)):
        if variant == "-" and slot.place != "path":
            continue
        chosen = {"-": "own", "mixed": "foreign" if position else "own"}.get(
            variant, variant
        )
        places[slot.place][slot.name] = ids[slot.kind][chosen]
    if form:
        form.update(FORM_FIELDS.get(rule.endpoint, {}))
    path = rule.build(values, append_unknown=False)[1]
    if query:
        path += "?" + urlencode(query)
    return path, form
