"""Walk the application as one user: follow every link and htmx GET on every page
reached, so that pages with object ids are found without a list to keep up."""

from collections import Counter, deque
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from werkzeug.exceptions import HTTPException

#: Paths never followed: they sign out or are not pages.
SKIP_PREFIXES = ("/static/", "/logout")
#: Routes that answer, but with no page for people (a load balancer's check).
NOT_PAGES = {"main.health"}


@dataclass
class Visit:
    path: str
    endpoint: str
    status: int
    content_type: str
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def local_links(html: str, base: str) -> list[str]:
    """Same-site GET targets on a page: links, htmx GETs and GET forms."""
    if not html.strip():
        return []
    document = lxml.html.fromstring(html)
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("href", "hx-get"):
            if element.get(attribute):
                found.append(element.get(attribute))
        if element.tag == "form" and (element.get("method") or "get").lower() == "get":
            found.append(element.get("action") or base)
    links = []
    for link in found:
        parts = urlsplit(urljoin("http://localhost" + base, link))
        if parts.netloc != "localhost" or parts.path.startswith(SKIP_PREFIXES):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def entry_paths(app) -> list[str]:
    """Every GET route without arguments: where a walk starts."""
    paths = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and not rule.rule.startswith(SKIP_PREFIXES)
    }
    return sorted(paths)


def crawl(app, client, start=None, limit: int = 80, per_endpoint: int = 3):
    """Visit pages reachable from ``start`` (default: every route without
    arguments); at most ``per_endpoint`` addresses per route."""
    adapter = app.url_map.bind("localhost")
    queue = deque(start or entry_paths(app))
    seen, visits, per = set(), [], Counter()
    while queue and len(visits) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        try:
            endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
        except HTTPException:
            endpoint = "?"
        if per[endpoint] >= per_endpoint or endpoint in NOT_PAGES:
            continue
        per[endpoint] += 1
        response = client.get(path)
        if response.status_code in (301, 302, 303) and response.location:
            target = urlsplit(urljoin("http://localhost" + path, response.location))
            if target.netloc == "localhost":
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
            continue
        visit = Visit(
            path,
            endpoint,
            response.status_code,
            response.content_type or "",
            response.get_data(),
        )
        visits.append(visit)
        if visit.is_html:
            queue.extend(local_links(visit.text, urlsplit(path).path))
    return visits
