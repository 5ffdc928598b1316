"""Form pieces shared by more than one blueprint."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.validators import NETHERLANDS, Postcode, country_choices


class CountryField(SelectField):
    """A country from the list, refused in Dutch otherwise."""

    def pre_validate(self, form):
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError("Kies een land uit de lijst.")


class AddressForm(FlaskForm):
    """An organisation's address, with a Dutch postcode when the country is Nederland.

    Used by the account request and by the beheerders' organisation details, so
    both validate alike.
    """

    street = StringField(
        "Straatadres",
        validators=[DataRequired("Vul het straatadres in."), Length(max=200)],
    )
    postcode = StringField(
        "Postcode",
        validators=[DataRequired("Vul de postcode in."), Length(max=16), Postcode()],
    )
    city = StringField(
        "Plaats", validators=[DataRequired("Vul de plaats in."), Length(max=120)]
    )
    country = CountryField(
        "Land", default=NETHERLANDS, validators=[DataRequired("Kies het land.")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
