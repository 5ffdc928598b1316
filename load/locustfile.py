"""Virtual users for ``make load``: professionals, managers and beheerders.

Every user signs in once through the real login form (CSRF token from the page)
and then browses like a person would. The requests arrive as if through the TLS
proxy of production: X-Forwarded-Proto https, a client address of their own in
X-Forwarded-For, and a same-origin Referer on posts (Flask-WTF checks it over
https). Each grant and revoke that the application confirmed is written as one
JSON line to LOAD_LOG, so that ``load.run`` can check the database afterwards.
"""

import http.cookiejar
import itertools
import json
import os
import random
import re
import time
from datetime import timedelta
from pathlib import Path

from locust import FastHttpUser, between, task

from app.clock import today

ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
SUCCESS_LOG = open(os.environ["LOAD_LOG"], "a", encoding="utf-8")  # noqa: SIM115
WAIT = (
    float(os.environ.get("LOAD_WAIT_MIN", "0.5")),
    float(os.environ.get("LOAD_WAIT_MAX", "2.0")),
)

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
OPTION = re.compile(r'<option value="(\d+)">')
REVOKE_LINK = re.compile(r'href="/mijn/inzage/(\d+)/intrekken"')
DOSSIER_LINK = re.compile(r'href="/professionals/(\d+)\?')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_next_account = {kind: itertools.count() for kind in ACCOUNTS if kind != "password"}
_next_address = itertools.count(1)


def record(**event) -> None:
    """Note a change the application confirmed; read back by the database check."""
    SUCCESS_LOG.write(json.dumps({"t": time.time(), **event}) + "\n")
    SUCCESS_LOG.flush()


class BehindTlsProxy(http.cookiejar.DefaultCookiePolicy):
    """Send the Secure session cookie over plain http, as the TLS proxy would."""

    def return_ok_secure(self, cookie, request):
        return True


class Visitor(FastHttpUser):
    """A signed-in person; subclasses say which kind of account and what they do."""

    abstract = True
    wait_time = between(*WAIT)
    accounts = ""

    def on_start(self):
        pool = ACCOUNTS[self.accounts]
        self.account = pool[next(_next_account[self.accounts]) % len(pool)]
        address = next(_next_address)
        self.proxy_headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"10.20.{address // 250}.{address % 250 + 1}",
        }
        self.client.cookiejar.set_policy(BehindTlsProxy())
        self.csrf = self.sign_in()

    # --- requests ---------------------------------------------------------------------

    def _headers(self, htmx: bool, post: bool) -> dict:
        headers = dict(self.proxy_headers)
        if htmx:
            headers["HX-Request"] = "true"
        if post:
            headers["Referer"] = f"https://{self.host.split('://', 1)[1]}/"
            if htmx:
                headers["X-CSRFToken"] = self.csrf
        return headers

    def get(self, path, name=None, htmx=False, mimetype="text/html", refused=None):
        """GET ``path``; anything but 200 with ``mimetype`` is a failure, except a
        404 for which ``refused(response)`` answers True."""
        with self.client.get(
            path,
            name=name or path.split("?")[0],
            headers=self._headers(htmx, post=False),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 404 and refused and refused(response):
                response.success()
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif mimetype not in response.headers.get("Content-Type", ""):
                response.failure(f"type {response.headers.get('Content-Type')}")
            return response

    def post(self, path, data, name=None, htmx=False, expect=302):
        with self.client.post(
            path,
            data=data,
            name=name or path,
            headers=self._headers(htmx, post=True),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            ok = response.status_code == expect
            if not ok:
                response.failure(f"status {response.status_code}")
            return response, ok

    def sign_in(self) -> str:
        page = self.get("/login").text or ""
        token = CSRF_META.search(page).group(1)
        response, ok = self.post(
            "/login",
            {
                "identifier": self.account["login"],
                "password": ACCOUNTS["password"],
                "csrf_token": token,
            },
        )
        if ok and "/login" in response.headers.get("Location", ""):
            response.failure("sign-in refused")
        return token


class Professional(Visitor):
    """Looks at the own inzage, searches employers, grants and revokes inzage."""

    weight = 30
    accounts = "professionals"

    def on_start(self):
        super().on_start()
        self.live_ids: list[int] = []

    @task(4)
    def inzage_list(self):
        page = self.get("/mijn/inzage").text or ""
        self.live_ids = [int(i) for i in REVOKE_LINK.findall(page)]

    @task(2)
    def own_dossier(self):
        self.get("/mijn/dossier")

    @task(2)
    def search_employers(self):
        term = random.choice(ACCOUNTS["employer_terms"])
        self.get(f"/mijn/inzage/werkgevers?q={term}", htmx=True)

    @task(2)
    def grant(self):
        term = random.choice(ACCOUNTS["employer_terms"] + [""])
        options = self.get(f"/mijn/inzage/werkgevers?q={term}", htmx=True).text or ""
        organisations = OPTION.findall(options)
        if not organisations:
            return
        organisation_id = random.choice(organisations)
        options = self.get(
            f"/mijn/inzage/contacten?organisation_id={organisation_id}",
            name="/mijn/inzage/contacten?organisation_id=N",
            htmx=True,
        ).text
        contacts = OPTION.findall(options or "")
        if not contacts:
            return
        contact_id = int(random.choice(contacts))
        valid_until = None
        if random.random() < 0.7:
            valid_until = today() + timedelta(days=random.randint(1, 700))
        typed = ""
        if valid_until is not None:  # as typed, or as a date picker sends it
            typed = random.choice(
                [valid_until.strftime("%d-%m-%Y"), valid_until.isoformat()]
            )
        _, ok = self.post(
            "/mijn/inzage/toevoegen",
            {
                "csrf_token": self.csrf,
                "organisation_id": organisation_id,
                "contact_id": contact_id,
                "valid_until": typed,
            },
        )
        if ok:
            record(
                action="grant",
                professional_id=self.account["id"],
                contact_id=contact_id,
                valid_until=valid_until.isoformat() if valid_until else None,
            )

    @task(1)
    def revoke(self):
        if not self.live_ids:
            return self.inzage_list()
        inzage_id = self.live_ids.pop(random.randrange(len(self.live_ids)))
        response, ok = self.post(
            f"/mijn/inzage/{inzage_id}/intrekken",
            {},
            name="/mijn/inzage/<id>/intrekken",
            htmx=True,
            expect=200,
        )
        if ok and "is ingetrokken" in (response.text or ""):
            record(
                action="revoke",
                professional_id=self.account["id"],
                inzage_id=inzage_id,
            )
        elif ok:
            response.failure("no confirmation in the answer")


class Manager(Visitor):
    """A contact: lists and searches their professionals and opens dossiers."""

    weight = 14
    accounts = "managers"

    def on_start(self):
        super().on_start()
        self.dossier_ids: list[int] = []

    @task(3)
    def professionals(self):
        page = self.get("/professionals/").text or ""
        self.dossier_ids = [int(i) for i in DOSSIER_LINK.findall(page)]

    @task(3)
    def search(self):
        term = random.choice(ACCOUNTS["search_terms"])
        htmx = random.random() < 0.5
        page = self.get(
            f"/professionals/?professional={term}&sort=voortgang",
            name="/professionals/?professional=..&sort=voortgang",
            htmx=htmx,
        ).text
        found = [int(i) for i in DOSSIER_LINK.findall(page or "")]
        self.dossier_ids = found or self.dossier_ids

    @task(3)
    def open_dossier(self):
        if not self.dossier_ids:
            return self.professionals()
        professional_id = random.choice(self.dossier_ids)

        def refused(response):
            # The professional may have revoked this contact's inzage since the
            # list was shown; load.run checks that against the database.
            record(
                action="refused",
                contact_id=self.account["id"],
                professional_id=professional_id,
            )
            self.dossier_ids.remove(professional_id)
            return True

        self.get(
            f"/professionals/{professional_id}",
            name="/professionals/<id>",
            refused=refused,
        )


class Beheerder(Manager):
    """A 1e or 2e contactpersoon: what a manager does, and the report."""

    weight = 6
    accounts = "beheerders"

    @task(2)
    def report(self):
        self.get("/professionals/rapportage")

    @task(1)
    def report_xlsx(self):
        self.get("/professionals/rapportage.xlsx", mimetype=XLSX)
