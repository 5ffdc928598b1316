"""Who may see which dossier, today. One place decides, from the database, every time.

An inzage grants access when it is not revoked, its "geautoriseerd tot" is empty or
not before today, its contact is active and the contact's organisation is
authorised. Anything else (expired, revoked, foreign, inactive, suspended, unknown)
gets the same not-found answer, and the refused attempt is recorded.
"""

import logging
from datetime import date

from flask import abort
from sqlalchemy import and_, exists, or_, select

from app import audit
from app.clock import today as today_local
from app.models import (
    Contact,
    Inzage,
    Organisation,
    OrganisationStatus,
    Professional,
    db,
)

log = logging.getLogger(__name__)


def inzage_is_live(day: date):
    """SQL condition on Inzage alone: not revoked and not expired on ``day``."""
    return and_(
        Inzage.revoked_at.is_(None),
        or_(Inzage.valid_until.is_(None), Inzage.valid_until >= day),
    )


def granting_inzage(day: date):
    """Select live inzage whose contact is active in an authorised organisation."""
    return (
        select(Inzage)
        .join(Contact, Contact.id == Inzage.contact_id)
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(
            inzage_is_live(day),
            Contact.active.is_(True),
            Organisation.status == OrganisationStatus.AUTHORISED,
        )
    )


def visible_to_contact(contact: Contact, day: date | None = None):
    """SQL condition on Professional: gave ``contact`` inzage valid on ``day``."""
    if day is None:
        day = today_local()
    return exists(
        granting_inzage(day)
        .where(
            Inzage.contact_id == contact.id, Inzage.professional_id == Professional.id
        )
        .with_only_columns(Inzage.id)
    )


def members_of_organisation(organisation_id: int, day: date | None = None):
    """SQL condition on Professional: a PE-medewerker of the organisation on ``day``."""
    day = day or today_local()
    return exists(
        granting_inzage(day)
        .where(
            Contact.organisation_id == organisation_id,
            Inzage.professional_id == Professional.id,
        )
        .with_only_columns(Inzage.id)
    )


def visible_professional_ids(contact: Contact, day: date | None = None):
    """Select the ids of professionals who gave ``contact`` inzage valid on ``day``.

    The rule of ``visible_to_contact``, shaped for ``Professional.id.in_(...)`` so
    that the database starts from the contact's inzage rather than from every
    professional in the register.
    """
    if day is None:
        day = today_local()
    return (
        granting_inzage(day)
        .where(Inzage.contact_id == contact.id)
        .with_only_columns(Inzage.professional_id)
    )


def member_ids_of_organisation(organisation_id: int, day: date | None = None):
    """Select the ids of the PE-medewerkers of the organisation on ``day``."""
    day = day or today_local()
    return (
        granting_inzage(day)
        .where(Contact.organisation_id == organisation_id)
        .with_only_columns(Inzage.professional_id)
    )


def live_inzage_for(contact: Contact, professional_id: int, day: date | None = None):
    """The inzage through which ``contact`` may see the dossier on ``day``, or None."""
    day = day or today_local()
    return db.session.scalars(
        granting_inzage(day).where(
            Inzage.contact_id == contact.id, Inzage.professional_id == professional_id
        )
    ).first()


def get_dossier_or_404(contact: Contact, professional_id: int):
    """Return (professional, inzage) if ``contact`` may open the dossier today.

    Otherwise record the attempt and answer 404, exactly as for an unknown id.
    """
    inzage = live_inzage_for(contact, professional_id)
    if inzage is None:
        log.warning("refused dossier %s to contact %s", professional_id, contact.id)
        audit.record(
            "dossier.refused",
            actor=contact,
            organisation_id=contact.organisation_id,
            professional_id=professional_id,
        )
        db.session.commit()
        abort(404)
    return inzage.professional, inzage
