"""The employer account request form."""

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.models import Contact, db
from app.validators import NETHERLANDS, Email, Postcode, Username, country_choices

DECLARATION = (
    "Ik verklaar dat de werkgever zelf verantwoordelijk is voor het verkrijgen van "
    "toestemming van de medewerkers, en dat de gegevens alleen intern worden "
    "gebruikt om de permanente educatie van medewerkers te beheren."
)


def _required(message: str) -> DataRequired:
    return DataRequired(message)


class CountryField(SelectField):
    """A country from the list, refused in Dutch otherwise."""

    def pre_validate(self, form):
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError("Kies een land uit de lijst.")


class RequestForm(FlaskForm):
    #: One per rendered form; a second submission of the same form makes nothing new.
    nonce = HiddenField()
    name = StringField(
        "Naam", validators=[_required("Vul uw naam in."), Length(max=120)]
    )
    email = StringField(
        "E-mailadres",
        validators=[_required("Vul uw e-mailadres in."), Length(max=254), Email()],
    )
    email_repeat = StringField(
        "Herhaal e-mailadres",
        validators=[
            _required("Herhaal uw e-mailadres."),
            Email(),
            EqualTo("email", "De e-mailadressen zijn niet gelijk."),
        ],
    )
    username = StringField(
        "Gebruikersnaam",
        validators=[_required("Kies een gebruikersnaam."), Username()],
    )
    organisation_name = StringField(
        "Naam organisatie",
        validators=[_required("Vul de naam van de organisatie in."), Length(max=200)],
    )
    street = StringField(
        "Straatadres",
        validators=[_required("Vul het straatadres in."), Length(max=200)],
    )
    postcode = StringField(
        "Postcode",
        validators=[_required("Vul de postcode in."), Length(max=16), Postcode()],
    )
    city = StringField(
        "Plaats", validators=[_required("Vul de plaats in."), Length(max=120)]
    )
    country = CountryField(
        "Land",
        default=NETHERLANDS,
        validators=[_required("Kies het land.")],
    )
    declaration = BooleanField(
        DECLARATION,
        validators=[_required("Ga akkoord met de verklaring om door te gaan.")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()

    def validate_username(self, field):
        taken = db.session.scalar(
            select(Contact.id).where(
                func.lower(Contact.username) == (field.data or "").lower()
            )
        )
        if taken:
            raise ValidationError(
                "Deze gebruikersnaam is al in gebruik. Kies een andere."
            )

    def validate_email(self, field):
        taken = db.session.scalar(select(Contact.id).where(Contact.email == field.data))
        if taken:
            raise ValidationError(
                "Dit e-mailadres hoort al bij een contactpersoon. Gebruik een ander "
                "adres, of vraag uw beheerder u toe te voegen."
            )
