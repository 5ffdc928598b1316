"""Field rules shared by every form that asks for them, with Dutch messages."""

import re

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

#: The largest id a table holds (PostgreSQL INTEGER). A larger number names nothing,
#: and the databases refuse to even compare with it.
MAX_ID = 2**31 - 1
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")
DUTCH_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
NETHERLANDS = "Nederland"
#: Babel's region codes that are not countries (unknown region, EU, UN, test codes).
NOT_COUNTRIES = {"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"}


def normalise_email(value: str) -> str:
    """Return the address in canonical lower-case form, or raise ValidationError."""
    try:
        result = validate_email((value or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError("Vul een geldig e-mailadres in.") from exc
    return result.normalized.lower()


class Email:
    """WTForms validator: a syntactically valid e-mail address."""

    def __call__(self, form, field):
        if field.data:
            field.data = normalise_email(field.data)


class Username:
    """WTForms validator: 3-64 letters, digits, dots, hyphens or underscores."""

    message = (
        "Een gebruikersnaam heeft 3 tot 64 tekens: letters, cijfers, punt, "
        "streepje of liggend streepje, en begint met een letter of cijfer."
    )

    def __call__(self, form, field):
        field.data = (field.data or "").strip()
        if field.data and not USERNAME.match(field.data):
            raise ValidationError(self.message)


def normalise_postcode(value: str, country: str) -> str:
    """Return ``1234 AB`` for a Dutch postcode; other countries are kept as typed."""
    value = (value or "").strip()
    if country != NETHERLANDS:
        return value
    match = DUTCH_POSTCODE.match(value)
    if not match:
        raise ValidationError("Vul een Nederlandse postcode in, zoals 1234 AB.")
    return f"{match.group(1)} {match.group(2).upper()}"


class Postcode:
    """WTForms validator: Dutch format when the form's ``country`` is Nederland."""

    def __init__(self, country_field: str = "country"):
        self.country_field = country_field

    def __call__(self, form, field):
        if field.data:
            country = form[self.country_field].data
            field.data = normalise_postcode(field.data, country)


def country_choices() -> list[tuple[str, str]]:
    """Country names in Dutch, Nederland first, then alphabetical."""
    names = {
        name
        for code, name in Locale("nl").territories.items()
        if code.isalpha() and len(code) == 2 and code not in NOT_COUNTRIES
    }
    names.discard(NETHERLANDS)
    return [(NETHERLANDS, NETHERLANDS)] + [(n, n) for n in sorted(names)]


def parse_id(value) -> int | None:
    """An id from a form or query string, or None for anything that cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def parse_number(value, maximum: int) -> int | None:
    """A whole number from 1 to ``maximum`` typed in digits, or None; never raises,
    also not for the digits str.isdigit() accepts or thousands of them."""
    value = (value or "").strip()
    if not value.isdecimal() or len(value) > len(str(maximum)):
        return None
    number = int(value)
    return number if 0 < number <= maximum else None


class IdConverter(IntegerConverter):
    """The ``int`` URL converter, refusing numbers no table can hold (a 404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)
