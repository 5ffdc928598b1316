"""Finding accounts by what people type on the login page."""

from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.models import Contact, Professional, Staff, db

# Checked when no account matches, so that a wrong name costs as long as a wrong
# password and timing does not tell which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def find_accounts(identifier: str) -> list:
    """Every account, of any kind, that ``identifier`` may name."""
    key = identifier.strip().lower()
    if not key:
        return []
    staff = db.session.scalars(
        select(Staff).where(or_(func.lower(Staff.username) == key, Staff.email == key))
    ).all()
    contacts = db.session.scalars(
        select(Contact).where(
            or_(func.lower(Contact.username) == key, Contact.email == key)
        )
    ).all()
    professionals = db.session.scalars(
        select(Professional).where(
            or_(Professional.email == key, func.lower(Professional.seu_nummer) == key)
        )
    ).all()
    return [*staff, *contacts, *professionals]


def authenticate(identifier: str, password: str):
    """Return the active account whose password matches, or None."""
    accounts = find_accounts(identifier)
    if not accounts:
        check_password_hash(_DUMMY_HASH, password)
        return None
    for account in accounts:
        if account.check_password(password) and account.is_active:
            return account
    return None


def home_endpoint(account) -> str:
    """Where an account lands after signing in."""
    return {
        "s": "admin.requests",
        "c": "professionals.index",
        "p": "inzage.dossier",
    }[account.kind]
