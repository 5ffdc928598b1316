"""Sign-in for every kind of account: login, logout, set and reset password."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from app.auth import routes  # noqa: E402,F401
from app.auth.session import init_app  # noqa: E402,F401
