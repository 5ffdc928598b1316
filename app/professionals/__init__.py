"""Flows 5 and 6: professionals who gave a contact inzage, and the employer report."""

from flask import Blueprint

bp = Blueprint(
    "professionals", __name__, template_folder="templates", cli_group="reports"
)

from app.professionals import cli, routes  # noqa: E402,F401
