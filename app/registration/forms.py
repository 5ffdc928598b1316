"""The employer account request form."""

from sqlalchemy import func, select
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.forms import AddressForm
from app.models import Contact, db
from app.validators import Email, Username

DECLARATION = (
    "Ik verklaar dat de werkgever zelf verantwoordelijk is voor het verkrijgen van "
    "toestemming van de medewerkers, en dat de gegevens alleen intern worden "
    "gebruikt om de permanente educatie van medewerkers te beheren."
)


class RequestForm(AddressForm):
    #: One per rendered form; a second submission of the same form makes nothing new.
    nonce = HiddenField()
    name = StringField(
        "Naam", validators=[DataRequired("Vul uw naam in."), Length(max=120)]
    )
    email = StringField(
        "E-mailadres",
        validators=[DataRequired("Vul uw e-mailadres in."), Length(max=254), Email()],
    )
    email_repeat = StringField(
        "Herhaal e-mailadres",
        validators=[
            DataRequired("Herhaal uw e-mailadres."),
            Email(),
            EqualTo("email", "De e-mailadressen zijn niet gelijk."),
        ],
    )
    username = StringField(
        "Gebruikersnaam",
        validators=[DataRequired("Kies een gebruikersnaam."), Username()],
    )
    organisation_name = StringField(
        "Naam organisatie",
        validators=[
            DataRequired("Vul de naam van de organisatie in."),
            Length(max=200),
        ],
    )
    declaration = BooleanField(
        DECLARATION,
        validators=[DataRequired("Ga akkoord met de verklaring om door te gaan.")],
    )

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
