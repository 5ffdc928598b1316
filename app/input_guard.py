"""Input no person types, refused before any view: it would otherwise end in a
server error deep inside the database driver."""

from flask import abort, request

from app.validators import IdConverter


def _contains_nul(values) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values.getlist(key))
        for key in values
    )


def _refuse_nul_characters():
    """Refuse input with NUL characters: no browser sends them, PostgreSQL cannot
    store or even compare them."""
    path_values = [str(v) for v in (request.view_args or {}).values()]
    if (
        _contains_nul(request.args)
        or _contains_nul(request.form)
        or any("\x00" in value for value in path_values)
    ):
        abort(400)


def init_app(app) -> None:
    """Call before the blueprints are registered: the converter applies to routes
    added after it."""
    # Ids in paths beyond what a table holds are a 404, like any unknown id.
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul_characters)
