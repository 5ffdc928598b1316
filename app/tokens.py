"""Signed, expiring, single-use links for setting and resetting a password."""

import hashlib

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.models import Contact, Professional, Staff, db

#: Purpose -> lifetime in seconds. Each purpose signs with its own salt, so a link
#: made for one purpose is worthless for another.
PURPOSES = {
    "set-password": 7 * 24 * 3600,
    "reset-password": 3600,
}
ACCOUNT_KINDS = {"c": Contact, "p": Professional, "s": Staff}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"pe-inzage.{purpose}"
    )


def _fingerprint(account) -> str:
    # Changes when the password is set (which also bumps the session version), so a
    # link works once.
    state = f"{account.password_hash or '-'}:{account.session_version}"
    return hashlib.sha256(state.encode()).hexdigest()[:20]


def make_token(account, purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    payload = [account.kind, account.id, _fingerprint(account)]
    return _serializer(purpose).dumps(payload)


def password_link(account, purpose: str) -> str:
    """Absolute link for an e-mail, built from BASE_URL and never from the request."""
    token = make_token(account, purpose)
    path = url_for("auth.set_password", purpose=purpose, token=token, _external=False)
    return current_app.config["BASE_URL"] + path


def load_token(token: str, purpose: str):
    """Return the account a valid, unused token belongs to, or None."""
    if purpose not in PURPOSES:
        return None
    try:
        kind, account_id, fingerprint = _serializer(purpose).loads(
            token, max_age=PURPOSES[purpose]
        )
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None
    model = ACCOUNT_KINDS.get(kind)
    if model is None or not isinstance(account_id, int):
        return None
    account = db.session.get(model, account_id)
    if account is None or not account.is_active:
        return None
    if _fingerprint(account) != fingerprint:
        return None
    return account


def login_page_url() -> str:
    return current_app.config["BASE_URL"] + url_for("auth.login")
