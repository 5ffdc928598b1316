"""An append-only record of who did what to which object, and when."""

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UTCDateTime, db, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_subject", "subject_kind", "subject_id"),
        Index("ix_audit_event_organisation", "organisation_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: "s", "c", "p" as in the login id, or "system" and "anonymous".
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_kind: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    organisation_id: Mapped[int | None]
    #: Old and new values, reasons; never passwords or tokens.
    details: Mapped[dict | None] = mapped_column(JSON)
