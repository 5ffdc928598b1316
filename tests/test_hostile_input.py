"""Hostile input against every form, query parameter and path argument.

Properties, for arbitrary text (control characters and NUL included), very long
values, mixed scripts, impossible dates and ids that do not exist or belong to
someone else:

- no answer is a server error;
- a refused submission stores nothing (every row of every table is compared);
- a refused submission shows the form again with the user's input in it, escaped.
  The one exception is a value with a NUL character, which no browser sends and
  PostgreSQL cannot store: that is refused as a bad request.

The tables below name every form and every page. Tests at the top fail when a
route, a form field or a query parameter appears that the tables do not cover.
"""

import io
from collections import Counter

import pytest
from flask import url_for
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from app import tokens
from app.models import ContactRole, OrganisationStatus, Professional, ReportJob, db
from tests.conftest import PASSWORD
from tests.hostile_forms import (
    FormSpec,
    QuerySpec,
    is_kept,
    keeps_input,
    page_forms,
    source_query_parameters,
)
from tests.hostile_strategies import (
    BY_KIND,
    EDGE_INTS,
    EDGES,
    any_int,
    hostile_choice,
    hostile_id,
    hostile_text,
)
from tests.hostile_world import ACTORS, build_world, changed_tables, snapshot

#: Hypothesis examples run in this module, by test; reported at the end of the run.
EXAMPLES = Counter()

SETTINGS = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SIGNED_IN = tuple(a for a in ACTORS if a not in ("anonymous", "pending"))
NEW_PASSWORD = "een nieuw wachtwoord"


def _fresh_set_password_link(world) -> str:
    with world.app.app_context():
        account = db.session.get(Professional, world.accounts["no_password"].id)
        token = tokens.make_token(account, "set-password")
        db.session.remove()
    return url_for("auth.set_password", purpose="set-password", token=token)


def _mail_sent_page(response) -> bool:
    return "Controleer uw e-mail" in response.get_data(as_text=True)


def _fresh_organisation(endpoint: str, status: str):
    """A new organisation per example, so that a decision is never already made."""

    def url(world) -> str:
        register = world.objects["register"][0]
        organisation = world.factory.organisation(register=register, status=status)
        world.factory.contact(organisation, ContactRole.EERSTE, password=None)
        return url_for(endpoint, organisation_id=organisation.id)

    return url


def _decided(response) -> bool:
    """A staff decision went through: a redirect, or the row with a success."""
    if response.status_code in (302, 303):
        return True
    return 'class="flash success"' in response.get_data(as_text=True)


def _success_shown(response) -> bool:
    """Done: a redirect, or (htmx) an answer with a success notice in it."""
    if response.status_code in (302, 303):
        return True
    body = response.get_data(as_text=True)
    return 'class="flash success"' in body or 'class="row-notice"' in body


def _fresh_contact(endpoint: str):
    """A new manager of organisation A per example, to act on."""

    def url(world) -> str:
        organisation = _own(world, "organisation")
        contact = world.factory.contact(organisation, password=None)
        return url_for(endpoint, organisation_id=organisation.id, contact_id=contact.id)

    return url


def _of_organisation_a(endpoint: str):
    return lambda w: url_for(endpoint, organisation_id=_own(w, "organisation").id)


def _report_job(world) -> str:
    """A PDF job of the beheerder of organisation A, to look at."""
    job = ReportJob(
        token=f"job-{world.factory._next()}",
        organisation_id=_own(world, "organisation").id,
        requested_by_id=world.accounts["beheerder"].id,
        requested_by_kind="c",
        file_format="pdf",
    )
    world.factory._save(job)
    return url_for("professionals.report_job", token=job.token)


def _own(world, kind: str, index: int = 0):
    return world.objects[kind][index]


def _period_field(world) -> str:
    return f"period{_own(world, 'period').id}-submitted_on"


# --- the tables ---------------------------------------------------------------------

ROLES = list(ContactRole.ALL)
REPORT_FILTERS = {
    "status": ("choice", ["Voltooid", "Te doen"]),
    "maanden": ("choice", ["1", "3", "6", "12"]),
    "organisation_id": ("id", "organisation"),
}
REGISTRATION_FIELDS = {
    "nonce": "text",
    "name": "text",
    "email": "email",
    "email_repeat": "email",
    "username": "text",
    "organisation_name": "text",
    "street": "text",
    "postcode": "postcode",
    "city": "text",
    "country": ("choice", ["Nederland", "België", "Duitsland", "Marokko"]),
    "declaration": "checkbox",
}
REGISTRATION_VALID = {
    "name": "Piet Aanvrager",
    "email": "piet@aanvrager.nl",
    "email_repeat": "piet@aanvrager.nl",
    "username": "piet.aanvrager",
    "organisation_name": "Aanvrager BV",
    "street": "Kerkstraat 1",
    "postcode": "1234 AB",
    "city": "Utrecht",
    "country": "Nederland",
    "declaration": "y",
}

FORMS = [
    FormSpec(
        "auth.login",
        "anonymous",
        {"identifier": "text", "password": "password"},
        valid=lambda w: {"identifier": w.accounts["other"].email, "password": PASSWORD},
        # A failed sign-in may be written to the audit trail; nothing else.
        may_change=("audit_event",),
        examples=25,
    ),
    FormSpec(
        "auth.forgot_password",
        "anonymous",
        {"identifier": "text"},
        valid=lambda w: {"identifier": w.accounts["other"].email},
        accepted=_mail_sent_page,
        examples=25,
    ),
    FormSpec(
        "auth.set_password",
        "anonymous",
        {"password": "password", "password_repeat": "password"},
        url=_fresh_set_password_link,
        valid=lambda w: {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
        ignore_on_page=("username",),
        examples=25,
    ),
    FormSpec(
        "auth.account",
        "manager",
        {
            "current_password": "password",
            "password": "password",
            "password_repeat": "password",
        },
        valid=lambda w: {
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_repeat": NEW_PASSWORD,
        },
        examples=25,
    ),
    FormSpec(
        "registration.request_form",
        "anonymous",
        REGISTRATION_FIELDS,
        url=lambda w: url_for("registration.request_form", code="SEU"),
        valid=lambda w: REGISTRATION_VALID,
        examples=60,
    ),
    FormSpec(
        "admin.reject",
        "staff",
        {"reason": "text"},
        url=_fresh_organisation("admin.reject", OrganisationStatus.REQUESTED),
        valid=lambda w: {"reason": "Geen werkgever."},
        accepted=_decided,
    ),
    FormSpec(
        "admin.suspend",
        "staff",
        {"reason": "text"},
        url=_fresh_organisation("admin.suspend", OrganisationStatus.AUTHORISED),
        valid=lambda w: {"reason": "Op verzoek."},
        accepted=_decided,
    ),
    FormSpec(
        "admin.import_data",
        "staff",
        {"register_id": ("id", "register"), "file": "file"},
        valid=lambda w: {"register_id": str(_own(w, "register").id)},
        examples=60,
    ),
    FormSpec(
        "admin.invite_professional",
        "staff",
        {"from": ("choice", ["detail", "lijst"]), "q": "text", "page": "int"},
        url=lambda w: url_for(
            "admin.invite_professional", professional_id=_own(w, "professional", 2).id
        ),
        examples=20,
    ),
    FormSpec(
        "admin.mark_submitted",
        "staff",
        lambda w: {_period_field(w): "date"},
        url=lambda w: url_for(
            "admin.mark_submitted",
            professional_id=_own(w, "period").professional_id,
            period_id=_own(w, "period").id,
        ),
        valid=lambda w: {_period_field(w): ""},
    ),
    FormSpec(
        "inzage.add",
        "professional",
        {
            "q": "text",
            "organisation_id": ("id", "organisation"),
            "contact_id": ("id", "contact"),
            "valid_until": "date",
            "kies": "checkbox",
            "zoek": "checkbox",
        },
        valid=lambda w: {
            "organisation_id": str(_own(w, "organisation", 1).id),
            "contact_id": str(w.accounts["manager_b"].id),
            "valid_until": "",
        },
        examples=60,
    ),
    FormSpec(
        "contacts.organisation",
        "beheerder",
        {
            "name": "text",
            "street": "text",
            "postcode": "postcode",
            "city": "text",
            "country": ("choice", ["Nederland", "België", "Suriname"]),
        },
        url=_of_organisation_a("contacts.organisation"),
        valid=lambda w: {
            "name": "Alfa BV",
            "street": "Dorpsstraat 1",
            "postcode": "1234 AB",
            "city": "Utrecht",
            "country": "Nederland",
        },
        examples=40,
    ),
    FormSpec(
        "contacts.add",
        "beheerder",
        {
            "name": "text",
            "email": "email",
            "email_repeat": "email",
            "username": "text",
            "role": ("choice", ROLES),
        },
        url=_of_organisation_a("contacts.add"),
        valid=lambda w: {
            "name": "Nieuw Contact",
            "email": "nieuw@werkgever.nl",
            "email_repeat": "nieuw@werkgever.nl",
            "username": "nieuw.contact",
            "role": "manager",
        },
        accepted=_success_shown,
        examples=50,
    ),
    FormSpec(
        "contacts.change_role",
        "beheerder",
        {"role": ("choice", ROLES), "confirmed": ("choice", ["1"])},
        url=_fresh_contact("contacts.change_role"),
        valid=lambda w: {"role": "plaatsvervanger", "confirmed": "1"},
        accepted=_success_shown,
        # The role travels in a button's hidden field: an unknown one is a 400.
        refusals=(200, 400, 422),
        examples=20,
    ),
    FormSpec(
        "contacts.deactivate",
        "beheerder",
        {"confirmed": ("choice", ["1"])},
        url=_fresh_contact("contacts.deactivate"),
        valid=lambda w: {"confirmed": "1"},
        accepted=_success_shown,
        examples=15,
    ),
    FormSpec(
        "contacts.hand_over",
        "staff",
        {
            "new_eerste": ("id", "contact"),
            "own_role": ("choice", ROLES),
        },
        url=_of_organisation_a("contacts.hand_over"),
        valid=lambda w: {
            "new_eerste": str(w.accounts["plaatsvervanger"].id),
            "own_role": "manager",
        },
        examples=30,
    ),
    FormSpec(
        "professionals.report_pdf",
        "beheerder",
        REPORT_FILTERS,
        valid=lambda w: {"status": "Voltooid", "maanden": "3"},
        examples=20,
    ),
    FormSpec(
        "professionals.report_pdf",
        "staff",
        REPORT_FILTERS,
        valid=lambda w: {"organisation_id": str(_own(w, "organisation").id)},
        # Staff choose the organisation: an unknown one is not found.
        refusals=(200, 404),
        examples=20,
        label="professionals.report_pdf (staff)",
    ),
]

#: POST routes without user input, and why.
NO_FIELDS = {
    "auth.logout": "signs out; carries only the CSRF token",
    "admin.authorise": "a decision; carries only the CSRF token",
    "admin.reinstate": "a decision; carries only the CSRF token",
    "inzage.revoke": "a confirmed revoke; carries only the CSRF token",
    "contacts.activate": "a button; carries only the CSRF token",
    "contacts.resend": "a button; carries only the CSRF token",
}

PAGED = {"page": "int"}

#: Every page reached with GET, who may see it, and the parameters it reads.
PAGES = [
    QuerySpec("main.index", ("anonymous",)),
    QuerySpec("main.health", ("anonymous",)),
    QuerySpec("auth.login", ("anonymous",), {"next": "text"}),
    QuerySpec("auth.forgot_password", ("anonymous",)),
    QuerySpec("auth.set_password", ("anonymous",), url=_fresh_set_password_link),
    QuerySpec("auth.account", SIGNED_IN),
    QuerySpec("auth.pending", ("pending",)),
    QuerySpec("registration.choose_register", ("anonymous",)),
    QuerySpec(
        "registration.request_form",
        ("anonymous",),
        url=lambda w: url_for("registration.request_form", code="SEU"),
    ),
    QuerySpec("registration.received", ("anonymous",)),
    QuerySpec(
        "admin.requests",
        ("staff",),
        {"toon": ("choice", ["open", "alle"]), **PAGED},
    ),
    QuerySpec(
        "admin.organisations",
        ("staff",),
        {"status": ("choice", list(OrganisationStatus.ALL)), **PAGED},
    ),
    QuerySpec(
        "admin.suspend",
        ("staff",),
        url=lambda w: url_for(
            "admin.suspend", organisation_id=_own(w, "organisation").id
        ),
    ),
    QuerySpec("admin.import_data", ("staff",)),
    QuerySpec("admin.import_template_xlsx", ("staff",)),
    QuerySpec(
        "admin.import_template_csv",
        ("staff",),
        url=lambda w: url_for("admin.import_template_csv", kind="periodes"),
    ),
    QuerySpec("admin.professionals", ("staff",), {"q": "text", **PAGED}, kept=("q",)),
    QuerySpec(
        "admin.professional",
        ("staff",),
        url=lambda w: url_for(
            "admin.professional", professional_id=_own(w, "professional").id
        ),
    ),
    QuerySpec(
        "contacts.index",
        ("beheerder", "plaatsvervanger", "staff"),
        {"actief": ("choice", ["", "ja", "nee"]), **PAGED},
        url=_of_organisation_a("contacts.index"),
    ),
    QuerySpec(
        "contacts.organisation",
        ("beheerder", "plaatsvervanger", "staff"),
        url=_of_organisation_a("contacts.organisation"),
    ),
    QuerySpec(
        "contacts.add",
        ("beheerder", "plaatsvervanger", "staff"),
        url=_of_organisation_a("contacts.add"),
    ),
    QuerySpec(
        "contacts.hand_over",
        ("beheerder", "staff"),
        url=_of_organisation_a("contacts.hand_over"),
    ),
    QuerySpec("inzage.dossier", ("professional",)),
    QuerySpec("inzage.index", ("professional",)),
    QuerySpec(
        "inzage.add",
        ("professional",),
        {
            "q": "text",
            "organisation_id": ("id", "organisation"),
            "contact_id": ("id", "contact"),
            "valid_until": "date",
        },
        kept=("q", "valid_until"),
    ),
    QuerySpec("inzage.organisation_options", ("professional",), {"q": "text"}),
    QuerySpec(
        "inzage.contact_options",
        ("professional",),
        {"organisation_id": ("id", "organisation")},
    ),
    QuerySpec(
        "inzage.revoke",
        ("professional",),
        url=lambda w: url_for("inzage.revoke", inzage_id=_own(w, "inzage").id),
    ),
    QuerySpec(
        "professionals.index",
        ("manager", "beheerder", "plaatsvervanger"),
        {
            "professional": "text",
            "seu": "text",
            "email": "text",
            "actief": ("choice", ["1"]),
            "sort": ("choice", ["naam", "voortgang"]),
            **PAGED,
        },
        kept=("professional", "seu", "email"),
        examples=30,
    ),
    QuerySpec(
        "professionals.dossier",
        ("manager", "beheerder"),
        {"terug": "text"},
        url=lambda w: url_for(
            "professionals.dossier", professional_id=_own(w, "professional").id
        ),
    ),
    QuerySpec(
        "professionals.report",
        ("beheerder", "plaatsvervanger", "staff"),
        {**REPORT_FILTERS, **PAGED},
        examples=30,
    ),
    QuerySpec(
        "professionals.report_xlsx",
        ("beheerder", "staff"),
        REPORT_FILTERS,
    ),
    QuerySpec("professionals.report_job", ("beheerder",), url=_report_job),
    QuerySpec(
        "professionals.report_job_file",
        ("beheerder",),
        url=lambda w: _report_job(w) + "/bestand",
    ),
]

#: GET routes that are no page of ours.
NOT_PAGES = {"static"}


# --- the tables cover the application ----------------------------------------------


def test_every_post_route_is_in_the_form_table(app):
    covered = {spec.endpoint for spec in FORMS} | set(NO_FIELDS)
    posting = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}

    assert posting - covered == set(), "add these forms to FORMS or NO_FIELDS"
    assert covered - posting == set(), "these table entries name no POST route"


def test_every_page_is_in_the_page_table(app):
    covered = {spec.endpoint for spec in PAGES} | NOT_PAGES
    pages = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}

    assert pages - covered == set(), "add these pages to PAGES"
    assert covered - pages == set(), "these table entries name no GET route"


def test_every_query_parameter_the_code_reads_is_in_the_page_table():
    declared = {name for spec in PAGES for name in spec.params}
    read = source_query_parameters()

    missing = {f"{path}: {name}" for path, names in read.items() for name in names}
    missing = {item for item in missing if item.split(": ")[1] not in declared}
    assert missing == set(), "add these query parameters to PAGES"


@pytest.fixture
def world(app, factory, login):
    return build_world(app, factory, login)


def test_every_form_on_every_page_is_in_the_tables(world):
    """Render each page as its users and compare its forms' fields to the tables."""
    posts = {}
    for spec in FORMS:
        with world.app.test_request_context():
            posts.setdefault(url_for(spec.endpoint, **_path_args(spec, world)), spec)
    gets = {}
    for spec in PAGES:
        gets[spec.path(world)] = spec

    unknown = []
    for spec in PAGES:
        for actor in spec.actors:
            path = spec.path(world)
            response = world.client(actor).get(path)
            if not response.content_type.startswith("text/html"):
                continue
            for form in page_forms(response.get_data(as_text=True), path):
                if form["method"] == "post":
                    target = posts.get(form["action"]) or _post_spec_for(
                        form["action"], world
                    )
                    if target is None:
                        unknown.append(f"{path}: a form posting to {form['action']}")
                        continue
                    known = set(target.kinds(world)) | set(target.ignore_on_page)
                else:
                    target = gets.get(form["action"])
                    if target is None:
                        unknown.append(f"{path}: a search form to {form['action']}")
                        continue
                    known = set(target.params)
                extra = set(form["fields"]) - known
                if extra:
                    unknown.append(f"{path} ({actor}) {form['action']}: {extra}")

    assert unknown == []


def _path_args(spec: FormSpec, world) -> dict:
    """The path arguments of a form's own URL, read back from its builder."""
    if spec.url is None:
        return {}
    path = spec.path(world)
    adapter = world.app.url_map.bind("localhost")
    endpoint, args = adapter.match(path, method="POST")
    return args


def _post_spec_for(action: str, world):
    """The form spec whose route matches ``action`` (forms on object pages)."""
    adapter = world.app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(action, method="POST")
    except Exception:
        return None
    if endpoint in NO_FIELDS:
        return FormSpec(endpoint, "", {})
    return next((spec for spec in FORMS if spec.endpoint == endpoint), None)


# --- forms ------------------------------------------------------------------------


def _field_strategy(kind, world):
    if isinstance(kind, tuple):
        tag, argument = kind
        if tag == "choice":
            return hostile_choice(list(argument))
        if tag == "id":
            return hostile_id(world.ids(argument))
        raise ValueError(kind)
    return BY_KIND[kind]


def _form_strategy(spec: FormSpec, world):
    valid = spec.valid(world) if spec.valid else {}
    fields = {}
    for name, kind in spec.kinds(world).items():
        options = [_field_strategy(kind, world), st.none()]
        if name in valid:
            options.insert(0, st.just(valid[name]))
        fields[name] = st.one_of(*options)
    return st.fixed_dictionaries(fields).map(
        lambda values: {k: v for k, v in values.items() if v is not None}
    )


@pytest.mark.parametrize("spec", FORMS, ids=lambda spec: spec.id)
def test_form_survives_hostile_input(spec, world):
    """No error, nothing stored on refusal, and the refused input shown again."""

    @settings(max_examples=spec.examples, **SETTINGS)
    @given(values=_form_strategy(spec, world), htmx=st.booleans())
    def submit(values, htmx):
        EXAMPLES[f"form {spec.id}"] += 1
        path = spec.path(world)
        headers = {"HX-Request": "true"} if htmx else {}
        client = world.client(spec.actor)
        before = snapshot(world.app)

        response = client.post(path, data=_as_form_data(values), headers=headers)

        assert response.status_code < 500
        if spec.was_accepted(response):
            if spec.actor == "anonymous":
                world.sign_in_again("anonymous")  # e.g. signed in: start afresh
            return
        changed = set(changed_tables(before, snapshot(world.app)))
        assert changed <= set(spec.may_change), f"refused, yet stored in {changed}"
        if any("\x00" in value for value in values.values() if isinstance(value, str)):
            assert response.status_code in (200, 400, 422)
            return
        assert response.status_code in spec.refusals, "refusal must show the form"
        body = response.get_data(as_text=True)
        for name, value in values.items():
            kind = spec.kinds(world)[name]
            if keeps_input(kind) and name not in spec.not_kept:
                assert is_kept(body, value, kind), f"{name}={value[:80]!r} lost"

    valid = spec.valid(world) if spec.valid else {}
    for values in _edge_cases(spec.kinds(world), valid):
        submit = example(values=values, htmx=False)(submit)
    submit()


def test_nul_character_is_a_bad_request_not_a_server_error(client, factory):
    factory.professional(email="hanna@mail.test")

    login = client.post("/login", data={"identifier": "hanna\x00", "password": "x"})
    forgot = client.post("/wachtwoord-vergeten", data={"identifier": "a\x00"})
    query = client.get("/login", query_string={"next": "/\x00"})

    assert login.status_code == forgot.status_code == query.status_code == 400
    assert "Ongeldig verzoek" in login.get_data(as_text=True)


def _edge_kind(kind) -> str:
    return kind[0] if isinstance(kind, tuple) else kind


def _edge_cases(kinds: dict, valid: dict) -> list[dict]:
    """One case per field and edge value, the other fields valid."""
    cases = []
    for name, kind in kinds.items():
        for edge in EDGES.get(_edge_kind(kind), []):
            cases.append({**valid, name: edge})
    return cases


def _as_form_data(values: dict) -> dict:
    """Uploads travel as (content, filename); give each request a fresh stream."""
    return {
        name: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
        for name, value in values.items()
    }


# --- pages and query parameters ---------------------------------------------------


def _query_strategy(spec: QuerySpec, world):
    declared = {
        name: st.one_of(_field_strategy(kind, world), st.none())
        for name, kind in spec.params.items()
    }
    junk = st.dictionaries(
        st.text(st.characters(codec="ascii", categories=["L"]), min_size=1, max_size=8),
        hostile_text,
        max_size=2,
    )
    return st.tuples(st.fixed_dictionaries(declared), junk).map(
        lambda pair: {**pair[1], **{k: v for k, v in pair[0].items() if v is not None}}
    )


def test_pages_survive_hostile_query_parameters(world):
    """No error, no change but an audit row, and search terms shown again."""
    for spec in PAGES:
        _fuzz_query_parameters(spec, world)


def _fuzz_query_parameters(spec: QuerySpec, world):
    @settings(max_examples=spec.examples, **SETTINGS)
    @given(
        params=_query_strategy(spec, world),
        actor=st.sampled_from(spec.actors),
        htmx=st.booleans(),
    )
    def visit(params, actor, htmx):
        EXAMPLES[f"page {spec.endpoint}"] += 1
        headers = {"HX-Request": "true"} if htmx else {}
        client = world.client(actor)
        path = spec.path(world)
        before = snapshot(world.app)

        response = client.get(path, query_string=params, headers=headers)

        assert response.status_code < 500, spec.endpoint
        changed = set(changed_tables(before, snapshot(world.app)))
        assert changed <= {"audit_event"}, f"GET {spec.endpoint} changed {changed}"
        if response.status_code != 200 or not spec.kept or htmx:
            return  # a partial need not repeat the search box
        body = response.get_data(as_text=True)
        for name in spec.kept:
            if name in params and "\x00" not in params[name]:
                kind = spec.params[name]
                assert is_kept(body, params[name], kind), f"{spec.endpoint} {name}"

    for params in _edge_cases(spec.params, {}):
        visit = example(params=params, actor=spec.actors[0], htmx=False)(visit)
    visit()


# --- path arguments ---------------------------------------------------------------


def _rules_with_arguments(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.arguments and r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def _some_value(rule, name: str, world):
    """A plausible value of a path argument: a real id, or a known choice."""
    converter = rule._converters[name]
    if isinstance(converter, IntegerConverter):
        return world.ids("professional")[0]
    items = getattr(converter, "items", None)
    return sorted(items)[0] if items else "x"


def _argument_strategy(converter, world):
    if isinstance(converter, IntegerConverter):
        known = [obj_id for kind in world.objects for obj_id in world.ids(kind)]
        return st.one_of(
            st.sampled_from(known), any_int.map(abs), st.sampled_from([2**63, 10**40])
        )
    items = getattr(converter, "items", None)
    if items:
        return st.sampled_from(sorted(items))
    return hostile_text.filter(lambda s: s.strip("/"))


def test_path_arguments_survive_hostile_values(app, world):
    """Every route with arguments, as every user, with ids of others and nonsense."""
    rules = _rules_with_arguments(app)
    assert rules, "the application has routes with arguments"

    for rule in rules:
        _fuzz_path_arguments(rule, world)


def _fuzz_path_arguments(rule, world):
    adapter = world.app.url_map.bind("localhost")
    methods = sorted(rule.methods & {"GET", "POST"})
    strategies = {
        name: _argument_strategy(rule._converters[name], world)
        for name in rule.arguments
    }

    @settings(max_examples=25, **SETTINGS)
    @given(
        args=st.fixed_dictionaries(strategies),
        actor=st.sampled_from(ACTORS),
        method=st.sampled_from(methods),
    )
    def request(args, actor, method):
        EXAMPLES[f"path {rule.endpoint}"] += 1
        path = adapter.build(rule.endpoint, args, method=method)
        client = world.client(actor)
        before = snapshot(world.app)

        response = client.open(path, method=method)

        assert response.status_code < 500, path
        if response.status_code >= 400:
            changed = set(changed_tables(before, snapshot(world.app)))
            assert changed <= {"audit_event"}, f"{path} refused, changed {changed}"

    plausible = {name: _some_value(rule, name, world) for name in rule.arguments}
    for name in rule.arguments:
        if not isinstance(rule._converters[name], IntegerConverter):
            continue
        for number in (n for n in EDGE_INTS if n >= 0):
            for actor in ACTORS:
                args = {**plausible, name: number}
                request = example(args=args, actor=actor, method=methods[0])(request)
    request()


# --- the count ----------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _report_examples(request):
    yield
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter and capture and EXAMPLES:
        total = sum(EXAMPLES.values())
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nhostile input: {total} hypothesis examples over "
                f"{len(EXAMPLES)} forms, pages and routes"
            )
