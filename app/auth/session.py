"""Load the signed-in account on every request and keep unauthorised employers out."""

from flask import redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.extensions import login_manager
from app.models import Contact, Professional, Staff, db

ACCOUNT_KINDS = {"c": Contact, "p": Professional, "s": Staff}

#: Endpoints a contact of a not (yet) authorised organisation may reach.
PENDING_ALLOWED = {"auth.pending", "auth.logout", "static"}


@login_manager.user_loader
def load_account(login_id: str):
    try:
        kind, account_id, version = login_id.split(":")
        account_id, version = int(account_id), int(version)
    except ValueError:
        return None
    model = ACCOUNT_KINDS.get(kind)
    if model is None:
        return None
    options = [joinedload(Contact.organisation)] if model is Contact else []
    account = db.session.get(model, account_id, options=options)
    if account is None or account.session_version != version or not account.is_active:
        return None
    return account


def _gate_unauthorised_organisations():
    if not current_user.is_authenticated or current_user.kind != "c":
        return None
    if current_user.organisation.is_authorised:
        return None
    if request.endpoint in PENDING_ALLOWED:
        return None
    return redirect(url_for("auth.pending"))


def init_app(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te bekijken."
    login_manager.login_message_category = "info"
    app.before_request(_gate_unauthorised_organisations)
