"""Store an employer account request: the organisation and its 1e contactpersoon."""

import logging

from sqlalchemy import func, select

from app import audit
from app.auth.emails import send_set_password
from app.models import Contact, ContactRole, Organisation, Register, db

log = logging.getLogger(__name__)

#: Werkgevernummers start above this, so that they never look like small ids.
WERKGEVERNUMMER_BASE = 1000


def request_employer_account(register: Register, form) -> Organisation:
    """Store the organisation as requested, its requester as 1e contactpersoon
    without a password, and queue the set-password e-mail; the caller commits."""
    organisation = Organisation(
        register_id=register.id,
        name=form.organisation_name.data.strip(),
        street=form.street.data.strip(),
        postcode=form.postcode.data,
        city=form.city.data.strip(),
        country=form.country.data,
    )
    db.session.add(organisation)
    db.session.flush()
    organisation.werkgevernummer = _next_werkgevernummer(organisation.id)

    contact = Contact(
        organisation_id=organisation.id,
        name=form.name.data.strip(),
        email=form.email.data,
        username=form.username.data,
        role=ContactRole.EERSTE,
        active=True,
    )
    db.session.add(contact)
    db.session.flush()

    send_set_password(
        contact,
        f"U heeft bij {register.name} een werkgeversaccount aangevraagd voor "
        f"{organisation.name} (werkgevernummer {organisation.werkgevernummer}). "
        "U bent de contactpersoon van de organisatie. Het register beoordeelt de "
        "aanvraag; u krijgt een e-mail zodra het account is geautoriseerd. U kunt "
        "uw wachtwoord nu al instellen.",
    )
    audit.record(
        "organisation.requested",
        actor=contact,
        subject=organisation,
        organisation_id=organisation.id,
        register_id=register.id,
    )
    log.info("organisation %s requested by contact %s", organisation.id, contact.id)
    return organisation


def _next_werkgevernummer(organisation_id: int) -> int:
    # Derived from the id, so concurrent requests get different numbers; numbers
    # given out otherwise (demo data, imports) are stepped over.
    highest = db.session.scalar(select(func.max(Organisation.werkgevernummer)))
    return max(WERKGEVERNUMMER_BASE + organisation_id, (highest or 0) + 1)
