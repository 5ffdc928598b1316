"""Organisation details and the contacts table, for beheerders and staff."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.auth.access import beheerder_or_staff_required
from app.contacts import bp, services
from app.contacts.access import get_contact_or_404, get_organisation_or_404
from app.contacts.forms import AddContactForm, HandOverForm, OrganisationForm
from app.contacts.services import ContactRuleError, active_with_role, refusal
from app.models import Contact, ContactRole, db

#: The "Actief" filter of the table: query value -> Contact.active, None is all.
ACTIVE_FILTERS = {"": None, "ja": True, "nee": False}


def _actor():
    return current_user._get_current_object()


def _htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def _deputy_taken(organisation) -> bool:
    return active_with_role(organisation.id, ContactRole.PLAATSVERVANGER) is not None


@bp.context_processor
def _row_helpers():
    def may(contact, action):
        return refusal(current_user, contact, action) is None

    return {"may": may, "ContactRole": ContactRole}


@bp.route("/<int:organisation_id>/", methods=["GET", "POST"])
@beheerder_or_staff_required
def organisation(organisation_id: int):
    """Show and edit the organisation's name and address."""
    organisation = get_organisation_or_404(organisation_id)
    form = OrganisationForm(obj=organisation)

    if form.validate_on_submit():
        changes = services.update_organisation(
            organisation, form.values(), actor=_actor()
        )
        db.session.commit()
        if changes:
            flash("De organisatiegegevens zijn opgeslagen.", "success")
        else:
            flash("Er was niets gewijzigd.", "info")
        return redirect(url_for(".organisation", organisation_id=organisation.id))

    return render_template(
        "contacts/organisation.html", organisation=organisation, form=form
    )


@bp.route("/<int:organisation_id>/beheerders")
@beheerder_or_staff_required
def index(organisation_id: int):
    """List the organisation's contacts with their roles, filtered on Actief."""
    organisation = get_organisation_or_404(organisation_id)
    active = request.args.get("actief", "")
    if active not in ACTIVE_FILTERS:
        active = ""

    query = (
        select(Contact)
        .where(Contact.organisation_id == organisation.id)
        .order_by(func.lower(Contact.name), Contact.id)
    )
    if ACTIVE_FILTERS[active] is not None:
        query = query.where(Contact.active.is_(ACTIVE_FILTERS[active]))
    contacts = db.paginate(
        query, per_page=current_app.config["PER_PAGE"], error_out=False
    )

    template = "contacts/_table.html" if _htmx() else "contacts/index.html"
    return render_template(
        template,
        organisation=organisation,
        contacts=contacts,
        active=active,
        deputy_taken=_deputy_taken(organisation),
    )


@bp.route("/<int:organisation_id>/beheerders/toevoegen", methods=["GET", "POST"])
@beheerder_or_staff_required
def add(organisation_id: int):
    """Add a contact account; it gets an e-mail to set its password."""
    organisation = get_organisation_or_404(organisation_id)
    form = AddContactForm(deputy_taken=_deputy_taken(organisation))

    if form.validate_on_submit():
        try:
            contact = services.add_contact(
                organisation,
                name=form.name.data,
                email=form.email.data,
                username=form.username.data,
                role=form.role.data,
                actor=_actor(),
            )
        except ContactRuleError as error:
            form[error.field].errors.append(error.message)
            form.deputy_taken = _deputy_taken(organisation)
        else:
            db.session.commit()
            message = (
                f"{contact.name} is toegevoegd en krijgt een e-mail om het "
                "wachtwoord in te stellen."
            )
            if _htmx():
                return render_template(
                    "contacts/_add_done.html",
                    organisation=organisation,
                    contact=contact,
                    message=message,
                    form=AddContactForm(
                        formdata=None, deputy_taken=_deputy_taken(organisation)
                    ),
                    deputy_taken=_deputy_taken(organisation),
                )
            flash(message, "success")
            return redirect(url_for(".index", organisation_id=organisation.id))

    template = "contacts/_add_form.html" if _htmx() else "contacts/add.html"
    return render_template(template, organisation=organisation, form=form)


@bp.route("/<int:organisation_id>/beheerders/<int:contact_id>/rol", methods=["POST"])
@beheerder_or_staff_required
def change_role(organisation_id: int, contact_id: int):
    """Make a contact plaatsvervanger or manager; a demotion is confirmed first."""
    organisation = get_organisation_or_404(organisation_id)
    contact = get_contact_or_404(organisation, contact_id)
    role = request.form.get("role")
    if role not in services.GIVEABLE_ROLES:
        abort(400)

    demotion = contact.role == ContactRole.PLAATSVERVANGER
    if demotion and not _confirmed():
        return _confirmation(
            organisation,
            contact,
            endpoint=".change_role",
            fields={"role": role},
            question=(
                f"{contact.name} wordt {ContactRole.LABELS[role]} en kan daarna geen "
                "accounts en organisatiegegevens meer beheren en de rapportage niet "
                "meer zien."
            ),
            button="Rol wijzigen",
        )
    return _act(
        organisation,
        contact,
        lambda: services.change_role(contact, role, actor=_actor()),
        f"{contact.name} is nu {ContactRole.LABELS[role]}.",
    )


@bp.route(
    "/<int:organisation_id>/beheerders/<int:contact_id>/deactiveren",
    methods=["POST"],
)
@beheerder_or_staff_required
def deactivate(organisation_id: int, contact_id: int):
    """Set a contact inactive after confirmation; its sessions end at once."""
    organisation = get_organisation_or_404(organisation_id)
    contact = get_contact_or_404(organisation, contact_id)

    if not _confirmed():
        return _confirmation(
            organisation,
            contact,
            endpoint=".deactivate",
            fields={},
            question=(
                f"{contact.name} kan daarna niet meer inloggen, wordt meteen "
                "uitgelogd en ziet geen dossiers meer. Gegeven inzage telt weer "
                "zodra het account weer actief is."
            ),
            button="Op inactief zetten",
        )
    return _act(
        organisation,
        contact,
        lambda: services.deactivate_contact(contact, actor=_actor()),
        f"{contact.name} is niet meer actief.",
    )


@bp.route(
    "/<int:organisation_id>/beheerders/<int:contact_id>/activeren", methods=["POST"]
)
@beheerder_or_staff_required
def activate(organisation_id: int, contact_id: int):
    """Set a contact active again."""
    organisation = get_organisation_or_404(organisation_id)
    contact = get_contact_or_404(organisation, contact_id)

    return _act(
        organisation,
        contact,
        lambda: services.activate_contact(contact, actor=_actor()),
        f"{contact.name} is weer actief.",
    )


@bp.route(
    "/<int:organisation_id>/beheerders/<int:contact_id>/wachtwoordmail",
    methods=["POST"],
)
@beheerder_or_staff_required
def resend(organisation_id: int, contact_id: int):
    """Send a contact the set-password e-mail again."""
    organisation = get_organisation_or_404(organisation_id)
    contact = get_contact_or_404(organisation, contact_id)

    return _act(
        organisation,
        contact,
        lambda: services.resend_set_password(contact, actor=_actor()),
        f"Er is een e-mail gestuurd naar {contact.email}.",
    )


@bp.route("/<int:organisation_id>/beheerders/overdragen", methods=["GET", "POST"])
@beheerder_or_staff_required
def hand_over(organisation_id: int):
    """Hand the 1e role to another active contact; the current 1e takes another."""
    organisation = get_organisation_or_404(organisation_id)
    actor = _actor()
    if actor.kind == "c" and actor.role != ContactRole.EERSTE:
        abort(404)
    previous = active_with_role(organisation.id, ContactRole.EERSTE)
    candidates = [
        contact
        for contact in db.session.scalars(
            select(Contact)
            .where(Contact.organisation_id == organisation.id, Contact.active)
            .order_by(func.lower(Contact.name), Contact.id)
        )
        if previous is None or contact.id != previous.id
    ]
    form = HandOverForm(candidates=candidates)

    if previous is not None and form.validate_on_submit():
        new_eerste = next(c for c in candidates if c.id == form.new_eerste.data)
        name = new_eerste.name
        try:
            services.hand_over_eerste(
                organisation, new_eerste, form.own_role.data, actor=actor
            )
        except ContactRuleError as error:
            form[error.field or "new_eerste"].errors.append(error.message)
        else:
            db.session.commit()
            flash(f"{name} is nu contactpersoon organisatie.", "success")
            if actor.kind == "c" and not actor.is_beheerder:
                return redirect(url_for("professionals.index"))
            return redirect(url_for(".index", organisation_id=organisation.id))

    return render_template(
        "contacts/hand_over.html",
        organisation=organisation,
        previous=previous,
        candidates=candidates,
        form=form,
    )


def _confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def _confirmation(organisation, contact, *, endpoint, fields, question, button):
    # Reached without JavaScript: htmx asks with hx-confirm and sends confirmed=1.
    return render_template(
        "contacts/confirm.html",
        organisation=organisation,
        contact=contact,
        action=url_for(
            endpoint, organisation_id=organisation.id, contact_id=contact.id
        ),
        fields=fields,
        question=question,
        button=button,
    )


def _act(organisation, contact, change, done: str):
    """Run ``change``; answer with the row (htmx) or back to the table."""
    try:
        change()
    except ContactRuleError as error:
        return _respond(organisation, contact, error=error.message)
    db.session.commit()
    return _respond(organisation, contact, notice=done)


def _respond(organisation, contact, *, error=None, notice=None):
    if _htmx():
        return render_template(
            "contacts/_row.html",
            organisation=organisation,
            contact=contact,
            deputy_taken=_deputy_taken(organisation),
            error=error,
            notice=notice,
        )
    flash(error or notice, "error" if error else "success")
    return redirect(url_for(".index", organisation_id=organisation.id))
