"""Flow 1: a public request for an employer account."""

from flask import Blueprint

bp = Blueprint("registration", __name__, template_folder="templates")

from app.registration import routes  # noqa: E402,F401
