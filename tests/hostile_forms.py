"""Describe forms and query parameters for the hostile-input tests, and read the
forms a page really renders so that a field the tables do not know is noticed."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from flask import url_for
from markupsafe import escape

from app.validators import NETHERLANDS, normalise_email, normalise_postcode

APP_DIR = Path(__file__).resolve().parent.parent / "app"
#: Fields every form carries that are not user input.
NOT_INPUT = {"csrf_token"}


@dataclass
class FormSpec:
    """One form: who fills it in, where it posts, and its fields by kind.

    Kinds: text, email, password, date, int, checkbox, ("choice", values) and
    ("id", object kind). ``valid`` gives values that pass, so that one hostile
    field at a time can reach the checks behind the first one.
    """

    endpoint: str
    actor: str
    #: {name: kind}, or a function of the world giving it (prefixed fields).
    fields: dict | Callable
    url: Callable | None = None
    valid: Callable | None = None
    #: How to tell that the submission was accepted (default: a redirect).
    accepted: Callable | None = None
    #: Fields that are not shown back on refusal (passwords are never).
    not_kept: tuple = ()
    #: Tables a refused submission may change (e.g. an audit row of the refusal).
    may_change: tuple = ()
    #: Answers a refusal may give: the form again (200, 422); a 400 only where the
    #: field is not typed by people (a button's hidden value).
    refusals: tuple = (200, 422)
    #: Inputs rendered on the page that are not fields of the form.
    ignore_on_page: tuple = ()
    examples: int = 40
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or self.endpoint

    def path(self, world) -> str:
        with world.app.test_request_context():
            return self.url(world) if self.url else url_for(self.endpoint)

    def kinds(self, world) -> dict:
        return self.fields(world) if callable(self.fields) else self.fields

    def was_accepted(self, response) -> bool:
        if self.accepted:
            return self.accepted(response)
        return response.status_code in (302, 303)


@dataclass
class QuerySpec:
    """A page reached with GET and the query parameters it reads."""

    endpoint: str
    actors: tuple
    params: dict = field(default_factory=dict)
    url: Callable | None = None
    #: Parameters whose value the page shows back (e.g. the search box).
    kept: tuple = ()
    examples: int = 15

    def path(self, world) -> str:
        with world.app.test_request_context():
            return self.url(world) if self.url else url_for(self.endpoint)


# --- reading pages -----------------------------------------------------------------


def page_forms(html: str, base_path: str) -> list[dict]:
    """Forms on a page: method, action path and {field name: input type}."""
    if not html.strip():
        return []
    document = lxml.html.fromstring(html)
    forms = []
    for form in document.iter("form"):
        action = form.get("action") or form.get("hx-post") or base_path
        fields = {}
        for element in form.iter("input", "select", "textarea"):
            name = element.get("name")
            if not name or name in NOT_INPUT or name.endswith("-csrf_token"):
                continue
            if element.tag == "input":
                fields[name] = element.get("type", "text")
            else:
                fields[name] = element.tag
        forms.append(
            {
                "method": (form.get("method") or "get").lower(),
                "action": urlsplit(action).path or base_path,
                "fields": fields,
            }
        )
    return forms


def source_query_parameters() -> dict[str, set[str]]:
    """Query parameters the application reads, by file: request.args.get("x")..."""
    pattern = re.compile(
        r"request\.args(?:\.get|\.getlist|\.get_all|\.__getitem__)?"
        r"(?:\(|\[)\s*[\"'](\w+)[\"']"
    )
    found = {}
    for path in APP_DIR.rglob("*.py"):
        names = set(pattern.findall(path.read_text()))
        if names:
            found[str(path.relative_to(APP_DIR.parent))] = names
    return found


# --- was the input kept? -------------------------------------------------------------


def shown_forms(value: str, kind) -> list[str]:
    """How a refused value may legitimately appear again in the form."""
    candidates = [value, value.strip()]
    # Search boxes may cut a term to the longest value it can match.
    candidates += [value.strip()[:limit] for limit in (32, 120, 200, 254)]
    normalise = {
        "email": normalise_email,
        "postcode": lambda v: normalise_postcode(v, NETHERLANDS),
    }.get(kind)
    if normalise:
        try:
            candidates.append(normalise(value))
        except Exception:
            pass
    return candidates


def is_kept(body: str, value: str, kind) -> bool:
    return any(str(escape(c)) in body for c in shown_forms(value, kind))


def keeps_input(kind) -> bool:
    """Whether a field of this kind is shown back on refusal (not passwords, boxes
    or choices: an invalid choice cannot be shown as chosen)."""
    return kind in ("text", "email", "date", "int", "postcode")
