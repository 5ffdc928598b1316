"""In a real browser: search narrows the list live, dossier and back, both reports."""

import re

from playwright.sync_api import expect

from app.models import ContactRole
from tests.conftest import PASSWORD


def test_contact_searches_opens_a_dossier_and_downloads_the_reports(
    page, factory, tmp_path
):
    organisation = factory.organisation(werkgevernummer=1037)
    contact = factory.contact(organisation=organisation, role=ContactRole.EERSTE)
    for name in ("Anna de Vries", "Bram Jansen", "Cor Bakker"):
        professional = factory.professional(name=name)
        factory.period(professional, earned_points=4)
        factory.activity(professional, description=f"Cursus van {name}")
        factory.inzage(professional, contact)

    page.goto("/login")
    page.get_by_label("Gebruikersnaam").first.fill(contact.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Totaal personen: 3")).to_be_visible()
    rows = page.locator("table.professionals-table tbody tr")
    expect(rows).to_have_count(3)

    page.evaluate("window.notReloaded = true")
    page.get_by_label("Professional").fill("bram")
    expect(rows).to_have_count(1)
    expect(page.get_by_text("Totaal personen: 1")).to_be_visible()
    expect(page).to_have_url(re.compile(r"professional=bram"))
    assert page.evaluate("window.notReloaded") is True

    page.get_by_role("link", name=re.compile("Open dossier")).click()
    expect(
        page.get_by_role("heading", name="PE-dossier van Bram Jansen")
    ).to_be_visible()
    expect(page.get_by_text("Cursus van Bram Jansen")).to_be_visible()
    page.go_back()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Professional")).to_have_value("bram")

    page.get_by_role("link", name="Rapportage").click()
    expect(page.get_by_text("Totaal personen: 3")).to_be_visible()
    with page.expect_download() as xlsx:
        page.get_by_role("button", name="Download Excel (XLSX)").click()
    assert xlsx.value.suggested_filename.startswith("werkgeversrapport-1037-")
    assert xlsx.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("button", name="Maak PDF").click()
    # The first PDF also starts the render processes: allow for a busy machine.
    download_button = page.get_by_role("button", name="Download PDF")
    expect(download_button).to_be_visible(timeout=30_000)
    with page.expect_download() as pdf:
        download_button.click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    pdf.value.save_as(tmp_path / "rapport.pdf")
    assert (tmp_path / "rapport.pdf").read_bytes().startswith(b"%PDF")
