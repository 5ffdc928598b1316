"""Flow 6: the employer report as a page, an XLSX workbook and a PDF made by a job."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.clock import today
from app.models import AuditEvent, ContactRole, ReportJob, db, utcnow
from app.reports import jobs, pdf
from app.reports.query import ReportHeader, ReportRow

HOSTILE_NAMES = ["=1+1", "@SUM(A1)", "+31", "-2", "\tTab", "Bel\x07l"]


@pytest.fixture
def organisation(factory):
    factory.register()
    return factory.organisation(werkgevernummer=1037, name="Werkgever 1037 SEU")


@pytest.fixture
def beheerder(factory, organisation):
    return factory.contact(
        organisation=organisation, role=ContactRole.EERSTE, name="Eva Eerste"
    )


def member(factory, organisation, name, earned=0, **period):
    """A professional with inzage to a manager of ``organisation``."""
    manager = factory.contact(organisation=organisation)
    professional = factory.professional(name=name)
    factory.period(professional, earned_points=Decimal(earned), **period)
    factory.inzage(professional, manager)
    return professional


def test_report_lists_every_pe_medewerker_sorted_by_name(
    client, factory, login, organisation, beheerder
):
    member(factory, organisation, "Zoë Zwart", earned=12)
    member(factory, organisation, "Anna Appel", earned=3)
    outsider = factory.professional(name="Otto Ander")
    factory.inzage(outsider, factory.contact())
    login(beheerder)

    html = client.get("/professionals/rapportage").get_data(as_text=True)

    assert "Werkgevers rapport - Geregistreerde werknemers" in html
    assert "Register SEU" in html and "1037 Werkgever 1037 SEU" in html
    assert "door Eva Eerste" in html
    assert html.index("Anna Appel") < html.index("Zoë Zwart")
    assert "Otto Ander" not in html
    assert "Totaal personen: 2" in html


def test_report_filters_on_status_and_period_end(
    client, factory, login, organisation, beheerder
):
    member(factory, organisation, "Klaar Karel", earned=12)
    member(factory, organisation, "Bezig Bea", earned=4)
    member(
        factory,
        organisation,
        "Eindigt Binnenkort",
        start=today() - timedelta(days=700),
        end_date=today() + timedelta(days=20),
    )
    login(beheerder)

    done = client.get("/professionals/rapportage?status=Voltooid").get_data(True)
    soon = client.get("/professionals/rapportage?maanden=1").get_data(True)

    assert "Klaar Karel" in done and "Bezig Bea" not in done
    assert "Eindigt Binnenkort" in soon and "Klaar Karel" not in soon


def test_inactive_contacts_inzage_does_not_make_a_member(
    client, factory, login, organisation, beheerder
):
    inactive = factory.contact(organisation=organisation, active=False)
    professional = factory.professional(name="Via Inactief")
    factory.inzage(professional, inactive)
    login(beheerder)

    html = client.get("/professionals/rapportage").get_data(as_text=True)

    assert "Via Inactief" not in html and "Totaal personen: 0" in html


def test_manager_gets_not_found_for_every_report_address(
    client, factory, login, organisation
):
    login(factory.contact(organisation=organisation, role=ContactRole.MANAGER))

    for response in (
        client.get("/professionals/rapportage"),
        client.get("/professionals/rapportage.xlsx"),
        client.post("/professionals/rapportage/pdf"),
    ):
        assert response.status_code == 404


def test_staff_choose_the_organisation(client, factory, login, organisation):
    member(factory, organisation, "Anna Appel")
    login(factory.staff())

    choose = client.get("/professionals/rapportage").get_data(as_text=True)
    report = client.get(f"/professionals/rapportage?organisation_id={organisation.id}")

    assert "Werkgever 1037 SEU" in choose
    assert "Anna Appel" in report.get_data(as_text=True)
    job = client.post(
        "/professionals/rapportage/pdf", data={"organisation_id": organisation.id}
    )
    download = client.get(job.headers["Location"] + "/bestand")
    assert download.status_code == 200
    assert "Anna Appel" in PdfReader(io.BytesIO(download.data)).pages[0].extract_text()


def test_xlsx_has_typed_cells_and_no_formulas(
    client, factory, login, organisation, beheerder, db_session
):
    for name in HOSTILE_NAMES:
        member(factory, organisation, name, earned="8.5")
    login(beheerder)

    response = client.get("/professionals/rapportage.xlsx")

    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert f"werkgeversrapport-1037-{today():%Y-%m-%d}.xlsx" in disposition
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [sheet.cell(row=r, column=1).value for r in range(8, 8 + 6)]
    assert sorted(names) == sorted(["=1+1", "@SUM(A1)", "+31", "-2", "Tab", "Bell"])
    assert sheet["A1"].value == "Werkgevers rapport - Geregistreerde werknemers"
    assert sheet.freeze_panes == "A8"
    assert sheet["A7"].value == "Naam werknemer" and sheet["A7"].font.b
    assert sheet.auto_filter.ref == "A7:J13"
    start, points, number = sheet["F8"], sheet["H8"], sheet["C8"]
    assert isinstance(start.value, datetime) and start.number_format == "dd-mm-yyyy"
    assert points.value == 8.5 and points.number_format == "0.0"
    assert number.value == 1037
    downloads = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.downloaded")
    ).all()
    assert [e.details["file_format"] for e in downloads] == ["xlsx"]


def test_pdf_job_runs_and_only_the_requester_downloads(
    client, app, factory, login, organisation, beheerder
):
    member(factory, organisation, "Anna Appel", earned=8)
    member(factory, organisation, '<img src="file:///etc/passwd">', earned=1)
    login(beheerder)

    queued = client.post("/professionals/rapportage/pdf")
    job_page = client.get(queued.headers["Location"])
    token = queued.headers["Location"].rsplit("/", 1)[1]

    # Another beheerder of the same organisation may not see or take the file.
    other = app.test_client()
    second = factory.contact(
        organisation=organisation, role=ContactRole.PLAATSVERVANGER
    )
    login(second, test_client=other)
    assert other.get(f"/professionals/rapportage/taken/{token}").status_code == 404
    assert (
        other.get(f"/professionals/rapportage/taken/{token}/bestand").status_code == 404
    )
    download = client.get(f"/professionals/rapportage/taken/{token}/bestand")

    assert queued.status_code == 303
    assert "Download PDF" in job_page.get_data(as_text=True)
    assert download.status_code == 200
    assert (
        f"werkgeversrapport-1037-{today():%Y-%m-%d}.pdf"
        in (download.headers["Content-Disposition"])
    )
    text = PdfReader(io.BytesIO(download.data)).pages[0].extract_text()
    assert "Anna Appel" in text and "pagina 1 van 1" in text
    assert '<img src="file:///etc/passwd">' in text
    assert "root:" not in text

    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "report.requested" in actions and "report.downloaded" in actions


def test_expired_pdf_is_no_longer_offered(
    client, app, factory, login, organisation, beheerder
):
    member(factory, organisation, "Anna Appel")
    login(beheerder)
    location = client.post("/professionals/rapportage/pdf").headers["Location"]
    token = location.rsplit("/", 1)[1]
    with app.app_context():
        job = db.session.scalar(select(ReportJob).filter_by(token=token))
        job.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert jobs.remove_expired_files() == 1

    page = client.get(location).get_data(as_text=True)

    assert "verlopen" in page
    assert client.get(f"{location}/bestand").status_code == 404


def test_worker_claims_and_makes_a_queued_job(app, factory, organisation, beheerder):
    member(factory, organisation, "Anna Appel")
    with app.app_context():
        job = jobs.create_pdf_job(
            SimpleNamespace(id=organisation.id),
            db.session.get(type(beheerder), beheerder.id),
            jobs.ReportFilters(),
        )
        job_id = job.id

        jobs.work(once=True)

        done = db.session.get(ReportJob, job_id)
        assert done.status == "done" and done.total == 1
        assert jobs.claim_next_job() is None


def test_worker_takes_over_a_job_whose_worker_died(
    app, factory, organisation, beheerder
):
    member(factory, organisation, "Anna Appel")
    with app.app_context():
        job = jobs.create_pdf_job(
            SimpleNamespace(id=organisation.id),
            db.session.get(type(beheerder), beheerder.id),
            jobs.ReportFilters(),
        )
        job.status, job.started_at = "running", utcnow() - timedelta(hours=1)
        db.session.commit()
        job_id = job.id

        jobs.work(once=True)

        assert db.session.get(ReportJob, job_id).status == "done"


def header():
    return ReportHeader(
        title="Werkgevers rapport - Geregistreerde werknemers",
        register="Register SEU",
        werkgevernummer=1037,
        organisation="Werkgever 1037 SEU",
        made_at=datetime(2026, 1, 2, 9, 30, tzinfo=UTC),
        made_by="Eva Eerste",
        filters="geen",
    )


def row(n):
    return ReportRow(
        name=f"Professional {n:03}",
        seu_nummer=f"SEU{n:06}",
        werkgevernummer=1037,
        werkgever="Werkgever 1037 SEU",
        registratie="Register SEU",
        start_date=date(2025, 10, 31),
        end_date=date(2027, 10, 30),
        points=Decimal("12.3"),
        status="Voltooid",
        other="",
    )


def test_pdf_chunks_are_joined_with_numbering_over_the_whole_document(monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK_PAGES", 1)
    rows = [row(n) for n in range(pdf.ROWS_PER_PAGE * 2 + 3)]
    seen = []

    content = pdf.build_pdf(header(), rows, progress=lambda *p: seen.append(p))

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert f"pagina {number} van 3" in text
        assert "Naam werknemer" in text and "Werkgever: 1037" in text
    assert "Professional 000" in pages[0] and "Professional 066" in pages[2]
    assert re.search(r"Professional 001\s+SEU000001\s+1037", pages[0])
    assert "12,3" in pages[0] and "30-10-2027" in pages[0]
    assert seen[-1] == (3, 3)


def test_pdf_fetcher_reads_only_packaged_static_files():
    fetcher = pdf._fetcher()

    css = fetcher.fetch(pdf.STATIC_BASE + "app.css")
    assert b"Pico" in css.read()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1/",
        pdf.STATIC_BASE + "../__init__.py",
        pdf.STATIC_BASE + "%2e%2e/config.py",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
