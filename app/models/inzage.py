"""A professional's consent that one employer contact may read the dossier."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UTCDateTime, db, utcnow


class Inzage(db.Model):
    __tablename__ = "inzage"
    __table_args__ = (
        # One live (not revoked) inzage per contact and professional; revoked rows
        # stay as history.
        Index(
            "uq_inzage_live",
            "professional_id",
            "contact_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
        Index("ix_inzage_contact_live", "contact_id", "revoked_at", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professional.id"), index=True
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Last day (inclusive) the inzage is valid; None means no end date.
    valid_until: Mapped[date | None]
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    professional = relationship("Professional")
    contact = relationship("Contact")

    def is_valid_on(self, day: date) -> bool:
        """Tell whether the consent itself covers the day (contact state aside)."""
        if self.revoked_at is not None:
            return False
        return self.valid_until is None or day <= self.valid_until
