"""Demo data for ``flask seed-demo``: one of everything a newcomer wants to try.

Loaded once: when the demo register exists, nothing is changed. Everything is
derived from today and a fixed random seed, so every fresh database looks alike.
"""

import functools
import itertools
import logging
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app import audit
from app.clock import today
from app.models import (
    Activity,
    Contact,
    ContactRole,
    Inzage,
    Organisation,
    OrganisationStatus,
    Professional,
    Register,
    RegistrationPeriod,
    Staff,
    db,
    utcnow,
)
from app.progress import refresh_earned_points

log = logging.getLogger(__name__)

#: Every demo account has this password; never use the demo data in production.
DEMO_PASSWORD = "demo-wachtwoord"
PROFESSIONAL_COUNT = 30

FIRST_NAMES = [
    "Anna", "Bram", "Citlali", "Daan", "Eva", "Fatima", "Gijs", "Hanna", "Ivo",
    "Julia", "Kees", "Lotte", "Mohamed", "Noor", "Olaf", "Priya", "Quinten", "Roos",
    "Sem", "Tess", "Umar", "Vera", "Wouter", "Xander", "Yara", "Zeynep", "Bas",
    "Merel", "Ruben", "Sophie",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "El Amrani",
    "van Dijk", "Kok", "Yilmaz", "Verhoeven", "Willems", "Koster", "Prins",
    "van der Meer", "Huisman",
]  # fmt: skip
ACTIVITIES = [
    ("Vakinhoudelijke scholing SEU", "De 7 watten van netwerken op LinkedIn"),
    (
        "Vakinhoudelijke scholing SEU",
        "Verloning van arbeidsmigranten: zo zit het met ET, PK5 en RC",
    ),
    ("Vakinhoudelijke scholing SEU", "Actualiteiten loonheffingen"),
    ("Vakinhoudelijke scholing SEU", "Wet arbeidsmarkt in balans in de praktijk"),
    ("Vakinhoudelijke scholing SEU", "Pensioenregelingen voor de salarisadministratie"),
    ("Persoonlijke ontwikkeling", "Effectief feedback geven"),
    ("Persoonlijke ontwikkeling", "Timemanagement voor professionals"),
    ("Intervisie", "Intervisiebijeenkomst casuïstiek"),
]
POINTS = [Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("3")]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str = DEMO_PASSWORD


def is_loaded() -> bool:
    """Tell whether the demo register is already in the database."""
    return (
        db.session.scalar(select(Register.id).where(Register.code == "SEU")) is not None
    )


def seed() -> list[DemoLogin]:
    """Load the demo data in one transaction and return the demo logins."""
    day = today()
    rng = random.Random(2025)

    register = Register(
        name="Register SEU", code="SEU", norm_points=Decimal("12"), period_months=24
    )
    staff = Staff(
        name="Sanne Beheer", email="beheer@register-seu.nl", username="beheer"
    )
    staff.password_hash = _demo_password_hash()
    db.session.add_all([register, staff])
    db.session.flush()

    employer = _organisation(
        register,
        werkgevernummer=1037,
        name="Zorggroep De Linde",
        street="Stationsplein 12",
        postcode="3511 ED",
        city="Utrecht",
        status=OrganisationStatus.AUTHORISED,
        status_changed_at=utcnow(),
        status_changed_by_id=staff.id,
    )
    eerste = _contact(employer, "HR De Linde", "hr-delinde", ContactRole.EERSTE)
    tweede = _contact(
        employer, "L&D De Linde", "ld-delinde", ContactRole.PLAATSVERVANGER
    )
    noord = _contact(employer, "Vestiging Noord", "manager-noord", ContactRole.MANAGER)
    zuid = _contact(employer, "Vestiging Zuid", "manager-zuid", ContactRole.MANAGER)

    pending = _organisation(
        register,
        werkgevernummer=1038,
        name="Bouwbedrijf Van Dijk",
        street="Industrieweg 4",
        postcode="8011 AB",
        city="Zwolle",
    )
    requester = _contact(pending, "Piet van Dijk", "pvandijk", ContactRole.EERSTE)
    db.session.flush()

    ids = itertools.count(610001)
    professionals = [
        _professional(register, n, day, rng, ids) for n in range(PROFESSIONAL_COUNT)
    ]
    db.session.flush()
    refresh_earned_points([p.id for p in professionals])
    _inzage(professionals, eerste, tweede, noord, zuid, day)

    audit.record("demo.seeded", actor=None, subject=register)
    log.info("demo data loaded for register %s", register.id)
    return [
        DemoLogin("SEU-beheer (register)", staff.username),
        DemoLogin("Contactpersoon organisatie (1e)", eerste.username),
        DemoLogin("Plaatsvervangend contactpersoon (2e)", tweede.username),
        DemoLogin("Vestiging / Manager", noord.username),
        DemoLogin("Vestiging / Manager", zuid.username),
        DemoLogin("Aanvraag wacht op autorisatie", requester.username),
        DemoLogin("PE-geregistreerde professional", professionals[0].seu_nummer),
    ]


@functools.cache
def _demo_password_hash() -> str:
    # One hash for all demo accounts: hashing is slow on purpose.
    return generate_password_hash(DEMO_PASSWORD)


def _organisation(register: Register, **values) -> Organisation:
    organisation = Organisation(register_id=register.id, country="Nederland", **values)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def _contact(organisation: Organisation, name: str, username: str, role: str):
    contact = Contact(
        organisation_id=organisation.id,
        name=name,
        email=f"{username}@voorbeeld-werkgever.nl",
        username=username,
        role=role,
    )
    contact.password_hash = _demo_password_hash()
    db.session.add(contact)
    return contact


def _professional(register: Register, n: int, day: date, rng, ids) -> Professional:
    name = f"{FIRST_NAMES[n]} {LAST_NAMES[n]}"
    professional = Professional(
        register_id=register.id,
        seu_nummer=f"SEU{100001 + n}",
        name=name,
        email=f"professional{n + 1:02d}@voorbeeld.nl",
    )
    professional.password_hash = _demo_password_hash()
    db.session.add(professional)
    db.session.flush()

    # The current period started between one month and almost two years ago.
    current_start = day - timedelta(days=30 + (n * 23) % 660)
    current_start = current_start.replace(day=min(current_start.day, 28))
    previous_start = current_start.replace(year=current_start.year - 2)
    for start, target in ((previous_start, 12 + n % 3), (current_start, n % 13)):
        end = start.replace(year=start.year + 2) - timedelta(days=1)
        finished = end < day
        db.session.add(
            RegistrationPeriod(
                professional_id=professional.id,
                start_date=start,
                end_date=end,
                norm_points=register.norm_points,
                # Half of those whose period ended submitted the dossier in time.
                dossier_submitted_on=(
                    end - timedelta(days=10) if finished and n % 2 == 0 else None
                ),
            )
        )
        _activities(professional, start, min(end, day), Decimal(target), rng, ids)
    return professional


def _activities(professional, start, last, target: Decimal, rng, ids) -> None:
    earned = Decimal("0")
    span = (last - start).days
    while earned < target and span > 0:
        category, description = rng.choice(ACTIVITIES)
        points = rng.choice(POINTS)
        db.session.add(
            Activity(
                professional_id=professional.id,
                activity_date=start + timedelta(days=rng.randint(0, span)),
                category=category,
                description=description,
                external_id=str(next(ids)),
                points=points,
            )
        )
        earned += points


def _inzage(professionals, eerste, tweede, noord, zuid, day: date) -> None:
    """Give the employer's contacts insight: live, temporary, expired and revoked."""
    grants = (
        [(p, eerste, None) for p in professionals[:20]]
        + [(p, tweede, day + timedelta(days=365)) for p in professionals[5:10]]
        + [(p, noord, day + timedelta(days=90)) for p in professionals[20:25]]
        + [(p, zuid, None) for p in professionals[25:28]]
        + [(professionals[28], zuid, day - timedelta(days=1))]
    )
    for professional, contact, valid_until in grants:
        db.session.add(
            Inzage(
                professional_id=professional.id,
                contact_id=contact.id,
                valid_until=valid_until,
            )
        )
    db.session.add(
        Inzage(
            professional_id=professionals[29].id,
            contact_id=eerste.id,
            revoked_at=utcnow(),
        )
    )
