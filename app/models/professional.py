"""A PE-registered professional, their registration periods and activities."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import AccountMixin
from app.models.base import UTCDateTime, db, utcnow


class Professional(AccountMixin, db.Model):
    __tablename__ = "professional"
    kind = "p"
    #: Lists sort on (name, id); PostgreSQL needs both columns to page by index.
    __table_args__ = (Index("ix_professional_name_id", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"), index=True)
    seu_nummer: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    #: Stored lower-cased; unique among professionals.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    register = relationship("Register")
    periods = relationship(
        "RegistrationPeriod",
        back_populates="professional",
        order_by="RegistrationPeriod.start_date.desc()",
    )

    def __repr__(self) -> str:
        return f"<Professional {self.seu_nummer}>"


class RegistrationPeriod(db.Model):
    __tablename__ = "registration_period"
    __table_args__ = (
        UniqueConstraint("professional_id", "start_date"),
        Index("ix_registration_period_current", "professional_id", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("professional.id"))
    #: First and last day, both inclusive ("31-10-2025 t/m 30-10-2027").
    start_date: Mapped[date]
    end_date: Mapped[date]
    norm_points: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    #: Sum of the points of activities dated inside the period, kept by
    #: app.progress so that lists can sort on progress without aggregating.
    earned_points: Mapped[Decimal] = mapped_column(Numeric(8, 1), default=Decimal("0"))
    #: Date the professional submitted the dossier for re-registration.
    dossier_submitted_on: Mapped[date | None]

    professional = relationship("Professional", back_populates="periods")

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


class Activity(db.Model):
    __tablename__ = "activity"
    __table_args__ = (
        UniqueConstraint("professional_id", "external_id"),
        Index("ix_activity_professional_date", "professional_id", "activity_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("professional.id"))
    activity_date: Mapped[date]
    category: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    #: ID-nummer of the activity in the register's catalogue.
    external_id: Mapped[str] = mapped_column(String(32))
    points: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    status: Mapped[str] = mapped_column(String(40), default="Toegevoegd")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
