"""Error pages in Dutch."""

from flask import render_template
from flask_wtf.csrf import CSRFError

from app.models import db

MESSAGES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: (
        "Pagina niet gevonden",
        "Deze pagina bestaat niet of is niet (meer) beschikbaar.",
    ),
    405: ("Niet toegestaan", "Deze actie is op deze pagina niet mogelijk."),
    413: ("Bestand te groot", "Het verstuurde bestand is te groot."),
    429: (
        "Te veel pogingen",
        "Te veel pogingen in korte tijd. Probeer het over een minuut opnieuw.",
    ),
    500: (
        "Er ging iets mis",
        "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
    ),
}


#: Served when even the error template cannot be rendered; needs nothing.
BARE_ERROR_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
    "<title>{title}</title></head><body><h1>{title}</h1><p>{message}</p></body></html>"
)


def _render(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES[code]
    return (
        render_template(
            "errors/error.html",
            title=title or default_title,
            message=message or default_message,
        ),
        code,
    )


def init_app(app) -> None:
    for code in MESSAGES:
        if code == 500:
            continue
        app.register_error_handler(code, lambda e, code=code: _render(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400,
            "Formulier verlopen",
            "Het formulier was verlopen of onvolledig. Laad de pagina opnieuw en "
            "probeer het nog eens.",
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        try:
            return _render(500)
        except Exception:  # e.g. the database is down and base.html needs the user
            title, message = MESSAGES[500]
            return BARE_ERROR_PAGE.format(title=title, message=message), 500
