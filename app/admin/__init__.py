"""Register staff: authorise employer accounts and load register data."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")

from app.admin import imports, professionals, routes  # noqa: E402,F401
