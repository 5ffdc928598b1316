"""A professional gives and revokes inzage in a real browser."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def test_add_an_inzage_then_revoke_it(page, factory):
    professional = factory.professional()
    first = factory.organisation(name="Alfa Installaties BV")
    factory.contact(first, name="Anna Alfa", role="eerste")
    second = factory.organisation(name="Beta Bouw NV")
    factory.contact(second, name="Bram Beta")
    factory.contact(second, name="HR Beta", role="plaatsvervanger")

    page.goto("/login")
    page.get_by_label("Gebruikersnaam, e-mailadres of SEU-nummer").fill(
        professional.seu_nummer
    )
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Mijn dossier")).to_be_visible()

    page.get_by_role("link", name="Inzage werkgever").click()
    expect(page.get_by_text("U heeft nog niemand inzage gegeven.")).to_be_visible()
    page.get_by_role("link", name="Toevoegen").click()
    # htmx binds its change handler once the page's deferred scripts have run.
    page.wait_for_load_state("load")

    contact = page.get_by_label("Contactpersoon")
    page.get_by_label("Werkgever/Organisatie").select_option(label=first.name)
    expect(contact.locator("option", has_text="Anna Alfa")).to_have_count(1)
    page.get_by_label("Werkgever/Organisatie").select_option(label=second.name)
    expect(contact.locator("option", has_text="Anna Alfa")).to_have_count(0)
    expect(
        contact.locator("option", has_text="HR Beta (Plaatsvervangend contactpersoon)")
    ).to_have_count(1)
    contact.select_option(label="Bram Beta (Vestiging / Manager)")
    page.get_by_label("Geautoriseerd tot").fill("2030-12-31")
    page.get_by_role("button", name="Opslaan").click()

    row = page.get_by_role("row", name="Bram Beta")
    expect(row).to_contain_text("Beta Bouw NV")
    expect(row).to_contain_text("31-12-2030")
    expect(row).to_contain_text("Vestiging / Manager")

    page.on("dialog", lambda dialog: dialog.accept())
    row.get_by_role("link", name="Inzage van Bram Beta intrekken").click()

    expect(page.get_by_text("De inzage van Bram Beta is ingetrokken.")).to_be_visible()
    expect(page.get_by_role("row", name="Bram Beta")).to_have_count(0)
    expect(page.get_by_text("U heeft nog niemand inzage gegeven.")).to_be_visible()
