"""Fill an empty, migrated database with a register at realistic scale for the load run.

A few authorised employers with their contacts, ~2,000 professionals with two periods
and a dozen activities each, and inzage from every professional to one to three
contacts (some expired, some revoked as history). Every account shares one password
so that the seed hashes it once. Returns what the virtual users need to sign in.
"""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

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
)
from app.progress import refresh_earned_points

FIRST_NAMES = [
    "Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ivo", "Jip",
    "Kees", "Lotte", "Milan", "Noor", "Olaf", "Pien", "Quinten", "Roos", "Sem", "Tess",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Dekker",
]  # fmt: skip
EMPLOYERS = [
    "Zorggroep Rivierenland", "Adviesbureau Noord", "Gemeente Utrecht",
    "Stichting Welzijn Oost", "Hogeschool Midden", "Ingenieursbureau West",
]  # fmt: skip
CATEGORIES = [
    "Vakinhoudelijke scholing SEU",
    "Intervisie",
    "Congres of symposium",
    "E-learning",
]


def seed(
    password: str,
    professionals: int = 2000,
    managers_per_organisation: int = 8,
    rng: random.Random | None = None,
) -> dict:
    """Insert the data set; return the sign-in details of the accounts by kind."""
    rng = rng or random.Random(20261203)
    day = today()
    password_hash = generate_password_hash(password)

    register = Register(
        name="Register SEU", code="SEU", norm_points=Decimal("12"), period_months=24
    )
    db.session.add(register)
    db.session.flush()

    organisations = []
    for n, name in enumerate(EMPLOYERS, start=1):
        organisations.append(
            _organisation(register, 5000 + n, name, OrganisationStatus.AUTHORISED)
        )
    waiting = _organisation(
        register, 5900, "Aanvrager BV", OrganisationStatus.REQUESTED
    )
    db.session.add_all([*organisations, waiting])
    db.session.flush()

    contacts = []
    for organisation in [*organisations, waiting]:
        roles = [ContactRole.EERSTE, ContactRole.PLAATSVERVANGER]
        roles += [ContactRole.MANAGER] * managers_per_organisation
        for index, role in enumerate(roles):
            contacts.append(
                Contact(
                    organisation_id=organisation.id,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    email=f"c{organisation.werkgevernummer}-{index}@werkgever.test",
                    username=f"c{organisation.werkgevernummer}-{index}",
                    role=role,
                    active=True,
                    password_hash=password_hash,
                )
            )
    db.session.add_all(contacts)
    db.session.add(
        Staff(
            name="Staf Load",
            email="staf@register.test",
            username="staf-load",
            password_hash=password_hash,
        )
    )
    db.session.flush()
    grantable = [c for c in contacts if c.organisation_id != waiting.id]

    professional_rows = [
        {
            "register_id": register.id,
            "seu_nummer": f"SEU{200000 + n}",
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {n}",
            "email": f"prof{n}@load.test",
            "password_hash": password_hash,
            "session_version": 1,
        }
        for n in range(professionals)
    ]
    ids = db.session.scalars(
        insert(Professional).returning(Professional.id, sort_by_parameter_order=True),
        professional_rows,
    ).all()

    periods, activities, inzage = [], [], []
    now = datetime.now(UTC)
    for professional_id in ids:
        current_start = day - timedelta(days=rng.randint(30, 700))
        previous_start = current_start.replace(year=current_start.year - 2)
        for start in (previous_start, current_start):
            periods.append(
                {
                    "professional_id": professional_id,
                    "start_date": start,
                    "end_date": start.replace(year=start.year + 2) - timedelta(1),
                    "norm_points": Decimal("12"),
                    "earned_points": Decimal("0"),
                }
            )
        for n in range(rng.randint(6, 14)):
            activities.append(
                {
                    "professional_id": professional_id,
                    "activity_date": day - timedelta(days=rng.randint(0, 1400)),
                    "category": rng.choice(CATEGORIES),
                    "description": f"Cursus {rng.randint(1, 500)}",
                    "external_id": str(600000 + n),
                    "points": Decimal(rng.randint(5, 40)) / 10,
                    "status": "Toegevoegd",
                }
            )
        for contact in rng.sample(grantable, rng.randint(1, 3)):
            kind = rng.random()
            inzage.append(
                {
                    "professional_id": professional_id,
                    "contact_id": contact.id,
                    "granted_at": now - timedelta(days=rng.randint(1, 300)),
                    "updated_at": now - timedelta(days=1),
                    # Mostly open-ended or in the future; some expired or revoked.
                    "valid_until": (
                        None
                        if kind < 0.5
                        else day + timedelta(days=rng.randint(-60, 700))
                    ),
                    "revoked_at": now - timedelta(days=1) if kind > 0.93 else None,
                }
            )
    db.session.execute(insert(RegistrationPeriod), periods)
    db.session.execute(insert(Activity), activities)
    db.session.execute(insert(Inzage), inzage)
    refresh_earned_points()
    db.session.commit()

    return {
        "password": password,
        "professionals": [
            {"id": pid, "login": row["email"]}
            for pid, row in zip(ids, professional_rows, strict=True)
        ],
        "managers": [
            {"id": c.id, "login": c.username}
            for c in grantable
            if c.role == ContactRole.MANAGER
        ],
        "beheerders": [
            {"id": c.id, "login": c.username}
            for c in grantable
            if c.role in ContactRole.BEHEERDERS
        ],
        "search_terms": sorted({name.split()[0] for name in FIRST_NAMES}),
        "employer_terms": [name.split()[0] for name in EMPLOYERS],
        "counts": {
            "organisations": len(organisations) + 1,
            "contacts": len(contacts),
            "professionals": len(ids),
            "periods": len(periods),
            "activities": len(activities),
            "inzage": len(inzage),
        },
    }


def _organisation(register, number: int, name: str, status: str) -> Organisation:
    return Organisation(
        register_id=register.id,
        werkgevernummer=number,
        name=name,
        street="Stationsplein 1",
        postcode="3511 ED",
        city="Utrecht",
        country="Nederland",
        status=status,
    )
