"""Staff pages for professionals: search, (re)send the invitation, submitted dates."""

import logging

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import false, or_, select
from wtforms.validators import Optional, ValidationError

from app import audit
from app.admin import bp
from app.admin.importer import INTRO
from app.auth.access import staff_required
from app.auth.emails import send_set_password
from app.clock import today
from app.inzage.forms import DutchDateField
from app.models import Professional, RegistrationPeriod, db
from app.progress import progress_of
from app.search import contains

log = logging.getLogger(__name__)

#: The longest search text worth a query: an e-mail address.
MAX_SEARCH = 254


class SubmittedForm(FlaskForm):
    submitted_on = DutchDateField("Dossier ingediend op", validators=[Optional()])

    def validate_submitted_on(self, field):
        if field.data is not None and field.data > today():
            raise ValidationError(
                "De datum van indienen kan niet in de toekomst liggen."
            )


def _submitted_form(period: RegistrationPeriod, **kwargs) -> SubmittedForm:
    """One form per period on the page; the prefix keeps their fields apart."""
    return SubmittedForm(
        prefix=f"period{period.id}", submitted_on=period.dossier_submitted_on, **kwargs
    )


def send_invitation(professional: Professional, *, actor) -> None:
    """Mail the professional a link to set a password; commit."""
    send_set_password(professional, INTRO)
    audit.record("professional.invited", actor=actor, subject=professional)
    db.session.commit()
    log.info("invitation for professional %s sent by %s", professional.id, actor.id)


def mark_dossier_submitted(period: RegistrationPeriod, day, *, actor) -> None:
    """Record (or clear) the day the period's dossier was submitted; commit."""
    old = period.dossier_submitted_on
    period.dossier_submitted_on = day
    audit.record(
        "period.dossier_submitted",
        actor=actor,
        subject=period,
        professional_id=period.professional_id,
        old=old.isoformat() if old else None,
        new=day.isoformat() if day else None,
    )
    db.session.commit()
    log.info("period %s submitted date set by %s", period.id, actor.id)


def _search(query: str):
    statement = select(Professional).order_by(Professional.name, Professional.id)
    query = query.strip()
    if len(query) > MAX_SEARCH:
        # Longer than any name or address: nothing matches, and SQLite refuses
        # huge patterns.
        return statement.where(false())
    if query:
        statement = statement.where(
            or_(
                contains(Professional.name, query),
                contains(Professional.seu_nummer, query),
                contains(Professional.email, query),
            )
        )
    return statement


def _list_args() -> dict:
    """The list's filters, kept across a resend so that the user returns to them."""
    source = request.form if request.method == "POST" else request.args
    args = {"q": source.get("q", "").strip()}
    page = source.get("page", type=int)
    if page and page > 1:
        args["page"] = page
    return {k: v for k, v in args.items() if v}


@bp.route("/professionals")
@staff_required
def professionals():
    """Search professionals by name, SEU-nummer or e-mailadres."""
    query = request.args.get("q", "")
    pagination = db.paginate(
        _search(query), per_page=current_app.config["PER_PAGE"], error_out=False
    )
    context = {"pagination": pagination, "q": query.strip()}

    if request.headers.get("HX-Request"):
        return render_template("admin/_professional_list.html", **context)
    return render_template("admin/professionals.html", **context)


@bp.route("/professionals/<int:professional_id>")
@staff_required
def professional(professional_id: int):
    """Show a professional's account and periods, with the submitted dates."""
    professional = db.get_or_404(Professional, professional_id)
    return render_template(
        "admin/professional.html",
        professional=professional,
        progress_of=progress_of,
        forms={p.id: _submitted_form(p, formdata=None) for p in professional.periods},
    )


@bp.route("/professionals/<int:professional_id>/uitnodiging", methods=["POST"])
@staff_required
def invite_professional(professional_id: int):
    """(Re)send the set-password e-mail."""
    professional = db.get_or_404(Professional, professional_id)

    send_invitation(professional, actor=current_user)

    flash(
        f"De e-mail om een wachtwoord in te stellen is verstuurd naar "
        f"{professional.email}.",
        "success",
    )
    if request.form.get("from") == "detail":
        return redirect(url_for("admin.professional", professional_id=professional.id))
    return redirect(url_for("admin.professionals", **_list_args()))


@bp.route(
    "/professionals/<int:professional_id>/periodes/<int:period_id>/ingediend",
    methods=["POST"],
)
@staff_required
def mark_submitted(professional_id: int, period_id: int):
    """Mark the period's dossier as submitted on a date, or clear it."""
    period = db.session.get(RegistrationPeriod, period_id)
    if period is None or period.professional_id != professional_id:
        abort(404)
    form = _submitted_form(period)

    if form.validate_on_submit():
        mark_dossier_submitted(period, form.submitted_on.data, actor=current_user)
        flash("De datum van indienen is opgeslagen.", "success")
        return redirect(url_for("admin.professional", professional_id=professional_id))

    professional = period.professional
    forms = {p.id: _submitted_form(p, formdata=None) for p in professional.periods}
    forms[period.id] = form
    return (
        render_template(
            "admin/professional.html",
            professional=professional,
            progress_of=progress_of,
            forms=forms,
        ),
        422,
    )
