"""Response headers that every answer carries."""

from flask import current_app, request


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


def init_app(app) -> None:
    app.after_request(_set_headers)
