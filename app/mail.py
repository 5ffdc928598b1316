"""Outgoing e-mail through an outbox table.

A message is written in the same transaction as the change that causes it and sent
over SMTP once that transaction has committed. A message that cannot be sent stays
in the outbox; ``flask mail send-pending`` retries it, so nothing is lost when the
mail server is down.
"""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, g, has_app_context, render_template
from flask_sqlalchemy.session import Session
from sqlalchemy import event, select

from app.models import OutboxMessage, db, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20


def queue(recipient: str, subject: str, template: str, **context) -> OutboxMessage:
    """Add a message rendered from ``mail/<template>.txt``; it is sent after commit."""
    body = render_template(f"mail/{template}.txt", **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body_text=body)
    db.session.add(message)
    db.session.info.setdefault("outbox_new", []).append(message)
    return message


def send_pending(ids: list[int] | None = None, limit: int = 200) -> tuple[int, int]:
    """Send waiting messages (only ``ids`` if given); return (sent, failed)."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None))
        .where(OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    messages = db.session.scalars(query).all()
    sent = failed = 0
    if not messages:
        db.session.commit()
        return sent, failed

    if current_app.config["MAIL_DEV_OUTBOX"]:
        for message in messages:
            message.sent_at = utcnow()
        db.session.commit()
        return len(messages), 0

    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as exc:
        for message in messages:
            _mark_failed(message, exc)
        db.session.commit()
        log.warning("mail server unreachable, %d messages wait", len(messages))
        return 0, len(messages)

    with smtp:
        for message in messages:
            try:
                smtp.send_message(_as_email(message))
            except (OSError, smtplib.SMTPException) as exc:
                _mark_failed(message, exc)
                failed += 1
            else:
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
    db.session.commit()
    return sent, failed


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    )
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def _as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    email.set_content(message.body_text)
    return email


def _mark_failed(message: OutboxMessage, exc: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:1000]


@event.listens_for(Session, "after_flush_postexec")
def _note_flushed_ids(session, flush_context):
    new = session.info.pop("outbox_new", None)
    if new:
        session.info.setdefault("outbox_ids", []).extend(m.id for m in new)


@event.listens_for(Session, "after_commit")
def _remember_committed(session):
    ids = session.info.pop("outbox_ids", None)
    if ids and has_app_context():
        g.setdefault("outbox_ids", []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop("outbox_new", None)
    session.info.pop("outbox_ids", None)


def _send_after_request(response):
    ids = g.pop("outbox_ids", None)
    if ids:
        try:
            send_pending(ids)
        except Exception:  # the messages stay in the outbox for the next run
            db.session.rollback()
            log.exception("sending %d messages after commit failed", len(ids))
    return response


def init_app(app) -> None:
    app.after_request(_send_after_request)
