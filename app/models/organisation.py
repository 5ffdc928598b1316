"""An employer organisation (werkgever) and its authorisation state."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UTCDateTime, db, utcnow


class OrganisationStatus:
    REQUESTED = "requested"
    AUTHORISED = "authorised"
    REJECTED = "rejected"
    SUSPENDED = "suspended"

    ALL = (REQUESTED, AUTHORISED, REJECTED, SUSPENDED)
    LABELS = {
        REQUESTED: "Aangevraagd",
        AUTHORISED: "Geautoriseerd",
        REJECTED: "Afgewezen",
        SUSPENDED: "Geschorst",
    }


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(
            "status IN ('requested', 'authorised', 'rejected', 'suspended')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"), index=True)
    #: Public number of the employer, shown in reports; assigned on request.
    werkgevernummer: Mapped[int | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(16))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(
        String(16), default=OrganisationStatus.REQUESTED, index=True
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Who last changed the status, and when (authorise, reject, suspend, reinstate).
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: Reason given on rejection or suspension, sent to the 1e contactpersoon.
    status_reason: Mapped[str | None] = mapped_column(Text)

    register = relationship("Register", lazy="joined")
    status_changed_by = relationship("Staff")
    contacts = relationship(
        "Contact", back_populates="organisation", order_by="Contact.name"
    )

    @property
    def status_label(self) -> str:
        return OrganisationStatus.LABELS[self.status]

    @property
    def is_authorised(self) -> bool:
        return self.status == OrganisationStatus.AUTHORISED

    def __repr__(self) -> str:
        return f"<Organisation {self.werkgevernummer} {self.name!r}>"
