"""In chromium: a beheerder adds a contact (the row appears without a reload),
deactivates it after confirming, and the set-password e-mail has arrived."""

import re

from playwright.sync_api import expect

from app.models import ContactRole
from tests.conftest import PASSWORD


def test_add_and_deactivate_a_contact_inline(page, factory, mailbox):
    organisation = factory.organisation()
    eerste = factory.contact(organisation, role=ContactRole.EERSTE)
    console_errors = []

    def note_error(message):
        if message.type == "error" and "favicon" not in message.location["url"]:
            console_errors.append(message.text)

    page.on("console", note_error)
    page.goto("/login")
    page.get_by_label("Gebruikersnaam, e-mailadres of SEU-nummer").fill(eerste.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile("/professionals/$"))
    page.goto(f"/organisatie/{organisation.id}/beheerders")
    expect(page.get_by_role("heading", name="Vestigingen / managers")).to_be_visible()
    page.evaluate("window.__noReload = true")

    page.get_by_role("button", name="Toevoegen beheerder").click()
    field(page, "Naam").fill("Regio Noord")
    field(page, "E-mailadres").fill("noord@werkgever.nl")
    field(page, "Herhaal e-mailadres").fill("noord@werkgever.nl")
    field(page, "Gebruikersnaam").fill("regio-noord")
    page.get_by_label("Vestiging / Manager").check()
    page.get_by_role("button", name="Opslaan").click()

    row = page.locator("#contacts-rows tr", has_text="Regio Noord")
    expect(row).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("is toegevoegd")
    assert page.evaluate("window.__noReload") is True
    [message] = mailbox.to("noord@werkgever.nl")
    assert "Gebruikersnaam: regio-noord" in mailbox.body(message)

    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    row.get_by_role("button", name="Op inactief zetten").click()

    expect(row).to_have_class(re.compile("inactive"))
    expect(row).to_contain_text("Regio Noord is niet meer actief.")
    expect(row.get_by_role("button", name="Activeren")).to_be_visible()
    assert "Regio Noord op inactief zetten?" in questions[0]
    assert page.evaluate("window.__noReload") is True
    assert console_errors == []


def field(page, label: str):
    """The input labelled exactly ``label`` (a required field's star aside)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))
