"""Flow 2: register staff authorise, reject, suspend and reinstate employers."""

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
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.admin import bp, services
from app.admin.forms import DecisionForm, ReasonForm
from app.auth.access import staff_required
from app.models import Organisation, OrganisationStatus, db

#: The filter of the requests page: open requests, or every decision too.
REQUEST_VIEWS = {"open": "Open aanvragen", "alle": "Alle aanvragen"}


def _is_htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def _with_contacts(query):
    return query.options(selectinload(Organisation.contacts))


@bp.route("/aanvragen")
@staff_required
def requests():
    """List employer account requests, newest first."""
    view = request.args.get("toon", "open")
    if view not in REQUEST_VIEWS:
        view = "open"
    query = _with_contacts(select(Organisation)).order_by(
        Organisation.requested_at.desc(), Organisation.id.desc()
    )
    if view == "open":
        query = query.where(Organisation.status == OrganisationStatus.REQUESTED)
    page = db.paginate(query, per_page=_per_page(), error_out=False)
    return render_template(
        "admin/requests.html", page=page, view=view, views=REQUEST_VIEWS, forms={}
    )


@bp.post("/aanvragen/<int:organisation_id>/autoriseren")
@staff_required
def authorise(organisation_id: int):
    """Authorise a request; the 1e contactpersoon gets an e-mail."""
    return _decide(organisation_id, services.authorise, DecisionForm(), "request")


@bp.post("/aanvragen/<int:organisation_id>/afwijzen")
@staff_required
def reject(organisation_id: int):
    """Reject a request with a reason; the reason is mailed."""
    return _decide(organisation_id, services.reject, ReasonForm(), "request")


@bp.route("/werkgevers")
@staff_required
def organisations():
    """List all employer organisations, filtered on status, a page at a time."""
    status = request.args.get("status", "")
    if status not in OrganisationStatus.ALL:
        status = ""
    query = _with_contacts(select(Organisation)).order_by(Organisation.name)
    if status:
        query = query.where(Organisation.status == status)
    page = db.paginate(query, per_page=_per_page(), error_out=False)
    return render_template(
        "admin/organisations.html",
        page=page,
        status=status,
        statuses=OrganisationStatus.LABELS,
    )


@bp.route("/werkgevers/<int:organisation_id>/schorsen", methods=["GET", "POST"])
@staff_required
def suspend(organisation_id: int):
    """Ask for a reason and confirmation, then suspend an authorised organisation."""
    organisation = db.get_or_404(Organisation, organisation_id)
    form = ReasonForm()

    if form.validate_on_submit():
        return _decide(organisation_id, services.suspend, form, "organisation")

    return render_template("admin/suspend.html", organisation=organisation, form=form)


@bp.post("/werkgevers/<int:organisation_id>/heropenen")
@staff_required
def reinstate(organisation_id: int):
    """Lift the suspension of an organisation."""
    return _decide(organisation_id, services.reinstate, DecisionForm(), "organisation")


def _decide(organisation_id: int, action, form, row_kind: str):
    """Apply a staff decision; answer with the updated row, or redirect back."""
    organisation = services.get_for_update(organisation_id)
    if organisation is None:
        abort(404)
    staff = current_user._get_current_object()
    back = url_for("admin.requests" if row_kind == "request" else "admin.organisations")

    if not form.validate_on_submit():
        return _answer_invalid(organisation, form, row_kind)
    try:
        if isinstance(form, ReasonForm):
            action(organisation, form.reason.data.strip(), actor=staff)
        else:
            action(organisation, actor=staff)
        db.session.commit()
    except services.StatusConflict:
        db.session.rollback()
        message = (
            f"{organisation.name} is inmiddels {organisation.status_label.lower()}; "
            "er is niets gewijzigd."
        )
        return _answer(organisation, row_kind, back, message, "error")

    message = f"{organisation.name}: {organisation.status_label.lower()}."
    return _answer(organisation, row_kind, back, message, "success")


def _answer(organisation, row_kind: str, back: str, message: str, category: str):
    if _is_htmx():
        return render_template(
            _row_template(row_kind),
            organisation=organisation,
            form=None,
            message=message,
            message_category=category,
        )
    flash(message, category)
    return redirect(back)


def _answer_invalid(organisation, form, row_kind: str):
    if _is_htmx():
        return render_template(
            _row_template(row_kind), organisation=organisation, form=form
        )
    # Without JavaScript: a page of its own for this organisation, with the error.
    template = (
        "admin/suspend.html" if row_kind == "organisation" else "admin/reject.html"
    )
    return render_template(template, organisation=organisation, form=form)


def _row_template(row_kind: str) -> str:
    if row_kind == "request":
        return "admin/_request_row.html"
    return "admin/_organisation_row.html"


def _per_page() -> int:
    return current_app.config["PER_PAGE"]
