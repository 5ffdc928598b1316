"""A professional register (beroepsgroep) and the norm it sets."""

from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import db


class Register(db.Model):
    __tablename__ = "register"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: Short label used in "Registratienorm SEU".
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: Points required per registration period.
    norm_points: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    period_months: Mapped[int]

    def __repr__(self) -> str:
        return f"<Register {self.code}>"
