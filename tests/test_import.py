"""Register staff load professionals, periods and activities from XLSX or CSV."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.models import (
    Activity,
    AuditEvent,
    Professional,
    RegistrationPeriod,
    db,
)

PROFESSIONALS = [
    ["SEU-nummer", "Naam", "E-mailadres"],
    ["100001", "Jan de Vries", "Jan.deVries@Example.nl"],
    ["100002", "Fatma Yilmaz", "fatma@example.nl"],
]
PERIODS = [
    ["SEU-nummer", "Startdatum", "Einddatum", "Norm", "Dossier ingediend op"],
    ["100001", "31-10-2025", "30-10-2027", "12", ""],
    ["100002", "01-01-2025", "31-12-2026", "", "15-12-2026"],
]
ACTIVITIES = [
    [
        "SEU-nummer",
        "Datum",
        "Categorie",
        "Omschrijving",
        "ID-nummer",
        "Punten",
        "Status",
    ],
    ["100001", "31-10-2025", "Vakinhoudelijk", "Cursus A", "650001", "0,5", ""],
    [
        "100001",
        "30-10-2027",
        "Vakinhoudelijk",
        "Cursus B",
        "650002",
        "0.3",
        "Goedgekeurd",
    ],
    ["100002", "01-02-2025", "Vaardigheden", "Training C", "650003", "12", ""],
]


def xlsx(**sheets) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter=";", bom=True) -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    return text.encode("utf-8-sig" if bom else "utf-8")


def the_file() -> bytes:
    return xlsx(Professionals=PROFESSIONALS, Periodes=PERIODS, Activiteiten=ACTIVITIES)


@pytest.fixture
def staff_client(factory, login):
    factory.register()
    return login(factory.staff())


def upload(client, content: bytes, filename: str = "register.xlsx"):
    return client.post(
        "/beheer/gegevens-laden",
        data={"register_id": "1", "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count(model.id)))
            for model in (Professional, RegistrationPeriod, Activity)
        )


def test_only_staff_may_load_data(factory, login, client):
    assert client.get("/beheer/gegevens-laden").status_code == 302  # to login
    assert (
        login(factory.professional()).get("/beheer/gegevens-laden").status_code == 404
    )


def test_page_explains_the_layout_and_offers_templates(staff_client):
    html = staff_client.get("/beheer/gegevens-laden").get_data(as_text=True)

    assert "Sjabloon downloaden (XLSX)" in html
    template = staff_client.get("/beheer/gegevens-laden/sjabloon.xlsx")
    workbook = load_workbook(io.BytesIO(template.data), read_only=True)
    assert workbook.sheetnames == ["Professionals", "Periodes", "Activiteiten"]
    header = next(workbook["Activiteiten"].iter_rows(values_only=True))
    assert header[-2:] == ("Punten", "Status")
    csv_template = staff_client.get("/beheer/gegevens-laden/sjabloon-periodes.csv")
    assert csv_template.data.decode("utf-8-sig").startswith("SEU-nummer;Startdatum")


def test_a_clean_xlsx_is_applied_with_progress_and_invitations(
    app, staff_client, mailbox
):
    response = upload(staff_client, the_file())

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Professionals: 2 nieuw" in html and "Activiteiten: 3 nieuw" in html
    assert counts(app) == (2, 2, 3)
    with app.app_context():
        jan = db.session.scalar(select(Professional).filter_by(seu_nummer="100001"))
        assert jan.email == "jan.devries@example.nl"
        assert jan.password_hash is None
        periods = {
            p.professional.seu_nummer: p
            for p in db.session.scalars(select(RegistrationPeriod))
        }
        assert periods["100001"].earned_points == Decimal("0.8")
        assert periods["100002"].norm_points == Decimal("12")  # the register's
        assert periods["100002"].dossier_submitted_on == date(2026, 12, 15)
        statuses = dict(
            db.session.execute(select(Activity.external_id, Activity.status)).all()
        )
        assert statuses == {
            "650001": "Toegevoegd",
            "650002": "Goedgekeurd",
            "650003": "Toegevoegd",
        }
    [invitation] = mailbox.to("jan.devries@example.nl")
    assert "100001" in mailbox.body(invitation)
    assert mailbox.last_link("jan.devries@example.nl", "/wachtwoord/set-password/")


def test_the_same_file_twice_changes_nothing(app, staff_client, mailbox):
    upload(staff_client, the_file())
    with app.app_context():
        audits = db.session.scalar(select(func.count(AuditEvent.id)))
    mailbox.clear()

    response = upload(staff_client, the_file())

    assert "er is niets veranderd" in response.get_data(as_text=True)
    assert counts(app) == (2, 2, 3)
    assert mailbox.messages == []
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == audits


def test_a_changed_row_updates_in_place(app, staff_client):
    upload(staff_client, the_file())
    changed = [row[:] for row in ACTIVITIES]
    changed[1][5] = "4"

    response = upload(staff_client, xlsx(Activiteiten=changed))

    assert "Activiteiten: 0 nieuw, 1 gewijzigd, 2 ongewijzigd" in response.get_data(
        as_text=True
    )
    assert counts(app) == (2, 2, 3)
    with app.app_context():
        period = db.session.scalar(
            select(RegistrationPeriod).where(
                RegistrationPeriod.start_date == date(2025, 10, 31)
            )
        )
        assert period.earned_points == Decimal("4.3")


def test_real_date_cells_and_numbers_in_xlsx(app, staff_client):
    periods = [PERIODS[0], [100001, datetime(2025, 10, 31), datetime(2027, 10, 30), 12]]
    activities = [
        ACTIVITIES[0],
        [100001, datetime(2026, 3, 1), "Cat", "Cursus", 650009, 2.5, None],
    ]
    content = xlsx(
        Professionals=PROFESSIONALS[:2], Periodes=periods, Activiteiten=activities
    )

    response = upload(staff_client, content)

    assert "Activiteiten: 1 nieuw" in response.get_data(as_text=True)
    with app.app_context():
        activity = db.session.scalar(select(Activity))
        assert activity.external_id == "650009"
        assert activity.points == Decimal("2.5")
        assert activity.activity_date == date(2026, 3, 1)


@pytest.mark.parametrize("delimiter, bom", [(";", True), (",", False)])
def test_csv_one_kind_per_file(app, staff_client, delimiter, bom):
    first = upload(
        staff_client, csv_bytes(PROFESSIONALS, delimiter, bom), "professionals.csv"
    )
    activities = [[cell.replace(",", ".") for cell in row] for row in ACTIVITIES]
    second = upload(
        staff_client, csv_bytes(activities, delimiter, bom), "activiteiten.csv"
    )

    assert "Professionals: 2 nieuw" in first.get_data(as_text=True)
    assert "Activiteiten: 3 nieuw" in second.get_data(as_text=True)
    assert counts(app) == (2, 0, 3)


def test_errors_are_listed_by_row_and_column_and_nothing_is_written(
    app, staff_client, mailbox
):
    professionals = PROFESSIONALS + [
        ["100003", "", "geen-adres"],
        ["100001", "Dubbel", "dubbel@example.nl"],
    ]
    periods = PERIODS + [["100009", "31-13-2025", "01-01-2025", "0", ""]]
    activities = ACTIVITIES + [
        ["100001", "1-1-26", "Cat", "Cursus", "650010", "2,55", ""],
        ["100002", "01-03-2025", "Cat", "Cursus", "650003", "abc", ""],
    ]
    content = xlsx(
        Professionals=professionals, Periodes=periods, Activiteiten=activities
    )

    response = upload(staff_client, content)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Het bestand is niet geladen" in html
    for message in [
        "Rij 4, kolom Naam: vul dit veld in.",
        "Rij 4, kolom E-mailadres: &#39;geen-adres&#39; is geen geldig e-mailadres.",
        "Rij 5, kolom SEU-nummer: 100001 staat al in rij 2.",
        "Rij 4, kolom SEU-nummer: 100009 is onbekend",
        "Rij 4, kolom Startdatum: &#39;31-13-2025&#39; is geen geldige datum",
        "Rij 4, kolom Norm: de norm moet groter dan 0 zijn.",
        "Rij 5, kolom Datum: &#39;1-1-26&#39; is geen geldige datum",
        "Rij 5, kolom Punten: &#39;2,55&#39; heeft meer dan één decimaal.",
        "Rij 6, kolom Punten: &#39;abc&#39; is geen getal",
        "Rij 6, kolom ID-nummer: activiteit 650003 van 100002 staat al in rij 4.",
    ]:
        assert message in html, message
    assert counts(app) == (0, 0, 0)
    assert mailbox.messages == []
    assert html.index("Rij 4, kolom Naam") < html.index("Rij 4, kolom Startdatum")
    assert html.index("Rij 5, kolom Datum") < html.index("Rij 5, kolom Punten")


def test_missing_columns_and_unknown_sheets_are_explained(app, staff_client):
    no_points = [row[:5] for row in ACTIVITIES]
    content = xlsx(Professionals=PROFESSIONALS, Activiteiten=no_points)

    html = upload(staff_client, content).get_data(as_text=True)
    other = upload(staff_client, xlsx(Blad1=PROFESSIONALS)).get_data(as_text=True)

    assert "Rij 1, kolom Punten: deze kolom ontbreekt in de kopregel." in html
    assert "geen blad met de naam Professionals" in other
    assert counts(app) == (0, 0, 0)


def test_an_email_of_another_professional_is_refused(app, factory, staff_client):
    factory.professional(seu_nummer="999999", email="fatma@example.nl")

    html = upload(staff_client, the_file()).get_data(as_text=True)

    assert (
        "Rij 3, kolom E-mailadres: fatma@example.nl hoort al bij SEU-nummer 999999."
        in html
    )
    assert counts(app) == (1, 0, 0)


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"not a spreadsheet", "register.xlsx", "kan niet als XLSX worden gelezen"),
        (b"%PDF-1.4", "register.pdf", "Kies een bestand van het type .xlsx of .csv."),
        ("SEU-nummer;Naam\n".encode("utf-16"), "register.csv", "niet in UTF-8"),
        (b"a;b;c\n1;2;3\n", "register.csv", "past bij geen van de soorten"),
    ],
)
def test_unreadable_files_are_refused_in_dutch(
    staff_client, content, filename, message
):
    response = upload(staff_client, content, filename)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_too_large_an_upload_gets_the_dutch_413_page(app, staff_client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)

    response = upload(staff_client, b"x" * 5000, "groot.csv")

    assert response.status_code == 413
    assert "Bestand te groot" in response.get_data(as_text=True)


# --- staff pages for professionals -------------------------------------------------


def test_staff_search_takes_percent_and_underscore_literally(factory, staff_client):
    factory.professional(name="Anna_Appel")
    factory.professional(name="Anna Xappel")

    underscore = staff_client.get("/beheer/professionals?q=a_a").get_data(as_text=True)
    percent = staff_client.get("/beheer/professionals?q=%25").get_data(as_text=True)

    assert "Anna_Appel" in underscore and "Anna Xappel" not in underscore
    assert "Totaal personen: 0" in percent


def test_staff_find_professionals_and_resend_the_invitation(
    factory, staff_client, mailbox
):
    factory.professional(name="Anna Appel", password=None, email="anna@example.nl")
    factory.professional(name="Bert Peer", seu_nummer="SEU777")

    found = staff_client.get("/beheer/professionals?q=seu777").get_data(as_text=True)
    anna = staff_client.get("/beheer/professionals?q=anna").get_data(as_text=True)

    assert "Bert Peer" in found and "Anna Appel" not in found
    assert "Totaal personen: 1" in anna and "Nog geen wachtwoord" in anna
    professional_id = anna.split("/beheer/professionals/")[1].split('"')[0]
    professional_id = professional_id.split("/")[0]

    response = staff_client.post(
        f"/beheer/professionals/{professional_id}/uitnodiging",
        data={"q": "anna"},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beheer/professionals?q=anna")
    assert mailbox.last_link("anna@example.nl", "/wachtwoord/set-password/")


def test_staff_mark_a_dossier_as_submitted(app, factory, staff_client, login, client):
    professional = factory.professional()
    period = factory.period(professional, start=date(2024, 1, 1))
    field = f"period{period.id}-submitted_on"
    url = f"/beheer/professionals/{professional.id}/periodes/{period.id}/ingediend"

    future = staff_client.post(url, data={field: "31-12-2099"})
    saved = staff_client.post(url, data={field: "15-11-2025"})

    assert future.status_code == 422
    assert "0 van 12 · Te doen · 0%" in future.get_data(as_text=True)
    assert "kan niet in de toekomst liggen" in future.get_data(as_text=True)
    assert saved.status_code == 302
    with app.app_context():
        stored = db.session.get(RegistrationPeriod, period.id)
        assert stored.dossier_submitted_on == date(2025, 11, 15)
    own = login(professional, test_client=app.test_client())
    assert "Dossier ingediend op 15-11-2025" in own.get("/mijn/dossier").get_data(
        as_text=True
    )


def test_an_imported_professional_sets_a_password_and_signs_in_with_seu(
    app, staff_client, mailbox
):
    upload(staff_client, the_file())
    link = mailbox.last_link("fatma@example.nl", "/wachtwoord/set-password/")
    path = link.removeprefix("http://pe-inzage.test")
    client = app.test_client()

    client.post(
        path,
        data={
            "password": "een lang wachtwoord",
            "password_repeat": "een lang wachtwoord",
        },
    )
    response = client.post(
        "/login", data={"identifier": "100002", "password": "een lang wachtwoord"}
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mijn/dossier")
    assert "Training C" in client.get("/mijn/dossier").get_data(as_text=True)
