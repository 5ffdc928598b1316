"""Staff decisions on employer organisations: authorise, reject, suspend, reinstate.

Each writes the new status, who and when, an audit event and the e-mail to the
1e contactpersoon in one transaction; the caller commits.
"""

import logging

from sqlalchemy import select

from app import audit, mail, tokens
from app.models import (
    Contact,
    ContactRole,
    Organisation,
    OrganisationStatus,
    db,
    utcnow,
)

log = logging.getLogger(__name__)


class StatusConflict(Exception):
    """The organisation's status does not allow this action (any more)."""


def authorise(organisation: Organisation, *, actor) -> None:
    """Authorise a requested organisation and tell its 1e contactpersoon."""
    _change(
        organisation,
        OrganisationStatus.REQUESTED,
        OrganisationStatus.AUTHORISED,
        actor,
        reason=None,
    )
    _tell_eerste(
        organisation, "Uw werkgeversaccount is geautoriseerd", "organisation_authorised"
    )
    audit.record(
        "organisation.authorised",
        actor=actor,
        subject=organisation,
        organisation_id=organisation.id,
    )


def reject(organisation: Organisation, reason: str, *, actor) -> None:
    """Reject a requested organisation and send its 1e contactpersoon the reason."""
    _change(
        organisation,
        OrganisationStatus.REQUESTED,
        OrganisationStatus.REJECTED,
        actor,
        reason=reason,
    )
    _tell_eerste(
        organisation,
        "Uw aanvraag van een werkgeversaccount is afgewezen",
        "organisation_rejected",
    )
    audit.record(
        "organisation.rejected",
        actor=actor,
        subject=organisation,
        organisation_id=organisation.id,
        reason=reason,
    )


def suspend(organisation: Organisation, reason: str, *, actor) -> None:
    """Suspend an authorised organisation: its contacts see only the waiting page."""
    _change(
        organisation,
        OrganisationStatus.AUTHORISED,
        OrganisationStatus.SUSPENDED,
        actor,
        reason=reason,
    )
    _tell_eerste(
        organisation, "Uw werkgeversaccount is geschorst", "organisation_suspended"
    )
    audit.record(
        "organisation.suspended",
        actor=actor,
        subject=organisation,
        organisation_id=organisation.id,
        reason=reason,
    )


def reinstate(organisation: Organisation, *, actor) -> None:
    """Lift the suspension of an organisation."""
    _change(
        organisation,
        OrganisationStatus.SUSPENDED,
        OrganisationStatus.AUTHORISED,
        actor,
        reason=None,
    )
    _tell_eerste(
        organisation, "Uw werkgeversaccount is weer actief", "organisation_reinstated"
    )
    audit.record(
        "organisation.reinstated",
        actor=actor,
        subject=organisation,
        organisation_id=organisation.id,
    )


def get_for_update(organisation_id: int) -> Organisation | None:
    """Load an organisation and lock its row until commit (PostgreSQL)."""
    return db.session.scalar(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .with_for_update(of=Organisation)
    )


def first_contact(organisation: Organisation) -> Contact | None:
    """The active 1e contactpersoon of the organisation."""
    return db.session.scalar(
        select(Contact).where(
            Contact.organisation_id == organisation.id,
            Contact.role == ContactRole.EERSTE,
            Contact.active.is_(True),
        )
    )


def _change(organisation, expected: str, new: str, actor, *, reason) -> None:
    if organisation.status != expected:
        raise StatusConflict(organisation.status)
    organisation.status = new
    organisation.status_reason = reason
    organisation.status_changed_at = utcnow()
    organisation.status_changed_by_id = actor.id
    log.info("organisation %s %s by staff %s", organisation.id, new, actor.id)


def _tell_eerste(organisation: Organisation, subject: str, template: str) -> None:
    contact = first_contact(organisation)
    if contact is None:
        log.warning("organisation %s has no active 1e contactpersoon", organisation.id)
        return
    password_link = None
    if contact.password_hash is None:
        password_link = tokens.password_link(contact, "set-password")
    mail.queue(
        contact.email,
        subject,
        template,
        contact=contact,
        organisation=organisation,
        password_link=password_link,
        login_url=tokens.login_page_url(),
    )
