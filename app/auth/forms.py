"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

MIN_PASSWORD_LENGTH = 10


class LoginForm(FlaskForm):
    identifier = StringField(
        "Gebruikersnaam, e-mailadres of SEU-nummer",
        validators=[DataRequired("Vul uw gebruikersnaam in."), Length(max=254)],
    )
    password = PasswordField(
        "Wachtwoord",
        validators=[DataRequired("Vul uw wachtwoord in."), Length(max=200)],
    )


class ForgotPasswordForm(FlaskForm):
    identifier = StringField(
        "Gebruikersnaam, e-mailadres of SEU-nummer",
        validators=[
            DataRequired("Vul uw gebruikersnaam of e-mailadres in."),
            Length(max=254),
        ],
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "Nieuw wachtwoord",
        validators=[
            DataRequired("Kies een wachtwoord."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.",
            ),
        ],
    )
    password_repeat = PasswordField(
        "Herhaal wachtwoord",
        validators=[
            DataRequired("Herhaal het wachtwoord."),
            EqualTo("password", "De wachtwoorden zijn niet gelijk."),
        ],
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(
        "Huidig wachtwoord", validators=[DataRequired("Vul uw huidige wachtwoord in.")]
    )
