"""Forms of register staff's decisions on employer organisations."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class DecisionForm(FlaskForm):
    """Authorise or reinstate: nothing to fill in but the CSRF token."""


class ReasonForm(FlaskForm):
    """Reject or suspend: the reason is required and goes to the 1e contactpersoon."""

    reason = TextAreaField(
        "Reden",
        validators=[
            DataRequired("Vul de reden in; die gaat naar de contactpersoon."),
            Length(max=2000, message="Houd de reden onder 2000 tekens."),
        ],
    )
