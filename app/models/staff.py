"""Register staff (SEU-beheer)."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.accounts import AccountMixin
from app.models.base import db


class Staff(AccountMixin, db.Model):
    __tablename__ = "staff"
    kind = "s"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def is_active(self) -> bool:
        return self.active
