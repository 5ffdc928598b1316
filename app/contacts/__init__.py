"""Flow 3: beheerders manage their organisation's details and contact accounts."""

from flask import Blueprint

bp = Blueprint("contacts", __name__, template_folder="templates")

from app.contacts import routes  # noqa: E402,F401
