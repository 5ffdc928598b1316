"""Loaders that scope every page of this blueprint to what the account may manage.

A beheerder gets only their own organisation and its contacts, staff any. Anything
else answers 404, exactly like an id that does not exist, and the attempt is logged
and recorded.
"""

import logging

from flask import abort
from flask_login import current_user

from app import audit
from app.models import Contact, Organisation, db

log = logging.getLogger(__name__)


def get_organisation_or_404(organisation_id: int) -> Organisation:
    """The organisation if the signed-in beheerder or staff member may manage it."""
    organisation = db.session.get(Organisation, organisation_id)
    if current_user.kind == "s" and organisation is not None:
        return organisation
    if (
        current_user.kind == "c"
        and current_user.is_beheerder
        and current_user.organisation_id == organisation_id
    ):
        return organisation
    _refuse(target_organisation_id=organisation_id)


def get_contact_or_404(organisation: Organisation, contact_id: int) -> Contact:
    """The contact if it belongs to ``organisation``."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.organisation_id != organisation.id:
        _refuse(target_organisation_id=organisation.id, target_contact_id=contact_id)
    return contact


def _refuse(**attempt):
    actor = current_user._get_current_object()
    log.warning("refused %s to %s:%s", attempt, actor.kind, actor.id)
    audit.record(
        "contacts.refused",
        actor=actor,
        organisation_id=getattr(actor, "organisation_id", None),
        **attempt,
    )
    db.session.commit()
    abort(404)
