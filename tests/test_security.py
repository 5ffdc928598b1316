"""Security headers, CSRF, GET without side effects, redirects and production config.

Most tests use the shared ``app`` (CSRF off, as in every other test file); the CSRF
tests use a second app on the same database with CSRF on, as in a real run.
"""

import hashlib
import itertools
import json
import re
import secrets
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.routing import AnyConverter, IntegerConverter

from app import create_app
from app.config import DEV_SECRET_KEY
from app.models import ContactRole, OrganisationStatus, db
from tests.conftest import PASSWORD, app_config

# --- helpers ----------------------------------------------------------------------


def _app_config(database_url, smtp_server, tmp_path_factory, **overrides) -> dict:
    return app_config(
        database_url, smtp_server, tmp_path_factory.mktemp("reports"), **overrides
    )


@pytest.fixture(scope="module")
def make_app(database_url, smtp_server, tmp_path_factory):
    """Build extra app instances on the test database; dispose them afterwards."""
    made = []

    def build(**overrides):
        extra = create_app(
            _app_config(database_url, smtp_server, tmp_path_factory, **overrides)
        )
        made.append(extra)
        return extra

    yield build
    for extra in made:
        with extra.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert match, f"no csrf-token meta on {path}"
    return match.group(1)


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response) -> None:
    csp = csp_directives(response)
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src, "no script-src"
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # plain http here
    assert "HX-Request" in response.headers.get("Vary", "")


class _InlineCode(HTMLParser):
    """Collect what the CSP would block: inline scripts, handlers, style= attributes."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False
        self.htmx_config = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on") or name == "style" or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=...>")
            if value and value.strip().lower().startswith(("javascript:", "js:")):
                self.found.append(f"<{tag} {name}={value[:30]}>")
        if tag == "script":
            self._in_script = "src" not in attrs
        if tag == "meta" and attrs.get("name") == "htmx-config":
            self.htmx_config = json.loads(attrs["content"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script {data.strip()[:30]!r}")


def inline_code(html: str) -> _InlineCode:
    parser = _InlineCode()
    parser.feed(html)
    return parser


# --- a small world with every kind of account -------------------------------------


@pytest.fixture
def world(factory):
    """One organisation with each role, a pending one, a professional, and staff."""
    organisation = factory.organisation()
    eerste = factory.contact(organisation, role=ContactRole.EERSTE)
    tweede = factory.contact(organisation, role=ContactRole.PLAATSVERVANGER)
    manager = factory.contact(organisation, role=ContactRole.MANAGER)
    pending = factory.contact(
        factory.organisation(status=OrganisationStatus.REQUESTED),
        role=ContactRole.EERSTE,
    )
    professional = factory.professional()
    period = factory.period(professional)
    activity = factory.activity(professional)
    inzage = factory.inzage(professional, manager, date.today() + timedelta(days=30))
    factory.inzage(professional, eerste)
    staff = factory.staff()
    accounts = {
        "staff": staff,
        "eerste": eerste,
        "tweede": tweede,
        "manager": manager,
        "pending": pending,
        "professional": professional,
    }
    objects = [organisation, eerste, professional, period, activity, inzage, staff]
    return accounts, sorted({obj.id for obj in objects})


def _signed_in(app, login, account):
    client = app.test_client()
    if account is not None:
        login(account, test_client=client)
    return client


def database_fingerprint(app) -> str:
    """A hash of every row of every table except the audit log (opening a dossier,
    or being refused one, is recorded there on purpose)."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name == "audit_event":
                continue
            rows = db.session.execute(
                sa.select(table).order_by(*table.primary_key.columns)
            ).all()
            digest.update(f"{table.name}:{rows!r}".encode())
        db.session.remove()
    return digest.hexdigest()


def _example_urls(app, rule, ids) -> list[str]:
    """URLs for ``rule`` with every combination of plausible argument values."""
    choices = []
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            choices.append([(name, value) for value in ids])
        elif isinstance(converter, AnyConverter):
            choices.append([(name, value) for value in sorted(converter.items)])
        else:
            choices.append([(name, "x")])
    urls = []
    with app.test_request_context():
        for values in itertools.product(*choices):
            adapter = app.url_map.bind("localhost")
            urls.append(adapter.build(rule.endpoint, dict(values)))
    return urls


def _routes(app, method: str):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint != "static"
    ]


# --- headers ----------------------------------------------------------------------


HTMX = {"HX-Request": "true"}
PAGE_KINDS = {
    "home, anonymous": (None, "/", {}, 200),
    "login form": (None, "/login", {}, 200),
    "forgot password form": (None, "/wachtwoord-vergeten", {}, 200),
    "not found": (None, "/bestaat-niet", {}, 404),
    "method not allowed": (None, "/logout", {}, 405),
    "professional's dossier": ("professional", "/mijn/dossier", {}, 200),
    "professional's inzage": ("professional", "/mijn/inzage", {}, 200),
    "contact's professionals": ("manager", "/professionals/", {}, 200),
    "htmx partial": ("manager", "/professionals/", HTMX, 200),
    "beheerder's report": ("eerste", "/professionals/rapportage", {}, 200),
    "staff requests": ("staff", "/beheer/aanvragen", {}, 200),
    "pending organisation": ("pending", "/wacht-op-autorisatie", {}, 200),
    "own account": ("tweede", "/account", {}, 200),
}


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_kind_of_page_carries_the_security_headers(app, world, login, kind):
    account_key, path, headers, status = PAGE_KINDS[kind]
    accounts, _ = world
    client = _signed_in(app, login, accounts.get(account_key))

    response = client.get(path, headers=headers)

    assert response.status_code == status
    assert_security_headers(response)
    if response.mimetype == "text/html":
        parsed = inline_code(response.get_data(as_text=True))
        assert parsed.found == [], "the CSP would block these"


def test_csrf_error_page_carries_the_security_headers(csrf_app):
    response = csrf_app.test_client().post("/login", data={"identifier": "x"})

    assert response.status_code == 400
    assert_security_headers(response)


def test_pages_turn_htmx_eval_and_history_cache_off(client):
    parsed = inline_code(client.get("/login").get_data(as_text=True))

    assert parsed.htmx_config["allowEval"] is False
    assert parsed.htmx_config["historyCacheSize"] == 0


def test_static_assets_may_be_cached_pages_not(client):
    page = client.get("/login")
    asset = client.get("/static/app.css")

    assert page.headers["Cache-Control"] == "no-store"
    assert asset.status_code == 200
    assert "no-store" not in asset.headers.get("Cache-Control", "")
    assert asset.headers["X-Content-Type-Options"] == "nosniff"


def test_htmx_from_a_cdn_is_allowed_only_with_its_integrity_hash(make_app):
    cdn = "https://cdn.example.test/htmx-2.0.4.min.js"
    integrity = "sha384-" + "A" * 64
    cdn_app = make_app(HTMX_CDN_URL=cdn, HTMX_CDN_INTEGRITY=integrity)

    response = cdn_app.test_client().get("/login")

    assert csp_directives(response)["script-src"] == ["'self'", cdn]
    tag = re.search(rf'<script src="{re.escape(cdn)}"[^>]*>', response.text).group(0)
    assert f'integrity="{integrity}"' in tag
    assert 'crossorigin="anonymous"' in tag
    assert "/static/vendor/htmx" not in response.text


def test_hsts_only_over_https_and_forwarded_proto_only_behind_a_trusted_proxy(
    client, make_app
):
    forwarded = {"X-Forwarded-Proto": "https"}
    proxied = make_app(PROXY_FIX=1).test_client()

    plain = client.get("/login")
    https = client.get("/login", base_url="https://pe-inzage.test")
    spoofed = client.get("/login", headers=forwarded)
    behind_proxy = proxied.get("/login", headers=forwarded)

    assert "Strict-Transport-Security" not in plain.headers
    assert "max-age=31536000" in https.headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in spoofed.headers
    assert "max-age=31536000" in behind_proxy.headers["Strict-Transport-Security"]


# --- CSRF -------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused_with_a_dutch_page(csrf_app, factory):
    contact = factory.contact()
    client = csrf_app.test_client()

    response = client.post(
        "/login", data={"identifier": contact.username, "password": PASSWORD}
    )

    assert response.status_code == 400
    assert "Formulier verlopen" in response.text
    assert "Laad de pagina opnieuw" in response.text
    assert client.get("/professionals/").status_code == 302  # not signed in


def test_post_with_csrf_form_field_or_htmx_header_is_accepted(csrf_app, factory):
    contact = factory.contact()
    client = csrf_app.test_client()

    signed_in = client.post(
        "/login",
        data={
            "identifier": contact.username,
            "password": PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    assert signed_in.status_code == 302
    assert client.get("/professionals/").status_code == 200

    token = csrf_token(client, "/account")
    signed_out = client.post(
        "/logout", headers={"X-CSRFToken": token, "HX-Request": "true"}
    )
    assert signed_out.status_code == 302
    assert client.get("/professionals/").status_code == 302


def test_csrf_token_of_another_session_is_refused(csrf_app, factory):
    contact = factory.contact()
    other_token = csrf_token(csrf_app.test_client())
    client = csrf_app.test_client()
    client.get("/login")

    response = client.post(
        "/login",
        data={
            "identifier": contact.username,
            "password": PASSWORD,
            "csrf_token": other_token,
        },
    )

    assert response.status_code == 400


ACCOUNT_KEYS = [None, "professional", "manager", "eerste", "staff", "pending"]


def test_every_post_route_refuses_a_request_without_csrf_token(
    csrf_app, app, world, login
):
    accounts, ids = world
    routes = _routes(csrf_app, "POST")
    assert {rule.endpoint for rule in routes} >= {"auth.login", "auth.logout"}
    signed_in = {key: _signed_in(app, login, accounts.get(key)) for key in ACCOUNT_KEYS}
    before = database_fingerprint(app)

    for key, rule in itertools.product(ACCOUNT_KEYS, routes):
        client = csrf_app.test_client()
        cookie = signed_in[key].get_cookie("session")
        if cookie is not None:
            client.set_cookie("session", cookie.value)
        for url in _example_urls(csrf_app, rule, ids):
            response = client.post(url, data={"id": ids[0]})
            assert response.status_code == 400, (key, url, response.status_code)

    assert database_fingerprint(app) == before


# --- GET never changes state --------------------------------------------------------


def test_routes_that_only_accept_post_refuse_get(app, world):
    _, ids = world
    client = app.test_client()
    post_only = [rule for rule in _routes(app, "POST") if "GET" not in rule.methods]

    for rule in post_only:
        for url in _example_urls(app, rule, ids):
            assert client.get(url).status_code == 405, url


def test_no_get_request_changes_stored_data(app, world, login):
    accounts, ids = world
    routes = _routes(app, "GET")
    clients = {key: _signed_in(app, login, accounts.get(key)) for key in ACCOUNT_KEYS}
    before = database_fingerprint(app)

    for (key, client), rule in itertools.product(clients.items(), routes):
        for url in _example_urls(app, rule, ids):
            response = client.get(url, headers={"HX-Request": "true"})
            assert response.status_code < 500, (key, url)
            client.get(url)

    assert database_fingerprint(app) == before


# --- redirects after login ------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "///evil.test/",
        "/\t/evil.test/",
        "/\n/evil.test/",
        " //evil.test/",
        "\\\\evil.test/",
        "https:evil.test",
        "https:/evil.test",
        "javascript:alert(1)",
        "data:text/html,hoi",
        "http://localhost@evil.test/",
        "/%2F/evil.test/",
        "%2F%2Fevil.test",
    ],
)
def test_redirect_after_login_never_leaves_the_app(client, factory, target):
    contact = factory.contact()

    response = client.post(
        "/login",
        query_string={"next": target},
        data={"identifier": contact.username, "password": PASSWORD},
    )

    assert response.status_code == 302
    location = response.headers["Location"]
    # Browsers drop tabs and newlines and read backslashes as slashes.
    as_browser = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    resolved = urlsplit(urljoin("http://pe-inzage.test/login", as_browser))
    assert resolved.scheme == "http"
    assert resolved.netloc == "pe-inzage.test"


def test_redirect_after_login_keeps_a_local_path_with_its_query(client, factory):
    contact = factory.contact()
    target = "/professionals/?professional=jan&sort=voortgang"

    response = client.post(
        "/login",
        query_string={"next": target},
        data={"identifier": contact.username, "password": PASSWORD},
    )

    assert response.headers["Location"] == target


# --- production configuration -------------------------------------------------------


@pytest.fixture
def production_env(monkeypatch, database_url):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    return monkeypatch


@pytest.mark.parametrize("key", [None, DEV_SECRET_KEY, "too-short-0123456789"])
def test_production_refuses_a_missing_dev_or_short_secret_key(production_env, key):
    if key is None:
        production_env.delenv("SECRET_KEY", raising=False)
    else:
        production_env.setenv("SECRET_KEY", key)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_session_cookie_is_secure_httponly_and_lax(production_env, factory):
    production_env.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    # The test client speaks https, as a browser behind the TLS proxy would.
    production = create_app({"PREFERRED_URL_SCHEME": "https"})
    contact = factory.contact()
    client = production.test_client()
    try:
        response = client.post(
            "/login",
            data={
                "identifier": contact.username,
                "password": PASSWORD,
                "csrf_token": csrf_token(client),
            },
            # Over https Flask-WTF also wants a same-origin Referer, as browsers send.
            headers={"Referer": "https://localhost/login"},
        )
        dev_mail = client.get("/dev/mail")
    finally:
        with production.app_context():
            db.engine.dispose()

    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    flags = {flag.strip().lower() for flag in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=lax"} <= flags
    assert dev_mail.status_code == 404


def test_dossiers_and_report_files_are_never_stored_by_caches(app, world, login):
    accounts, _ = world
    professional = accounts["professional"]
    manager = _signed_in(app, login, accounts["manager"])
    eerste = _signed_in(app, login, accounts["eerste"])

    dossier = manager.get(f"/professionals/{professional.id}")
    xlsx = eerste.get("/professionals/rapportage.xlsx")
    job = eerste.post("/professionals/rapportage/pdf", follow_redirects=True)
    file_link = re.search(r'href="(/professionals/\S+/bestand)"', job.text)
    pdf = eerste.get(file_link.group(1))

    for response in (dossier, xlsx, pdf):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert professional.name in dossier.text
    assert xlsx.headers["Content-Disposition"].startswith("attachment;")
    assert pdf.mimetype == "application/pdf"
