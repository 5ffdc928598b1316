"""PE-inzage: employers' insight into their professionals' continuing education."""

import logging
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import check_production, load_config
from app.extensions import csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Create and configure the application."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    check_production(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from app import auth, cli, errors, formatting, input_guard, mail, security

    input_guard.init_app(app)
    auth.init_app(app)
    mail.init_app(app)
    formatting.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from app.contacts import bp as contacts_bp
    from app.dev import bp as dev_bp
    from app.inzage import bp as inzage_bp
    from app.main import bp as main_bp
    from app.professionals import bp as professionals_bp
    from app.registration import bp as registration_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(registration_bp, url_prefix="/aanvragen")
    app.register_blueprint(admin_bp, url_prefix="/beheer")
    app.register_blueprint(contacts_bp, url_prefix="/organisatie")
    app.register_blueprint(inzage_bp, url_prefix="/mijn")
    app.register_blueprint(professionals_bp, url_prefix="/professionals")
    if app.config["MAIL_DEV_OUTBOX"]:
        app.register_blueprint(dev_bp, url_prefix="/dev")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Turn on foreign keys, WAL and a busy timeout for every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
