"""Names and descriptions with markup, htmx attributes, script and template syntax
are shown as text everywhere: full pages, htmx partials, e-mails, PDF and XLSX.

Every object of the world gets a hostile name; each kind of user then walks every
page reachable by links (tests/hostile_crawl.py), fetched both as a full page and
as an htmx partial, and the parsed document is checked for anything the names
could have injected.
"""

import io

import lxml.html
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app import mail
from app.auth.emails import send_set_password
from app.models import Contact, db
from tests.hostile_crawl import crawl
from tests.hostile_world import build_world

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HX = '" hx-get="/logout" hx-trigger="load'
HX_SINGLE = "' hx-post='/logout' hx-trigger='load"
TEMPLATE = "{{7*7}}"

#: A hostile name per object; the last word is a marker to find it by.
NAMES = {
    "org_a": f"{SCRIPT} Alfa BV",
    "org_b": f"{IMG} Beta NV",
    "org_pending": f"{HX} Gamma VOF",
    "eerste_a": f"{TEMPLATE} Anna",
    "tweede_a": f"{HX_SINGLE} Bram",
    "manager_a": f"{SCRIPT} Cees",
    "eerste_b": f"{HX} Eva",
    "professional": f"{IMG} Hanna",
    "other": f"{TEMPLATE} Ivo",
    "activity": f"{SCRIPT} {HX} {TEMPLATE} Cursus",
    "staff": f"{IMG} Karin",
}
#: What must never reach a page unescaped.
RAW = [SCRIPT, IMG, HX, HX_SINGLE, "<b>"]
#: What a template engine evaluating a name would produce.
EVALUATED = ["49 Anna", "49 Ivo", "49 Cursus"]


@pytest.fixture
def world(app, factory, login):
    return build_world(app, factory, login, names=NAMES)


def assert_inert(html: str, where: str) -> None:
    """Nothing in ``html`` came alive from a name: no script, handler or hx-*."""
    for raw in RAW:
        assert raw not in html, f"{where}: {raw!r} unescaped"
    for evaluated in EVALUATED:
        assert evaluated not in html, f"{where}: a name was evaluated as a template"
    if not html.strip():
        return
    document = lxml.html.fromstring(html)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script":
            assert (element.get("src") or "").startswith("/static/"), where
            assert not (element.text or "").strip(), f"{where}: inline script"
        if element.tag == "img":
            assert element.get("src") != "x", f"{where}: injected image"
        for name, value in element.attrib.items():
            assert not name.startswith("on"), f"{where}: handler {name}"
            # hx-confirm and hx-prompt are texts for people: names belong there.
            if name.startswith(("hx-", "data-hx-")) and not name.endswith(
                ("-confirm", "-prompt")
            ):
                assert "/logout" not in value, f"{where}: injected {name}={value}"
                assert value != "load", f"{where}: injected {name}={value}"


#: Names each kind of user must meet on the way, so that escaping is tested where
#: they are really shown.
SHOWN_TO = {
    "anonymous": [],
    "professional": [
        "org_a",
        "org_b",
        "eerste_a",
        "tweede_a",
        "manager_a",
        "professional",
        "activity",
    ],
    "manager": ["manager_a", "professional", "other", "activity"],
    "beheerder": ["eerste_a", "tweede_a", "manager_a", "professional", "other"],
    "staff": [
        "org_a",
        "org_b",
        "org_pending",
        "eerste_a",
        "eerste_b",
        "professional",
        "other",
        "staff",
    ],
    "pending": ["org_pending"],
}
ACTORS = tuple(SHOWN_TO)


@pytest.mark.parametrize("actor", ACTORS)
def test_hostile_names_stay_text_on_every_page_and_partial(world, actor):
    client = world.client(actor)

    visits = crawl(world.app, client)

    pages = [visit for visit in visits if visit.is_html]
    assert pages, f"{actor} reached no page"
    texts = []
    for visit in pages:
        assert visit.status < 500, visit.path
        assert_inert(visit.text, f"{actor} {visit.path}")
        partial = client.get(visit.path, headers={"HX-Request": "true"})
        assert partial.status_code < 500, visit.path
        assert_inert(partial.get_data(as_text=True), f"{actor} {visit.path} (htmx)")
        texts.append(lxml.html.fromstring(visit.text).text_content())
    for visit in visits:
        check_download(visit, f"{actor} {visit.path}")
    missing = [
        key for key in SHOWN_TO[actor] if not any(NAMES[key] in t for t in texts)
    ]
    assert missing == [], "these names are not shown as typed anywhere"


def text_of(response) -> str:
    return lxml.html.fromstring(response.get_data(as_text=True)).text_content()


def check_download(visit, where: str) -> None:
    """PDF text and XLSX cells carry the names as text; no formula cells."""
    if visit.content_type.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(visit.body))
        text = "".join(page.extract_text() for page in reader.pages)
        assert "&lt;" not in text and "&#34;" not in text, f"{where}: escaped twice"
        for evaluated in EVALUATED:
            assert evaluated not in text, f"{where}: a name was evaluated"
    if "spreadsheetml" in visit.content_type:
        workbook = load_workbook(io.BytesIO(visit.body))
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{where}: {cell.coordinate} formula"
                    if isinstance(cell.value, str):
                        assert "&lt;" not in cell.value, f"{where}: escaped twice"


def test_hostile_names_in_emails_are_plain_text(app, client, world, mailbox):
    contact = world.accounts["manager"]
    professional = world.accounts["professional"]
    with app.test_request_context():
        send_set_password(db.session.get(Contact, contact.id), "Welkom.")
        db.session.commit()
        mail.send_pending()
    client.post("/wachtwoord-vergeten", data={"identifier": professional.email})

    for account in (contact, professional):
        (message,) = mailbox.to(account.email)
        assert not message.is_multipart(), "no HTML alternative is produced"
        assert message.get_content_type() == "text/plain"
        body = mailbox.body(message)
        assert account.name in body, "the name is shown as typed"
        assert "&lt;" not in body and "&#34;" not in body, "plain text is not escaped"


def test_hostile_names_stay_text_in_answers_to_htmx_actions(world, mailbox):
    """Rows and lists swapped in after an action, and the e-mails it sends."""
    htmx = {"HX-Request": "true"}
    org_a, _org_b, pending = world.objects["organisation"]
    manager = world.accounts["manager"]
    inzage = world.objects["inzage"][0]
    staff = world.client("staff")
    beheerder = world.client("beheerder")
    hostile_reason = f"{SCRIPT} {HX} {TEMPLATE} Reden"
    rejected = world.factory.organisation(status="requested", name=f"{IMG} Delta")
    world.factory.contact(rejected, "eerste", name=f"{HX_SINGLE} Dora")

    answers = {
        "revoke": world.client("professional").post(
            f"/mijn/inzage/{inzage.id}/intrekken", headers=htmx
        ),
        "authorise": staff.post(
            f"/beheer/aanvragen/{pending.id}/autoriseren", headers=htmx
        ),
        "reject": staff.post(
            f"/beheer/aanvragen/{rejected.id}/afwijzen",
            data={"reason": hostile_reason},
            headers=htmx,
        ),
        "deactivate": beheerder.post(
            f"/organisatie/{org_a.id}/beheerders/{manager.id}/deactiveren",
            data={"confirmed": "1"},
            headers=htmx,
        ),
        "add": beheerder.post(
            f"/organisatie/{org_a.id}/beheerders/toevoegen",
            data={
                "name": f"{SCRIPT} {TEMPLATE} Nieuw",
                "email": "nieuw@werkgever.nl",
                "email_repeat": "nieuw@werkgever.nl",
                "username": "nieuw.contact",
                "role": "manager",
            },
            headers=htmx,
        ),
    }

    for action, response in answers.items():
        body = response.get_data(as_text=True)
        assert response.status_code == 200, action
        assert 'class="flash success"' in body or "row-notice" in body, action
        assert_inert(body, f"htmx {action}")
    assert NAMES["org_a"] in text_of(answers["revoke"])
    assert NAMES["org_pending"] in text_of(answers["authorise"])
    assert NAMES["manager_a"] in text_of(answers["deactivate"])

    messages = list(mailbox.messages)
    assert len(messages) >= 3, "authorised, rejected and new contact were mailed"
    bodies = []
    for message in messages:
        assert message.get_content_type() == "text/plain", message["Subject"]
        bodies.append(mailbox.body(message))
    for body in bodies:
        for escaped in ("&lt;", "&gt;", "&#34;", "&#39;", "&amp;"):
            assert escaped not in body, "plain text shows names as typed"
    everything = "\n".join(bodies)
    for shown in (NAMES["org_pending"], hostile_reason, f"{SCRIPT} {TEMPLATE} Nieuw"):
        assert shown in everything


#: Names a spreadsheet would read as a formula.
FORMULAS = ['=HYPERLINK("http://x.test","klik")', "+SUM(1+1)", "-1+1", "@cmd"]


def test_hostile_names_are_text_in_the_report_files(world):
    """The XLSX has only text cells for names (no formula); the PDF shows them."""
    manager = world.accounts["manager"]
    for name in FORMULAS:
        world.factory.inzage(world.factory.professional(name=name), manager)
    beheerder = world.client("beheerder")

    xlsx = beheerder.get("/professionals/rapportage.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    job = beheerder.post("/professionals/rapportage/pdf", follow_redirects=True)
    link = lxml.html.fromstring(job.data).xpath("//a[contains(@href, '/bestand')]")
    reader = PdfReader(io.BytesIO(beheerder.get(link[0].get("href")).data))
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = {cell.value for cell in cells if isinstance(cell.value, str)}
    for key in ("professional", "other", "org_a"):
        assert NAMES[key] in values, f"{key} is not in the workbook as typed"
    for name in FORMULAS:
        assert name in values, f"{name} is not in the workbook as text"
    # The header holds the whole organisation name; table cells may cut names short.
    assert f"Werkgever: {_own_number(world)} {NAMES['org_a']}" in pdf_text
    for name in (NAMES["professional"], NAMES["other"], *FORMULAS):
        assert name[:20] in pdf_text, f"{name} is not in the PDF as typed"
    for escaped in ("&lt;", "&#34;", "&quot;", "&amp;"):
        assert escaped not in pdf_text, "the PDF shows names as typed, not escaped"


def _own_number(world) -> int:
    return world.objects["organisation"][0].werkgevernummer
