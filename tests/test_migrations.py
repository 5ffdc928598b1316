"""The Alembic migrations go up, all the way down and up again, and match the models.

Each test runs on a database of its own, so the session's schema stays intact.
"""

import uuid
import warnings

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.models import db
from tests.conftest import _postgres_url


@pytest.fixture
def fresh_app(app, tmp_path):
    server_url = _postgres_url()
    if server_url is None:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        admin = None
    else:
        name = f"pe_migr_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.engine.make_url(server_url).set(database=name)
        url = url.render_as_string(hide_password=False)
    config = {
        key: app.config[key]
        for key in ("TESTING", "APP_ENV", "SECRET_KEY", "BASE_URL", "MAIL_DEV_OUTBOX")
    }
    fresh = create_app({**config, "SQLALCHEMY_DATABASE_URI": url})
    yield fresh
    with fresh.app_context():
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def index_names() -> set[str]:
    # Read from the catalogue: SQLite cannot reflect expression indexes.
    if db.engine.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
    with db.engine.connect() as conn:
        return set(conn.execute(sa.text(query)).scalars())


def schema_differences() -> list:
    with warnings.catch_warnings(), db.engine.connect() as conn:
        # SQLite cannot reflect expression indexes; index_names() checks those.
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_downgrade_base_and_upgrade_again(fresh_app):
    model_tables = set(db.metadata.tables)

    with fresh_app.app_context():
        upgrade()
        assert model_tables <= table_names()

        downgrade(revision="base")
        assert table_names() <= {"alembic_version"}

        upgrade()
        assert model_tables <= table_names()


def test_migrated_schema_matches_the_models(fresh_app):
    with fresh_app.app_context():
        upgrade()

        assert schema_differences() == []


def test_partial_indexes_survive_a_round_trip(fresh_app):
    with fresh_app.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        indexes = index_names()

    assert {
        "uq_contact_one_eerste",
        "uq_contact_one_plaatsvervanger",
        "uq_contact_username_lower",
        "uq_inzage_live",
    } <= indexes
