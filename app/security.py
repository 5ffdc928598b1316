"""Response headers that every answer carries, and trust in a reverse proxy."""

from flask import current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

#: Pages and files with personal data; everything but static assets.
NO_STORE = "no-store"


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
            "connect-src 'self'",
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
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # Only over HTTPS: a plain-HTTP answer cannot be trusted to set it, and
    # X-Forwarded-Proto counts only when PROXY_FIX says a proxy is in front.
    if request.is_secure:
        headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    # Pages and files with personal data must not linger in caches or history.
    if request.endpoint != "static":
        headers["Cache-Control"] = NO_STORE
        headers.pop("Expires", None)
    response.vary.add("HX-Request")
    return response


def init_app(app) -> None:
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops:
        # Trust X-Forwarded-For and -Proto from exactly this many proxies: the real
        # client address for rate limits, https for HSTS and secure cookies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.after_request(_set_headers)
