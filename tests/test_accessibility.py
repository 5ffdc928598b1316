"""Accessibility: every page passes axe-core without serious or critical
violations, for every kind of user, empty and filled; errors are announced; the
main flows work with the keyboard alone.

Pages are found by walking the links as each user with the test client
(tests/hostile_crawl.py); the browser then opens each of them.
"""

from datetime import date, timedelta

import lxml.html
import pytest
from axe_playwright_python.sync_playwright import Axe

from app.models import ContactRole, OrganisationStatus
from tests.conftest import PASSWORD
from tests.hostile_crawl import crawl
from tests.hostile_world import WITH_PASSWORD, build_world, staff_member

BLOCKING = ("serious", "critical")
axe = Axe()


@pytest.fixture
def axe_page(browser, live_server):
    """A page for axe runs. Axe injects its script, which our Content-Security-
    Policy (rightly) forbids, so this context bypasses the CSP; the other browser
    tests keep it on."""
    context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def blocking_violations(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def sign_in(page, account) -> None:
    page.goto("/login")
    identifier = getattr(account, "username", None) or account.email
    page.fill("#identifier", identifier)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('Inloggen')")
    page.wait_for_url(lambda url: "/login" not in url)


def empty_world(app, factory, login):
    """Every kind of user, and nothing to show them: the empty states."""
    register = factory.register()
    org = factory.organisation(register=register)
    pending = factory.organisation(
        register=register, status=OrganisationStatus.REQUESTED
    )

    class Empty:
        pass

    world = Empty()
    world.app = app
    world.accounts = {
        "professional": factory.professional(**WITH_PASSWORD),
        "manager": factory.contact(org, ContactRole.MANAGER, **WITH_PASSWORD),
        "beheerder": factory.contact(org, ContactRole.EERSTE, **WITH_PASSWORD),
        "plaatsvervanger": factory.contact(
            org, ContactRole.PLAATSVERVANGER, **WITH_PASSWORD
        ),
        "staff": staff_member(factory),
        "pending": factory.contact(pending, ContactRole.EERSTE, **WITH_PASSWORD),
    }
    return world


def full_world(app, factory, login):
    """Every kind of user with data: more than a page of professionals, requests."""
    world = build_world(app, factory, login)
    register = world.objects["register"][0]
    manager = world.accounts["manager"]
    for n in range(30):
        person = factory.professional(name=f"Medewerker {n:02d}", password=None)
        factory.period(person, start=date.today() - timedelta(days=200))
        factory.activity(person, points="3")
        factory.inzage(person, manager)
    for n in range(3):
        org = factory.organisation(
            register=register,
            status=OrganisationStatus.REQUESTED,
            name=f"Aanvrager {n}",
        )
        factory.contact(org, ContactRole.EERSTE, password=None)
    return world


ACTORS = ("anonymous", "professional", "manager", "plaatsvervanger", "beheerder")
ACTORS += ("staff", "pending")


@pytest.mark.parametrize("state", ["empty", "filled", "phone"])
@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_passes_axe(app, factory, login, axe_page, actor, state):
    """Each page as each user: with nothing to show, with data, and on a phone."""
    world = (empty_world if state == "empty" else full_world)(app, factory, login)
    if state == "phone":
        axe_page.set_viewport_size({"width": 375, "height": 740})
    client = app.test_client()
    if actor != "anonymous":
        login(world.accounts[actor], test_client=client)
    paths = [
        visit.path
        for visit in crawl(app, client, per_endpoint=2)
        if visit.is_html and visit.status == 200
    ]
    assert paths, f"{actor} reached no page"

    if actor != "anonymous":
        sign_in(axe_page, world.accounts[actor])
    found = {}
    for path in paths:
        axe_page.goto(path)
        violations = blocking_violations(axe_page)
        if violations:
            found[path] = violations

    assert not found, "\n".join(
        f"{path}: {violation}" for path, items in found.items() for violation in items
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_form_controls_carry_no_empty_aria(app, factory, login, actor):
    """A field without an error is not marked invalid nor described by nothing."""
    world = full_world(app, factory, login)
    client = app.test_client()
    if actor != "anonymous":
        login(world.accounts[actor], test_client=client)

    wrong = []
    for visit in crawl(app, client):
        if not visit.is_html or not visit.text.strip():
            continue
        for control in lxml.html.fromstring(visit.text).iter(
            "input", "select", "textarea"
        ):
            for name, value in control.attrib.items():
                if name.startswith("aria-") and value in ("None", ""):
                    wrong.append(f"{visit.path} {control.get('name')} {name}")

    assert wrong == []


def _of_organisation_a(world, path: str) -> str:
    return path.format(world.objects["organisation"][0].id)


#: Forms to submit empty (or with the listed fields cleared or filled wrongly):
#: (who, path from the world, {selector: text to type}).
REFUSED_FORMS = [
    ("anonymous", lambda w: "/login", {}),
    ("anonymous", lambda w: "/wachtwoord-vergeten", {}),
    ("anonymous", lambda w: "/aanvragen/SEU", {"#email": "geen adres"}),
    ("manager", lambda w: "/account", {"#current_password": "niet mijn wachtwoord"}),
    ("professional", lambda w: "/mijn/inzage/toevoegen", {"#valid_until": "31-02-20"}),
    (
        "beheerder",
        lambda w: _of_organisation_a(w, "/organisatie/{}/"),
        {"#name": "", "#postcode": "12"},
    ),
    (
        "beheerder",
        lambda w: _of_organisation_a(w, "/organisatie/{}/beheerders/toevoegen"),
        {"#email": "x@"},
    ),
    (
        "staff",
        lambda w: _of_organisation_a(w, "/beheer/werkgevers/{}/schorsen"),
        {},
    ),
    ("staff", lambda w: "/beheer/gegevens-laden", {}),
]


@pytest.mark.parametrize(
    "actor, path, typed", REFUSED_FORMS, ids=[f"{a}" for a, _, _ in REFUSED_FORMS]
)
def test_refused_forms_announce_their_errors(
    app, factory, login, axe_page, actor, path, typed
):
    """After a refused submission: axe passes, each error is tied to its field
    and announced."""
    world = build_world(app, factory, login)
    if actor != "anonymous":
        sign_in(axe_page, world.accounts[actor])
    axe_page.goto(path(world))

    for selector, text in typed.items():
        axe_page.fill(selector, text)
    form = axe_page.locator("main form:has(button[type=submit])").last
    form.locator("button[type=submit]").last.click()
    axe_page.wait_for_selector("[role=alert]")

    assert check_announced_errors(axe_page, path(world)) > 0


def check_announced_errors(page, where: str) -> int:
    """Every invalid field points at its error, which is announced; return count."""
    assert blocking_violations(page) == [], where
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() > 0, f"{where}: no field marked invalid"
    for index in range(invalid.count()):
        field = invalid.nth(index)
        described = (field.get_attribute("aria-describedby") or "").split()
        assert described, f"{where}: {field.get_attribute('name')} has no description"
        errors = [page.locator(f"#{ref}") for ref in described]
        assert any(e.get_attribute("role") == "alert" for e in errors), where
        assert any(e.inner_text().strip() for e in errors), where
    return invalid.count()


def test_signing_in_works_with_the_keyboard_alone(factory, page):
    contact = factory.contact(**WITH_PASSWORD)
    page.goto("/login")

    tab_to(page, "#identifier")
    page.keyboard.type(contact.username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url("**/professionals/")


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab from the top of the page until ``selector`` has the focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement === document.querySelector(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab")


def keyboard_sign_in(page, account) -> None:
    page.goto("/login")
    tab_to(page, "#identifier")
    page.keyboard.type(getattr(account, "username", None) or account.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def test_giving_inzage_works_with_the_keyboard_alone(factory, page):
    """Choose the employer, then (loaded by htmx) the contact, save: keys only."""
    professional = factory.professional(**WITH_PASSWORD)
    organisation = factory.organisation(name="Alfa BV")
    contact = factory.contact(organisation, ContactRole.MANAGER, name="Cees Manager")
    keyboard_sign_in(page, professional)
    page.goto("/mijn/inzage/toevoegen")

    tab_to(page, "#organisation_id")
    page.keyboard.press("ArrowDown")  # the first employer in the list
    option = f"#contact_id option[value='{contact.id}']"
    page.wait_for_selector(option, state="attached")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "contact_id"
    page.keyboard.press("ArrowDown")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/mijn/inzage")
    assert "Cees Manager" in page.inner_text("#inzage-overzicht")


def test_revoking_inzage_works_with_the_keyboard_alone(factory, page):
    """The bin is reached with Tab, Enter asks to confirm, htmx swaps the list."""
    professional = factory.professional(**WITH_PASSWORD)
    contact = factory.contact(name="Cees Manager")
    factory.inzage(professional, contact)
    keyboard_sign_in(page, professional)
    page.goto("/mijn/inzage")

    tab_to(page, "a.bin")
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")

    page.wait_for_selector("#inzage-overzicht .flash.success")
    assert "ingetrokken" in page.inner_text("#inzage-overzicht")
    assert page.locator("a.bin").count() == 0
    assert page.url.endswith("/mijn/inzage"), "htmx swapped the list in place"
