"""Flow 1: choose a register, request an employer account, see what happens next."""

import logging
import secrets

from flask import abort, redirect, render_template, session, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.models import Contact, ContactRole, Organisation, Register, db
from app.registration import bp
from app.registration.forms import RequestForm
from app.registration.services import request_employer_account

log = logging.getLogger(__name__)

#: Session key: nonces of forms that made a request -> that organisation's id.
DONE_KEY = "registration_done"
#: How many finished forms a session remembers.
DONE_KEEP = 5


@bp.route("/")
def choose_register():
    """Choose the register (beroepsgroep) to request an employer account for."""
    registers = db.session.scalars(select(Register).order_by(Register.name)).all()
    return render_template("registration/choose.html", registers=registers)


@bp.route("/<code>", methods=["GET", "POST"])
def request_form(code: str):
    """Request an employer account with one form; a repeated submission makes one."""
    register = db.session.scalar(
        select(Register).where(func.lower(Register.code) == code.lower())
    )
    if register is None:
        abort(404)
    form = RequestForm()
    done = session.get(DONE_KEY, {})

    if form.is_submitted() and form.nonce.data in done:
        return redirect(url_for("registration.received"))
    if form.validate_on_submit():
        organisation = _store(register, form)
        if organisation is not None:
            _remember_done(form.nonce.data, organisation.id)
            return redirect(url_for("registration.received"))

    if not form.nonce.data:
        form.nonce.data = secrets.token_urlsafe(16)
    return render_template("registration/request.html", form=form, register=register)


@bp.route("/ontvangen")
def received():
    """Say that the request arrived and what happens next."""
    organisation_id = session.get("registration_last")
    organisation = db.session.get(Organisation, organisation_id or 0)
    if organisation is None:
        return redirect(url_for("registration.choose_register"))
    contact = db.session.scalar(
        select(Contact).where(
            Contact.organisation_id == organisation.id,
            Contact.role == ContactRole.EERSTE,
        )
    )
    return render_template(
        "registration/received.html", organisation=organisation, contact=contact
    )


def _store(register: Register, form) -> Organisation | None:
    """Store the request; after a lost race, None with the errors on the form."""
    try:
        organisation = request_employer_account(register, form)
        db.session.commit()
        return organisation
    except IntegrityError:
        db.session.rollback()
    # The unique indexes refused a request that passed the form's checks: either
    # this same request, submitted twice at once, or another one that just won.
    organisation = _organisation_of(form)
    if organisation is None:
        log.info("request form lost a race on username or e-mail")
        form.validate()
        form.form_errors.append(
            "De aanvraag is niet opgeslagen, omdat tegelijk een andere aanvraag "
            "met dezelfde gegevens binnenkwam. Controleer de gegevens en verstuur "
            "het formulier opnieuw."
        )
    return organisation


def _organisation_of(form) -> Organisation | None:
    contact = db.session.scalar(
        select(Contact).where(
            func.lower(Contact.username) == form.username.data.lower(),
            Contact.email == form.email.data,
        )
    )
    return contact.organisation if contact else None


def _remember_done(nonce: str | None, organisation_id: int) -> None:
    done = dict(session.get(DONE_KEY, {}))
    if nonce:
        done[nonce] = organisation_id
    session[DONE_KEY] = dict(list(done.items())[-DONE_KEEP:])
    session["registration_last"] = organisation_id
