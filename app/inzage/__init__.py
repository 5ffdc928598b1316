"""Flow 4: the professional's own dossier and the inzage they give employers."""

from flask import Blueprint

bp = Blueprint("inzage", __name__, template_folder="templates")

from app.inzage import routes  # noqa: E402,F401
