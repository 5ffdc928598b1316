"""Granting and revoking inzage; each change writes its audit event."""

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit
from app.models import Contact, Inzage, Professional, db, utcnow

log = logging.getLogger(__name__)


def _live_inzage(professional_id: int, contact_id: int) -> Inzage | None:
    return db.session.scalars(
        select(Inzage).where(
            Inzage.professional_id == professional_id,
            Inzage.contact_id == contact_id,
            Inzage.revoked_at.is_(None),
        )
    ).first()


def _change_date(inzage: Inzage, valid_until: date | None, actor) -> bool:
    if inzage.valid_until == valid_until:
        return False
    old = inzage.valid_until
    inzage.valid_until = valid_until
    inzage.updated_at = utcnow()
    audit.record(
        "inzage.changed",
        actor=actor,
        subject=inzage,
        organisation_id=inzage.contact.organisation_id,
        contact_id=inzage.contact_id,
        old_valid_until=old.isoformat() if old else None,
        valid_until=valid_until.isoformat() if valid_until else None,
    )
    return True


def grant_inzage(
    professional: Professional, contact: Contact, valid_until: date | None, *, actor
) -> tuple[Inzage, str]:
    """Give ``contact`` inzage, or move the date of the live one; commit.

    Returns the inzage and what happened: "granted", "changed" or "unchanged".
    The caller must have no other pending changes: a lost race rolls back.
    """
    existing = _live_inzage(professional.id, contact.id)
    if existing is not None:
        outcome = "changed" if _change_date(existing, valid_until, actor) else None
        db.session.commit()
        log.info("inzage %s kept by professional %s", existing.id, professional.id)
        return existing, outcome or "unchanged"

    inzage = Inzage(
        professional_id=professional.id,
        contact_id=contact.id,
        valid_until=valid_until,
    )
    db.session.add(inzage)
    try:
        db.session.flush()
    except IntegrityError:
        # A second request granted the same contact at the same moment:
        # the partial unique index uq_inzage_live kept one row; update that one.
        db.session.rollback()
        existing = _live_inzage(professional.id, contact.id)
        if existing is None:
            raise
        outcome = "changed" if _change_date(existing, valid_until, actor) else None
        db.session.commit()
        return existing, outcome or "unchanged"

    audit.record(
        "inzage.granted",
        actor=actor,
        subject=inzage,
        organisation_id=contact.organisation_id,
        contact_id=contact.id,
        valid_until=valid_until.isoformat() if valid_until else None,
    )
    db.session.commit()
    log.info("inzage %s granted by professional %s", inzage.id, professional.id)
    return inzage, "granted"


def revoke_inzage(inzage: Inzage, *, actor) -> None:
    """Stamp the inzage as revoked; it grants nothing from the next request on."""
    if inzage.revoked_at is not None:
        return
    inzage.revoked_at = utcnow()
    audit.record(
        "inzage.revoked",
        actor=actor,
        subject=inzage,
        organisation_id=inzage.contact.organisation_id,
        contact_id=inzage.contact_id,
    )
    db.session.commit()
    log.info("inzage %s revoked by %s:%s", inzage.id, actor.kind, actor.id)


def inzage_overview(professional: Professional, day: date):
    """Split the professional's inzage into (live, history), newest first."""
    rows = db.session.scalars(
        select(Inzage)
        .options(joinedload(Inzage.contact).joinedload(Contact.organisation))
        .where(Inzage.professional_id == professional.id)
        .order_by(Inzage.granted_at.desc(), Inzage.id.desc())
    ).all()
    live = [row for row in rows if row.is_valid_on(day)]
    history = [row for row in rows if not row.is_valid_on(day)]
    return live, history
