"""Response headers that every answer carries."""

from flask import abort, current_app, request


def _content_security_policy() -> str:
    script_src = "'self'"
    cdn = current_app.config.get("HTMX_CDN_URL")
    if cdn:
        script_src += " " + cdn
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


def _set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Pages and files with personal data must not linger in caches or history.
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response


def _contains_nul(values) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values.getlist(key))
        for key in values
    )


def _refuse_nul_characters():
    """Refuse input with NUL characters: no browser sends them, PostgreSQL cannot
    store or even compare them, and they would otherwise end in a server error."""
    path_values = [str(v) for v in (request.view_args or {}).values()]
    if (
        _contains_nul(request.args)
        or _contains_nul(request.form)
        or any("\x00" in value for value in path_values)
    ):
        abort(400)


def init_app(app) -> None:
    app.before_request(_refuse_nul_characters)
    app.after_request(_set_headers)
