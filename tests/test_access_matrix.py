"""The access matrix: every route, every method, every actor, own and foreign ids.

The routes come from the application's URL map, so a new route cannot escape: it
fails here until tests/access_expected.py says what each actor must get from it.
Each actor signs in once to a world of its own (tests/matrix_world.py); a request
that changes the database, or ends the actor's session, is followed by a rebuilt
world. Besides the status codes the matrix checks that no GET changes the
database, that no page shows another organisation's or professional's names, and
that another's id is answered exactly like an id that does not exist. All
differences are collected and reported together.

To see what the code answers today for a new route, run with MATRIX_OBSERVED set
to a folder: every actor's answers are written there as JSON. Compare them with
DOMAIN.md before writing a row; the table says what must happen, not what does.
"""

import io
import json
import os
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.routing import Rule

from tests.access_expected import KNOWN_GAPS, TABLE, parse
from tests.conftest import PASSWORD
from tests.matrix_world import (
    ACTORS,
    CONTACT_ACTORS,
    HTMX_ENDPOINTS,
    build_request,
    build_world,
    empty_database,
    fingerprint,
    hidden_texts,
    login_identifier,
    unknown_arguments,
    variants,
)

EXPECTED = parse(TABLE, len(ACTORS))
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
REDIRECTS = {301, 302, 303, 307, 308}
SHORT_REDIRECTS = {"/login": "L", "/wacht-op-autorisatie": "W"}
REFUSALS = {"L", "W", "404", "405"}
#: Actors for whom another's object must be indistinguishable from no object.
SEALED_ACTORS = (*CONTACT_ACTORS, "prof")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: CSRF tokens are signed with a timestamp: two pages a second apart differ there.
CSRF_TOKEN = re.compile(r'(name="csrf[-_]token" (?:content|value)=")[^"]*"')


@dataclass(frozen=True)
class Probe:
    """One line of the table: a route, a method and a variant of its ids."""

    name: str
    method: str
    variant: str
    rule: Rule

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.name, self.method, self.variant)

    def label(self) -> str:
        return f"{self.method:6} {self.name} [{self.variant}]"


def probes(app) -> list[Probe]:
    """Every (route, method, variant) of the application, GETs first, logout last."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    rules_per_endpoint = Counter(rule.endpoint for rule in rules)
    found = []
    for rule in rules:
        name = rule.endpoint
        if rules_per_endpoint[name] > 1:
            name = f"{rule.endpoint}[{rule.rule}]"
        for method in sorted(rule.methods - SKIPPED_METHODS):
            found += [Probe(name, method, v, rule) for v in variants(rule, method)]
    return sorted(
        found,
        key=lambda p: (p.method != "GET", p.rule.endpoint == "auth.logout", p.key),
    )


def answer_code(response) -> str:
    """The status code, or L / W for a redirect to the login or the waiting page."""
    if response.status_code in REDIRECTS:
        path = urlsplit(response.headers.get("Location", "")).path
        if path in SHORT_REDIRECTS:
            return SHORT_REDIRECTS[path]
    return str(response.status_code)


def page_text(response) -> str:
    """The text of a page without its CSRF tokens, or of an XLSX file's XML."""
    if response.mimetype == XLSX:
        with zipfile.ZipFile(io.BytesIO(response.get_data())) as workbook:
            return "".join(
                workbook.read(name).decode()
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
    if not response.mimetype.startswith("text/"):
        return ""
    return CSRF_TOKEN.sub(r'\1"', response.get_data(as_text=True))


class ActorSession:
    """An actor signed in to a world, rebuilt after a request that changed it."""

    def __init__(self, app, actor: str):
        self.app = app
        self.actor = actor
        self.start()

    def start(self) -> None:
        empty_database(self.app)
        self.world = build_world(self.app)
        self.client = self.app.test_client()
        identifier = login_identifier(self.world, self.actor)
        if identifier is not None:
            response = self.client.post(
                "/login", data={"identifier": identifier, "password": PASSWORD}
            )
            assert response.status_code == 302, f"{self.actor} cannot sign in"
        self.state = fingerprint(self.app)
        self.spoilt = False

    def request(self, probe: Probe):
        """Send ``probe``; return its url, the response and whether it changed data."""
        if self.spoilt:
            self.start()
        # A message flashed by the previous request would show on this page.
        with self.client.session_transaction() as cookie_session:
            cookie_session.pop("_flashes", None)
        url, form = build_request(
            probe.rule, probe.method, self.world, self.actor, probe.variant
        )
        htmx = probe.rule.endpoint in HTMX_ENDPOINTS
        headers = {"HX-Request": "true"} if htmx else {}
        response = self.client.open(
            url, method=probe.method, data=form, headers=headers
        )
        code = answer_code(response)
        signed_out = code == "L" and self.actor != "anon"
        # A refusal is decided before any work; comparing the database only after
        # the other answers keeps the matrix fast on PostgreSQL.
        changed = code not in REFUSALS and fingerprint(self.app) != self.state
        self.spoilt = changed or signed_out
        return url, response, changed


def test_every_route_is_in_the_table(app):
    keys = {probe.key for probe in probes(app)}
    problems = [f"no row for {' '.join(key)}" for key in sorted(keys - EXPECTED.keys())]
    problems += [
        f"row for a route that does not exist: {' '.join(key)}"
        for key in sorted(EXPECTED.keys() - keys)
    ]
    problems += [
        f"known gap for a row that does not exist: {' '.join(gap)}"
        for gap in KNOWN_GAPS
        if gap[:3] not in EXPECTED or gap[3] not in ACTORS
    ]
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for argument in unknown_arguments(rule):
            problems.append(
                f"{rule.endpoint}: tests/matrix_world.py cannot fill in <{argument}>"
            )

    assert not problems, "\n".join(problems)


@pytest.fixture
def actor_session(app, request):
    session = ActorSession(app, request.param)
    yield session
    empty_database(app)


@pytest.mark.parametrize("actor_session", ACTORS, indirect=True, ids=ACTORS)
def test_access_matrix(app, actor_session):
    session, actor = actor_session, actor_session.actor
    column = ACTORS.index(actor)
    observed, pages, mismatches = {}, {}, []

    for probe in probes(app):
        url, response, changed = session.request(probe)
        got = answer_code(response)
        text = page_text(response)
        observed[" ".join(probe.key)] = got
        pages[probe.key] = (got, text)
        where = f"{probe.label()} {url}"

        wanted = EXPECTED.get(probe.key, ("none",) * len(ACTORS))[column]
        gap = KNOWN_GAPS.get((*probe.key, actor))
        if gap is not None and got == gap[0]:
            warnings.warn(
                f"known gap: {where}: {got}, not {wanted}: {gap[1]}", stacklevel=1
            )
        elif gap is not None and got == wanted:
            mismatches.append(f"{where}: the known gap is closed, remove its line")
        elif wanted == "none":
            mismatches.append(f"{where}: no row in the table, got {got}")
        elif got != wanted:
            mismatches.append(f"{where}: expected {wanted}, got {got}")
        if changed and probe.method == "GET":
            mismatches.append(f"{where}: a GET changed the database")
        if got.startswith("2"):
            shown = [t for t in hidden_texts(session.world, actor) if t in text]
            if shown:
                mismatches.append(f"{where}: shows {', '.join(shown)}")

    if actor in SEALED_ACTORS:
        for (name, method, variant), (got, text) in pages.items():
            if variant != "foreign":
                continue
            unknown_got, unknown_text = pages[(name, method, "unknown")]
            if got != unknown_got:
                mismatches.append(
                    f"{method:6} {name}: a foreign id answers {got}, "
                    f"an unknown id {unknown_got}"
                )
            elif got == "404" and text != unknown_text:
                mismatches.append(
                    f"{method:6} {name}: a foreign id answers another 404 page "
                    "than an unknown id"
                )

    if folder := os.environ.get("MATRIX_OBSERVED"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{actor}.json").write_text(json.dumps(observed, indent=1))
    assert not mismatches, (
        f"{actor}: {len(mismatches)} answers differ from tests/access_expected.py\n"
        + "\n".join(mismatches)
    )
