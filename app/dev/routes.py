import re

from flask import render_template
from markupsafe import Markup, escape
from sqlalchemy import select

from app.dev import bp
from app.models import OutboxMessage, db

URL = re.compile(r"https?://[^\s<>]+")


def linkify(text: str) -> Markup:
    """Escape a plain-text body and make its links clickable."""
    escaped = str(escape(text))
    return Markup(
        URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    )


@bp.route("/mail")
def mail():
    """List the newest messages in the outbox with clickable links."""
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)
    ).all()
    return render_template("dev/mail.html", messages=messages, linkify=linkify)
