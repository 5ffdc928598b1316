"""Flask extensions, created once and bound to the app in the factory."""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from app.models.base import db

migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def submitted_identifier() -> str:
    """Rate-limit key for login attempts on one account, whether it exists or not."""
    name = (request.form.get("identifier") or "").strip().lower()
    return f"login:{name}"


__all__ = ["db", "migrate", "login_manager", "csrf", "limiter", "submitted_identifier"]
