"""Forms for the organisation details, adding a contact and handing over the 1e role."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)

from app.contacts.services import (
    DEPUTY_TAKEN,
    EMAIL_TAKEN,
    GIVEABLE_ROLES,
    USERNAME_TAKEN,
    email_taken,
    username_taken,
)
from app.forms import AddressForm
from app.models import ContactRole
from app.validators import Email, Username

#: The roles a beheerder can give; the 1e role only changes by hand-over.
ROLE_CHOICES = [SelectChoice(role, ContactRole.LABELS[role]) for role in GIVEABLE_ROLES]


class OrganisationForm(AddressForm):
    name = StringField(
        "Naam organisatie",
        validators=[
            DataRequired("Vul de naam van de organisatie in."),
            Length(max=200),
        ],
    )

    def values(self) -> dict:
        """The submitted details, trimmed, keyed by Organisation attribute."""
        return {
            "name": self.name.data.strip(),
            "street": self.street.data.strip(),
            "postcode": self.postcode.data,
            "city": self.city.data.strip(),
            "country": self.country.data,
        }


class AddContactForm(FlaskForm):
    name = StringField(
        "Naam", validators=[DataRequired("Vul de naam in."), Length(max=120)]
    )
    email = StringField(
        "E-mailadres",
        validators=[DataRequired("Vul het e-mailadres in."), Length(max=254), Email()],
    )
    email_repeat = StringField(
        "Herhaal e-mailadres",
        validators=[
            DataRequired("Herhaal het e-mailadres."),
            Email(),
            EqualTo("email", "De e-mailadressen zijn niet gelijk."),
        ],
    )
    username = StringField(
        "Gebruikersnaam",
        validators=[DataRequired("Kies een gebruikersnaam."), Username()],
    )
    role = RadioField(
        "Rol",
        choices=ROLE_CHOICES,
        default=ContactRole.MANAGER,
        validators=[InputRequired("Kies een rol.")],
    )

    def __init__(self, *args, deputy_taken: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        #: Another active plaatsvervanger exists: that choice is offered disabled.
        self.deputy_taken = deputy_taken

    def validate_email(self, field):
        if email_taken(field.data):
            raise ValidationError(EMAIL_TAKEN)

    def validate_username(self, field):
        if username_taken(field.data):
            raise ValidationError(USERNAME_TAKEN)

    def validate_role(self, field):
        if field.data == ContactRole.PLAATSVERVANGER and self.deputy_taken:
            raise ValidationError(DEPUTY_TAKEN)


class HandOverForm(FlaskForm):
    new_eerste = SelectField(
        "Nieuwe contactpersoon organisatie",
        coerce=int,
        validate_choice=False,
        validators=[InputRequired("Kies wie de contactpersoon organisatie wordt.")],
    )
    own_role = RadioField(
        "Uw rol daarna",
        choices=ROLE_CHOICES,
        default=ContactRole.MANAGER,
        validators=[InputRequired("Kies de rol die u daarna krijgt.")],
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.new_eerste.choices = [
            SelectChoice(contact.id, f"{contact.name} ({contact.role_label})")
            for contact in candidates
        ]

    def validate_new_eerste(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Kies een actief account van de organisatie.")
