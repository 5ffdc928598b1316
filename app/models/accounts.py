"""What every account kind shares: a password and a server-side session version."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash


class AccountMixin:
    #: One letter in the login id, so that one user loader serves every kind.
    kind: str = ""

    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: Bumped on logout, password change and deactivation: older cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return True

    def get_id(self) -> str:
        return f"{self.kind}:{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1
