"""Write audit events in the same transaction as the change they describe."""

import logging

from app.models import AuditEvent, db

log = logging.getLogger(__name__)

SUBJECT_KINDS = {
    "Organisation": "organisation",
    "Contact": "contact",
    "Professional": "professional",
    "Inzage": "inzage",
    "Staff": "staff",
    "RegistrationPeriod": "period",
    "ReportJob": "report_job",
}


def record(action, *, actor=None, subject=None, organisation_id=None, **details):
    """Add an audit event for ``action`` to the current session; the caller commits."""
    actor_kind = getattr(actor, "kind", None) or (
        "system" if actor is None else "anonymous"
    )
    subject_kind = SUBJECT_KINDS.get(type(subject).__name__) if subject else None
    event = AuditEvent(
        actor_kind=actor_kind,
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_kind=subject_kind,
        subject_id=getattr(subject, "id", None),
        organisation_id=organisation_id,
        details=details or None,
    )
    db.session.add(event)
    log.info(
        "%s by %s:%s on %s:%s",
        action,
        event.actor_kind,
        event.actor_id,
        subject_kind,
        event.subject_id,
    )
    return event
