"""Build the synthetic register of issue 5 with bulk inserts (COPY on PostgreSQL).

50,000 professionals with two periods each and 500,000 activities, 2,000
organisations with 6,000 contacts (1e, 2e, manager), 60,000 inzage, of which
5,000 valid ones to the 1e contactpersoon of the big employer (organisation 1).
Professional 1 gives that contact inzage and has 200 activities.
"""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.models import (
    Activity,
    Contact,
    Inzage,
    Organisation,
    Professional,
    Register,
    RegistrationPeriod,
)

PROFESSIONALS = 50_000
ACTIVITIES = 500_000
ORGANISATIONS = 2_000
INZAGE = 60_000
BIG_EMPLOYER_MEMBERS = 5_000
DOSSIER_ACTIVITIES = 200
BIG_CONTACT_ID = 1
DOSSIER_PROFESSIONAL_ID = 1
#: A last name that about one in 28 professionals has.
SEARCH = "bakker"

FIRST = (
    "Anna Bram Cor Daan Eva Fleur Gijs Hanna Ivo Jan Kim Lars Maud Noor Otto Pien "
    "Quinten Roos Sem Tess Uma Vince Wout Xander Yara Zoë"
).split()
LAST = (
    "de Vries|Jansen|van den Berg|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|"
    "Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|"
    "de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van Dijk"
).split("|")
CATEGORIES = ("Vakinhoudelijke scholing SEU", "Intervisie", "Ethiek", "Congres")


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def bulk_insert(connection, table, columns, rows) -> None:
    """Insert tuples fast: COPY on PostgreSQL, executemany on SQLite."""
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        names = ", ".join(columns)
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    connection.execute(
        table.insert(), [dict(zip(columns, row, strict=True)) for row in rows]
    )


def build(engine, seed: int = 5) -> dict:
    """Fill an empty, migrated database; return what the measurements need."""
    rng = random.Random(seed)
    today = date.today()
    now = datetime.now(UTC)
    with engine.begin() as connection:
        bulk_insert(
            connection,
            Register.__table__,
            ("id", "name", "code", "norm_points", "period_months"),
            [(1, "Register SEU", "SEU", Decimal("12"), 24)],
        )
        bulk_insert(
            connection,
            Organisation.__table__,
            (
                "id register_id werkgevernummer name street postcode city country "
                "status requested_at"
            ).split(),
            (
                (
                    n,
                    1,
                    1000 + n,
                    f"Werkgever {1000 + n} BV",
                    f"Dorpsstraat {n}",
                    "1234 AB",
                    "Utrecht",
                    "Nederland",
                    "authorised",
                    now,
                )
                for n in range(1, ORGANISATIONS + 1)
            ),
        )
        roles = ("eerste", "plaatsvervanger", "manager")
        bulk_insert(
            connection,
            Contact.__table__,
            (
                "id organisation_id name email username role active created_at "
                "session_version"
            ).split(),
            (
                (
                    (org - 1) * 3 + i + 1,
                    org,
                    f"Contact {org}-{i}",
                    f"contact{org}-{i}@werkgever.test",
                    f"contact{org}-{i}",
                    roles[i],
                    True,
                    now,
                    1,
                )
                for org in range(1, ORGANISATIONS + 1)
                for i in range(3)
            ),
        )
        names = [
            f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(PROFESSIONALS)
        ]
        bulk_insert(
            connection,
            Professional.__table__,
            "id register_id seu_nummer name email created_at session_version".split(),
            (
                (n, 1, f"SEU{n:06}", names[n - 1], f"prof{n}@mail.test", now, 1)
                for n in range(1, PROFESSIONALS + 1)
            ),
        )

        # Activities: 200 for the dossier professional, the rest spread evenly.
        counts = [DOSSIER_ACTIVITIES] + [
            (ACTIVITIES - DOSSIER_ACTIVITIES) // (PROFESSIONALS - 1)
        ] * (PROFESSIONALS - 1)
        counts[-1] += ACTIVITIES - sum(counts)
        activities, earned = [], {}
        starts = {}
        activity_id = 0
        for professional_id, count in enumerate(counts, start=1):
            current_start = today - timedelta(days=rng.randrange(0, 700))
            starts[professional_id] = current_start
            previous_start = years_later(current_start, -2)
            for _ in range(count):
                activity_id += 1
                day = previous_start + timedelta(days=rng.randrange(0, 1400))
                day = min(day, today)
                points = Decimal(rng.choice((5, 10, 15, 20, 40))) / 10
                key = (professional_id, day >= current_start)
                earned[key] = earned.get(key, Decimal(0)) + points
                activities.append(
                    (
                        activity_id,
                        professional_id,
                        day,
                        rng.choice(CATEGORIES),
                        f"Cursus {activity_id}",
                        str(600000 + activity_id),
                        points,
                        "Toegevoegd",
                        now,
                    )
                )
        bulk_insert(
            connection,
            Activity.__table__,
            (
                "id professional_id activity_date category description external_id "
                "points status created_at"
            ).split(),
            activities,
        )
        del activities

        periods = []
        for professional_id, start in starts.items():
            previous = years_later(start, -2)
            submitted = start - timedelta(days=10) if professional_id % 3 else None
            for period_start, is_current in ((previous, False), (start, True)):
                period_end = years_later(period_start, 2)
                periods.append(
                    (
                        len(periods) + 1,
                        professional_id,
                        period_start,
                        period_end - timedelta(days=1),
                        Decimal("12"),
                        earned.get((professional_id, is_current), Decimal(0)),
                        None if is_current else submitted,
                    )
                )
        bulk_insert(
            connection,
            RegistrationPeriod.__table__,
            (
                "id professional_id start_date end_date norm_points earned_points "
                "dossier_submitted_on"
            ).split(),
            periods,
        )

        inzage = []
        for professional_id in range(1, BIG_EMPLOYER_MEMBERS + 1):
            until = None if professional_id % 2 else today + timedelta(days=365)
            inzage.append((professional_id, BIG_CONTACT_ID, until, None))
        seen = set()
        other_contacts = ORGANISATIONS * 3
        while len(inzage) < INZAGE:
            professional_id = rng.randrange(1, PROFESSIONALS + 1)
            contact_id = rng.randrange(4, other_contacts + 1)
            if (professional_id, contact_id) in seen:
                continue
            seen.add((professional_id, contact_id))
            kind = rng.random()
            until = today - timedelta(days=5) if kind < 0.1 else None
            revoked = now - timedelta(days=1) if 0.1 <= kind < 0.15 else None
            inzage.append((professional_id, contact_id, until, revoked))
        bulk_insert(
            connection,
            Inzage.__table__,
            "id professional_id contact_id granted_at updated_at valid_until "
            "revoked_at".split(),
            ((n, p, c, now, now, u, r) for n, (p, c, u, r) in enumerate(inzage, 1)),
        )

        if connection.dialect.name == "postgresql":
            for table in (
                "register organisation contact professional registration_period "
                "activity inzage"
            ).split():
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    return {}
