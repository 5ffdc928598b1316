"""Change an organisation's details and its contact accounts, keeping the role rules.

Each function records an audit event in the caller's transaction and flushes, so that
the partial unique indexes (one active 1e and one active plaatsvervanger per
organisation) answer inside the call; the caller commits. A broken rule raises
ContactRuleError with a Dutch message for the form or the table row, after rolling
the transaction back.
"""

import logging

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit, mail
from app.auth.emails import send_set_password
from app.models import Contact, ContactRole, db

log = logging.getLogger(__name__)

ORGANISATION_FIELDS = ("name", "street", "postcode", "city", "country")
GIVEABLE_ROLES = (ContactRole.PLAATSVERVANGER, ContactRole.MANAGER)

EMAIL_TAKEN = "Dit e-mailadres hoort al bij een contactpersoon. Kies een ander adres."
USERNAME_TAKEN = "Deze gebruikersnaam is al in gebruik. Kies een andere."
DEPUTY_TAKEN = (
    "Er is al een actieve plaatsvervangend contactpersoon. Er kan er maar één zijn: "
    "kies Vestiging / Manager, of maak de huidige plaatsvervanger eerst manager."
)
EERSTE_TAKEN = "Er is al een actieve contactpersoon organisatie."
OWN_ACCOUNT = "Uw eigen account wijzigt u hier niet."
NOT_THE_EERSTE = (
    "De contactpersoon organisatie kan alleen door zichzelf of door het register "
    "worden gewijzigd."
)
EERSTE_BY_HAND_OVER = (
    "De contactpersoon organisatie blijft actief en houdt die rol tot hij of zij de "
    "rol overdraagt aan een ander."
)
INACTIVE = "Dit account is niet actief. Activeer het eerst."
CHANGED_MEANWHILE = (
    "Dit account is intussen door iemand anders gewijzigd. Bekijk de lijst opnieuw."
)


class ContactRuleError(Exception):
    """A change that the role rules forbid; ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def email_taken(email: str) -> bool:
    """Tell whether a contact already uses the (normalised) e-mail address."""
    found = db.session.scalar(select(Contact.id).where(Contact.email == email))
    return found is not None


def username_taken(username: str) -> bool:
    """Tell whether a contact already uses the username, in any letter case."""
    key = (username or "").lower()
    found = db.session.scalar(
        select(Contact.id).where(func.lower(Contact.username) == key)
    )
    return found is not None


def active_with_role(
    organisation_id: int, role: str, excluding: int | None = None
) -> Contact | None:
    """The active contact with ``role`` (eerste or plaatsvervanger), if any."""
    query = select(Contact).where(
        Contact.organisation_id == organisation_id,
        Contact.role == role,
        Contact.active.is_(True),
    )
    if excluding is not None:
        query = query.where(Contact.id != excluding)
    return db.session.scalars(query).first()


def refusal(actor, contact: Contact, action: str) -> str | None:
    """Why ``actor`` may not do ``action`` (role, deactivate, activate, resend) to
    ``contact``, or None when allowed."""
    if actor.kind == "c" and actor.id == contact.id:
        return OWN_ACCOUNT
    if contact.role == ContactRole.EERSTE:
        if actor.kind != "s":
            return NOT_THE_EERSTE
        if action in ("role", "deactivate") and contact.active:
            return EERSTE_BY_HAND_OVER
    if action == "resend" and not contact.active:
        return INACTIVE
    return None


def _check(actor, contact: Contact, action: str) -> None:
    reason = refusal(actor, contact, action)
    if reason is not None:
        raise ContactRuleError(reason)


def _update_if(contact: Contact, *conditions, conflict: str, **values) -> None:
    # A conditional UPDATE instead of an attribute change: when another request
    # changed the row in the meantime (say, made it the 1e), nothing happens here.
    try:
        result = db.session.execute(
            update(Contact)
            .where(Contact.id == contact.id, *conditions)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    except IntegrityError as exc:
        db.session.rollback()
        raise ContactRuleError(conflict) from exc
    if result.rowcount != 1:
        db.session.rollback()
        raise ContactRuleError(CHANGED_MEANWHILE)
    db.session.refresh(contact)


def _conflict_for(role: str) -> str:
    return EERSTE_TAKEN if role == ContactRole.EERSTE else DEPUTY_TAKEN


def update_organisation(organisation, values: dict, *, actor) -> dict:
    """Change the organisation's details; return and record the old and new values."""
    changes = {
        name: [getattr(organisation, name), values[name]]
        for name in ORGANISATION_FIELDS
        if getattr(organisation, name) != values[name]
    }
    if not changes:
        return changes

    for name, (_, new) in changes.items():
        setattr(organisation, name, new)
    audit.record(
        "organisation.updated",
        actor=actor,
        subject=organisation,
        organisation_id=organisation.id,
        changes=changes,
    )
    log.info("organisation %s updated by %s:%s", organisation.id, actor.kind, actor.id)
    return changes


def add_contact(organisation, *, name, email, username, role, actor) -> Contact:
    """Create an active contact and queue the e-mail with a set-password link."""
    if role not in GIVEABLE_ROLES:
        raise ValueError(f"role {role!r} cannot be given")
    organisation_id, organisation_name = organisation.id, organisation.name
    contact = Contact(
        organisation_id=organisation_id,
        name=name.strip(),
        email=email,
        username=username,
        role=role,
        active=True,
    )
    db.session.add(contact)

    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise _explain_conflict(email, username) from exc

    send_set_password(
        contact,
        f"Er is bij PE-inzage een account voor u aangemaakt als "
        f"{ContactRole.LABELS[role]} van {organisation_name}.",
    )
    audit.record(
        "contact.added",
        actor=actor,
        subject=contact,
        organisation_id=organisation_id,
        role=role,
    )
    log.info("contact %s added by %s:%s", contact.id, actor.kind, actor.id)
    return contact


def _explain_conflict(email: str, username: str) -> ContactRuleError:
    # Only the rows that won tell which unique index refused us; look them up.
    if email_taken(email):
        return ContactRuleError(EMAIL_TAKEN, "email")
    if username_taken(username):
        return ContactRuleError(USERNAME_TAKEN, "username")
    return ContactRuleError(DEPUTY_TAKEN, "role")


def change_role(contact: Contact, role: str, *, actor) -> None:
    """Make a contact plaatsvervanger or manager."""
    if role not in GIVEABLE_ROLES:
        raise ValueError(f"role {role!r} cannot be given")
    _check(actor, contact, "role")
    old_role = contact.role
    if role == old_role:
        return

    _update_if(contact, Contact.role == old_role, conflict=DEPUTY_TAKEN, role=role)
    audit.record(
        "contact.role_changed",
        actor=actor,
        subject=contact,
        organisation_id=contact.organisation_id,
        old=old_role,
        new=role,
    )
    log.info("contact %s role changed by %s:%s", contact.id, actor.kind, actor.id)


def deactivate_contact(contact: Contact, *, actor) -> None:
    """Set a contact inactive and end its sessions at once."""
    _check(actor, contact, "deactivate")
    if not contact.active:
        return

    _update_if(
        contact,
        Contact.active.is_(True),
        Contact.role != ContactRole.EERSTE,
        conflict=CHANGED_MEANWHILE,
        active=False,
    )
    contact.end_sessions()
    audit.record(
        "contact.deactivated",
        actor=actor,
        subject=contact,
        organisation_id=contact.organisation_id,
    )
    db.session.flush()
    log.info("contact %s deactivated by %s:%s", contact.id, actor.kind, actor.id)


def activate_contact(contact: Contact, *, actor) -> None:
    """Set a contact active again; inzage still valid by date counts again."""
    _check(actor, contact, "activate")
    if contact.active:
        return

    _update_if(
        contact,
        Contact.active.is_(False),
        conflict=_conflict_for(contact.role),
        active=True,
    )
    audit.record(
        "contact.activated",
        actor=actor,
        subject=contact,
        organisation_id=contact.organisation_id,
    )
    log.info("contact %s activated by %s:%s", contact.id, actor.kind, actor.id)


def resend_set_password(contact: Contact, *, actor) -> None:
    """Queue a new set-password e-mail for an active contact."""
    _check(actor, contact, "resend")

    send_set_password(
        contact,
        f"Hierbij ontvangt u een link om uw wachtwoord voor PE-inzage in te stellen, "
        f"voor uw account bij {contact.organisation.name}.",
    )
    audit.record(
        "contact.set_password_sent",
        actor=actor,
        subject=contact,
        organisation_id=contact.organisation_id,
    )
    log.info(
        "set-password mail for contact %s by %s:%s", contact.id, actor.kind, actor.id
    )


def hand_over_eerste(organisation, new_eerste: Contact, own_role: str, *, actor):
    """Make ``new_eerste`` the 1e contactpersoon and give the current one
    ``own_role``, in one transaction; return the previous 1e."""
    if own_role not in GIVEABLE_ROLES:
        raise ValueError(f"role {own_role!r} cannot be given")
    previous = active_with_role(organisation.id, ContactRole.EERSTE)
    if previous is None:
        raise ContactRuleError(CHANGED_MEANWHILE)
    if actor.kind == "c" and actor.id != previous.id:
        raise ContactRuleError(NOT_THE_EERSTE)
    if (
        new_eerste.id == previous.id
        or new_eerste.organisation_id != organisation.id
        or not new_eerste.active
    ):
        raise ContactRuleError(
            "Kies een ander actief account van de organisatie.", "new_eerste"
        )
    if own_role == ContactRole.PLAATSVERVANGER and active_with_role(
        organisation.id, ContactRole.PLAATSVERVANGER, excluding=new_eerste.id
    ):
        raise ContactRuleError(DEPUTY_TAKEN, "own_role")
    new_old_role = new_eerste.role

    # The indexes allow at most one active 1e and one active plaatsvervanger at every
    # statement: the 1e steps down to manager first, then the new one steps up, and
    # only then does the previous 1e take the deputy place the new one may have left.
    _update_if(
        previous,
        Contact.role == ContactRole.EERSTE,
        Contact.active.is_(True),
        conflict=CHANGED_MEANWHILE,
        role=ContactRole.MANAGER,
    )
    _update_if(
        new_eerste,
        Contact.role == new_old_role,
        Contact.active.is_(True),
        conflict=CHANGED_MEANWHILE,
        role=ContactRole.EERSTE,
    )
    if own_role == ContactRole.PLAATSVERVANGER:
        _update_if(
            previous,
            Contact.role == ContactRole.MANAGER,
            conflict=DEPUTY_TAKEN,
            role=ContactRole.PLAATSVERVANGER,
        )

    audit.record(
        "contact.eerste_handed_over",
        actor=actor,
        subject=new_eerste,
        organisation_id=organisation.id,
        previous_eerste_id=previous.id,
        previous_eerste_role=own_role,
        new_eerste_old_role=new_old_role,
    )
    mail.queue(
        new_eerste.email,
        "U bent nu contactpersoon organisatie in PE-inzage",
        "eerste_handed_over",
        contact=new_eerste,
        previous=previous,
        organisation=organisation,
    )
    log.info(
        "1e role of organisation %s handed from contact %s to %s by %s:%s",
        organisation.id,
        previous.id,
        new_eerste.id,
        actor.kind,
        actor.id,
    )
    return previous
