"""Development only: the outbox as a mailbox. Not registered in production."""

from flask import Blueprint

bp = Blueprint("dev", __name__, template_folder="templates")

from app.dev import routes  # noqa: E402,F401
