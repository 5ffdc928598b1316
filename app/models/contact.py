"""An employer contact account and its role inside the organisation."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import AccountMixin
from app.models.base import UTCDateTime, db, utcnow


class ContactRole:
    EERSTE = "eerste"
    PLAATSVERVANGER = "plaatsvervanger"
    MANAGER = "manager"

    ALL = (EERSTE, PLAATSVERVANGER, MANAGER)
    LABELS = {
        EERSTE: "Contactpersoon organisatie",
        PLAATSVERVANGER: "Plaatsvervangend contactpersoon",
        MANAGER: "Vestiging / Manager",
    }
    BEHEERDERS = (EERSTE, PLAATSVERVANGER)


class Contact(AccountMixin, db.Model):
    __tablename__ = "contact"
    kind = "c"
    __table_args__ = (
        CheckConstraint(
            "role IN ('eerste', 'plaatsvervanger', 'manager')", name="role"
        ),
        Index("uq_contact_username_lower", func.lower(text("username")), unique=True),
        # Exactly one active 1e contactpersoon: the database guarantees "at most",
        # the services never leave an organisation without one.
        Index(
            "uq_contact_one_eerste",
            "organisation_id",
            unique=True,
            sqlite_where=text("role = 'eerste' AND active"),
            postgresql_where=text("role = 'eerste' AND active"),
        ),
        Index(
            "uq_contact_one_plaatsvervanger",
            "organisation_id",
            unique=True,
            sqlite_where=text("role = 'plaatsvervanger' AND active"),
            postgresql_where=text("role = 'plaatsvervanger' AND active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    #: Stored lower-cased; unique among contacts.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation", back_populates="contacts")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_label(self) -> str:
        return ContactRole.LABELS[self.role]

    @property
    def is_beheerder(self) -> bool:
        return self.role in ContactRole.BEHEERDERS

    def __repr__(self) -> str:
        return f"<Contact {self.username} {self.role}>"
