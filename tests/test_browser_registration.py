"""In chromium: request an employer account, set the password, staff authorise
(the row updates in place), and the contact gets in."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD

NEW_PASSWORD = "mijn nieuwe wachtwoord"


def test_request_set_password_authorise_and_log_in(page, live_server, factory, mailbox):
    factory.register()
    staff = factory.staff()

    page.goto("/aanvragen/")
    page.get_by_role("button", name="Register SEU").click()
    field(page, "Naam").fill("Jan Jansen")
    field(page, "E-mailadres").fill("hr@werkgever.nl")
    field(page, "Herhaal e-mailadres").fill("hr@werkgever.nl")
    field(page, "Gebruikersnaam").fill("hr-werkgever")
    field(page, "Naam organisatie").fill("Werkgever BV")
    field(page, "Straatadres").fill("Dorpsstraat 1")
    field(page, "Postcode").fill("1234ab")
    field(page, "Plaats").fill("Utrecht")
    expect(field(page, "Land")).to_have_value("Nederland")
    page.locator("#declaration").check()
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_role("heading", name="Uw aanvraag is ontvangen")).to_be_visible()

    link = mailbox.last_link("hr@werkgever.nl")
    page.goto(link.replace("http://pe-inzage.test", live_server))
    field(page, "Nieuw wachtwoord").fill(NEW_PASSWORD)
    field(page, "Herhaal wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_text("Uw wachtwoord is ingesteld")).to_be_visible()

    log_in(page, staff.username, PASSWORD)
    row = page.locator("tbody tr", has_text="Werkgever BV")
    expect(row).to_contain_text("Aangevraagd")
    page.evaluate("window.__noReload = true")
    row.get_by_role("button", name="Autoriseren").click()
    expect(row).to_contain_text("Geautoriseerd")
    expect(row.get_by_role("button", name="Autoriseren")).to_have_count(0)
    assert page.evaluate("window.__noReload") is True
    assert "is geautoriseerd" in mailbox.body(mailbox.to("hr@werkgever.nl")[-1])

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, "hr-werkgever", NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server}/professionals/")


def field(page, label: str):
    """The input labelled exactly ``label`` (a required field's star aside)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def log_in(page, username: str, password: str) -> None:
    page.goto("/login")
    field(page, "Gebruikersnaam, e-mailadres of SEU-nummer").fill(username)
    field(page, "Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
