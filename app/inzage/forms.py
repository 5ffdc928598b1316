"""The form for giving an employer contact inzage."""

from flask_wtf import FlaskForm
from sqlalchemy import String, cast, select
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import Optional, ValidationError

from app.clock import today
from app.models import Contact, Organisation, OrganisationStatus, db
from app.search import contains
from app.validators import parse_id

#: Enough to choose from; the search box narrows a longer list.
MAX_ORGANISATIONS = 200
#: The longest search text worth a query: an organisation's name.
MAX_SEARCH = 200


def _int_or_none(value):
    return parse_id(value)


def authorised_organisations(query: str = "") -> list[Organisation]:
    """Authorised organisations whose name or werkgevernummer matches ``query``."""
    statement = select(Organisation).where(
        Organisation.status == OrganisationStatus.AUTHORISED
    )
    query = (query or "").strip()
    if len(query) > MAX_SEARCH:
        # Longer than any name: nothing matches, and SQLite refuses huge patterns.
        return []
    if query:
        statement = statement.where(
            contains(Organisation.name, query)
            | (cast(Organisation.werkgevernummer, String) == query)
        )
    statement = statement.order_by(Organisation.name).limit(MAX_ORGANISATIONS)
    return list(db.session.scalars(statement))


def active_contacts(organisation_id: int | None) -> list[Contact]:
    """Active contacts of an authorised organisation, by name."""
    if organisation_id is None:
        return []
    return list(
        db.session.scalars(
            select(Contact)
            .join(Organisation)
            .where(
                Contact.organisation_id == organisation_id,
                Contact.active.is_(True),
                Organisation.status == OrganisationStatus.AUTHORISED,
            )
            .order_by(Contact.name)
        )
    )


def contact_label(contact: Contact) -> str:
    return f"{contact.name} ({contact.role_label})"


class DutchDateField(DateField):
    """A date typed as dd-mm-jjjj or picked in the browser (jjjj-mm-dd)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d-%m-%Y"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Vul een geldige datum in, zoals 31-12-2026.") from exc


class InzageForm(FlaskForm):
    q = SearchField("Zoek werkgever", validators=[Optional()])
    organisation_id = SelectField(
        "Werkgever/Organisatie", coerce=_int_or_none, validate_choice=False
    )
    contact_id = SelectField(
        "Contactpersoon", coerce=_int_or_none, validate_choice=False
    )
    valid_until = DutchDateField("Geautoriseerd tot", validators=[Optional()])

    #: Set by validation: the organisation and contact the ids stand for.
    organisation = None
    contact = None

    def fill_choices(self) -> None:
        """Offer the matching organisations and the chosen one's contacts."""
        organisations = authorised_organisations(self.q.data)
        chosen = self.organisation_id.data
        if chosen and chosen not in {o.id for o in organisations}:
            extra = db.session.get(Organisation, chosen)
            if extra is not None and extra.is_authorised:
                organisations.insert(0, extra)
        self.organisation_id.choices = [("", "Kies een werkgever")] + [
            (o.id, o.name) for o in organisations
        ]
        contacts = active_contacts(chosen)
        placeholder = (
            "Kies een contactpersoon" if chosen else "Kies eerst een werkgever"
        )
        self.contact_id.choices = [("", placeholder)] + [
            (c.id, contact_label(c)) for c in contacts
        ]

    def validate_organisation_id(self, field):
        if field.data is None:
            raise ValidationError("Kies een werkgever.")
        organisation = db.session.get(Organisation, field.data)
        if organisation is None or not organisation.is_authorised:
            raise ValidationError(
                "Deze werkgever bestaat niet of is niet geautoriseerd. "
                "Kies een werkgever uit de lijst."
            )
        self.organisation = organisation

    def validate_contact_id(self, field):
        if field.data is None:
            raise ValidationError("Kies een contactpersoon.")
        contact = db.session.get(Contact, field.data)
        if contact is None:
            raise ValidationError(
                "Deze contactpersoon bestaat niet. "
                "Kies een contactpersoon uit de lijst."
            )
        if not contact.active:
            raise ValidationError(
                "Deze contactpersoon is niet actief en kan geen inzage krijgen."
            )
        if not contact.organisation.is_authorised:
            raise ValidationError(
                "De werkgever van deze contactpersoon is niet geautoriseerd; "
                "inzage geven kan alleen aan geautoriseerde werkgevers."
            )
        if contact.organisation_id != self.organisation_id.data:
            raise ValidationError(
                "Deze contactpersoon hoort niet bij de gekozen werkgever."
            )
        self.contact = contact

    def validate_valid_until(self, field):
        if field.data is not None and field.data < today():
            raise ValidationError(
                "De datum ligt in het verleden. Kies vandaag of een latere datum, "
                "of laat het veld leeg voor onbeperkte inzage."
            )
