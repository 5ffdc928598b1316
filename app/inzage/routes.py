"""Mijn dossier and Inzage werkgever: the professional's own pages."""

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import professional_required
from app.clock import today
from app.dossier import load_dossier
from app.formatting import datum
from app.inzage import bp
from app.inzage.forms import (
    InzageForm,
    active_contacts,
    authorised_organisations,
    contact_label,
)
from app.inzage.services import grant_inzage, inzage_overview, revoke_inzage
from app.models import Inzage, db
from app.validators import parse_id


def _is_htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def _own_inzage_or_404(inzage_id: int) -> Inzage:
    inzage = db.session.scalars(
        select(Inzage).where(
            Inzage.id == inzage_id, Inzage.professional_id == current_user.id
        )
    ).first()
    if inzage is None:
        abort(404)
    return inzage


@bp.route("/dossier")
@professional_required
def dossier():
    """Show the professional's own PE dossier."""
    return render_template("inzage/dossier.html", dossier=load_dossier(current_user))


@bp.route("/inzage")
@professional_required
def index():
    """List the inzage the professional has given, and the history below it."""
    live, history = inzage_overview(current_user, today())

    if _is_htmx():
        return render_template(
            "inzage/_overview.html", live=live, history=history, today=today()
        )
    return render_template(
        "inzage/index.html", live=live, history=history, today=today()
    )


@bp.route("/inzage/toevoegen", methods=["GET", "POST"])
@professional_required
def add():
    """Give an employer contact inzage, or move the date of an existing one."""
    if request.method == "GET" and request.args:
        form = InzageForm(formdata=request.args)
    else:
        form = InzageForm()
    form.fill_choices()
    # Without JavaScript, "Zoeken" and "Kies werkgever" reload the form.
    reloading = "kies" in request.form or "zoek" in request.form

    if not reloading and form.validate_on_submit():
        inzage, outcome = grant_inzage(
            current_user, form.contact, form.valid_until.data, actor=current_user
        )
        flash(_outcome_message(inzage, outcome), "success")
        return redirect(url_for("inzage.index"))

    status = 422 if form.errors else 200
    return (
        render_template("inzage/add.html", form=form, today_iso=today().isoformat()),
        status,
    )


def _outcome_message(inzage: Inzage, outcome: str) -> str:
    who = f"{inzage.contact.name} ({inzage.contact.organisation.name})"
    until = (
        f"tot en met {datum(inzage.valid_until)}"
        if inzage.valid_until
        else "zonder einddatum"
    )
    if outcome == "granted":
        return f"{who} heeft nu inzage in uw dossier, {until}."
    if outcome == "changed":
        return f"De inzage van {who} is bijgewerkt: {until}."
    return f"{who} had al inzage {until}; er is niets veranderd."


@bp.route("/inzage/werkgevers")
@professional_required
def organisation_options():
    """Offer the authorised organisations matching the search text."""
    query = request.args.get("q", "")

    if not _is_htmx():
        return redirect(url_for("inzage.add", q=query))
    return render_template(
        "inzage/_organisation_options.html",
        organisations=authorised_organisations(query),
    )


@bp.route("/inzage/contacten")
@professional_required
def contact_options():
    """Offer the active contacts of the chosen organisation as "Name (Role)"."""
    organisation_id = request.args.get("organisation_id", type=parse_id)

    if not _is_htmx():
        return redirect(url_for("inzage.add", organisation_id=organisation_id))
    contacts = active_contacts(organisation_id)
    return render_template(
        "inzage/_contact_options.html",
        contacts=[(c.id, contact_label(c)) for c in contacts],
        chosen=organisation_id is not None,
    )


@bp.route("/inzage/<int:inzage_id>/intrekken", methods=["GET", "POST"])
@professional_required
def revoke(inzage_id: int):
    """Revoke an inzage after confirmation; the contact loses access at once."""
    inzage = _own_inzage_or_404(inzage_id)

    if request.method == "GET":
        return render_template("inzage/revoke.html", inzage=inzage)

    revoke_inzage(inzage, actor=current_user)
    message = f"De inzage van {inzage.contact.name} is ingetrokken."
    if _is_htmx():
        live, history = inzage_overview(current_user, today())
        return render_template(
            "inzage/_overview.html",
            live=live,
            history=history,
            today=today(),
            message=message,
        )
    flash(message, "success")
    return redirect(url_for("inzage.index"))
