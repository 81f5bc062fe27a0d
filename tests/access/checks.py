"""What the walk checks on every response, and how it reports what it found.

Beyond the status code: HTML pages must carry a strict Content-Security-Policy
and contain nothing it would block (inline script, inline style, event-handler
attributes), and no response may name or link to a record the caller cannot see."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# Attributes whose value is a URL the page will follow (links, forms, htmx).
_URL = re.compile(r"""\s(?:href|action|src|hx-(?:get|post|put|patch|delete))\s*=\s*["']([^"']+)""")
_TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:\s[^>]*)?)>")
_ATTR = re.compile(r"""\s([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
# Data blocks (`json_script`) are never executed, so the policy does not apply to them.
DATA_SCRIPTS = {"application/json", "application/ld+json"}


def _page_problems(html: str) -> list[str]:
    """Inline script, inline style and inline event handlers: what a strict
    Content-Security-Policy would block (found with regexes: fast, and the
    pages are our own well-formed templates)."""
    problems = []
    for match in _TAG.finditer(html):
        tag = match.group(1).lower()
        attrs = {n.lower(): v.strip("\"'") for n, v in _ATTR.findall(match.group(2))}
        names = set(attrs)
        if tag == "script" and "src" not in names and attrs.get("type") not in DATA_SCRIPTS:
            problems.append("inline <script>")
        if tag == "style":
            problems.append("<style> element")
        if "style" in names:
            problems.append(f"style= attribute on <{tag}>")
        handlers = sorted(n for n in names if n.startswith("on"))
        if handlers:
            problems.append(f"inline handler {handlers[0]}= on <{tag}>")
    return problems


def is_html(response: Any) -> bool:
    return response.get("Content-Type", "").startswith("text/html") and bool(response.content)


def csp_problems(response: Any) -> list[str]:
    """What in an HTML response the strict Content-Security-Policy forbids."""
    policy = response.get("Content-Security-Policy")
    problems = []
    if not policy:
        problems.append("no Content-Security-Policy header")
    elif "unsafe-inline" in policy:
        problems.append("Content-Security-Policy allows 'unsafe-inline'")
    problems.extend(dict.fromkeys(_page_problems(response.content.decode(errors="replace"))))
    return problems


def page_urls(response: Any) -> list[str]:
    return _URL.findall(response.content.decode(errors="replace"))


@dataclass
class RecordRoute:
    """A URL pattern naming one record: `regex` captures its pk."""

    regex: re.Pattern[str]
    model: Any


def route_regex(route: str) -> re.Pattern[str]:
    """`deals/<int:pk>/edit/` → a regex matching `/deals/12/edit/`, capturing 12."""
    body = r"(\d+)".join(re.escape(part) for part in route.split("<int:pk>"))
    return re.compile(rf"^/{body}(?:[?#].*)?$")


def linked_records(urls: list[str], routes: list[RecordRoute]) -> set[tuple[Any, int]]:
    """(model, pk) of every record the given URLs point at."""
    found = set()
    for url in set(urls):
        if not url.startswith("/") or not any(c.isdigit() for c in url):
            continue
        for route in routes:
            match = route.regex.match(url)
            if match:
                found.add((route.model, int(match.group(1))))
    return found


@dataclass
class Outcome:
    persona: str
    method: str
    url: str
    expected: str
    got: str
    about: str = ""
    where: str = ""  # the page's name or the API operation


@dataclass(frozen=True)
class KnownBug:
    """A finding in code the walk does not own, left for its owner to fix. The
    walk sets it aside; `test_known_*_bug` expects it still there (strict xfail),
    so the entry must go when the bug does."""

    personas: tuple[str, ...]
    wheres: tuple[str, ...]  # page names or API operations, as in `Outcome.where`
    gots: tuple[str, ...]  # parts of what the walk got
    reason: str

    def matches(self, o: Outcome) -> bool:
        return (o.persona in self.personas and o.where in self.wheres
                and any(got in o.got for got in self.gots))  # fmt: skip


@dataclass
class Report:
    """Collects every mismatch of one walk, to fail once with a readable table."""

    title: str
    known: tuple[KnownBug, ...] = ()
    outcomes: list[Outcome] = field(default_factory=list)
    set_aside: list[Outcome] = field(default_factory=list)
    calls: int = 0
    by_where: Counter[str] = field(default_factory=Counter)  # calls per page / operation

    def add(self, outcome: Outcome) -> None:
        known = any(bug.matches(outcome) for bug in self.known)
        (self.set_aside if known else self.outcomes).append(outcome)

    def table(self) -> str:
        rows = [("persona", "method", "url", "expected", "got", "record / note")]
        rows += [(o.persona, o.method, o.url, o.expected, o.got, o.about) for o in self.outcomes]
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r[:5], widths, strict=True)) + "  " + r[5]
                 for r in rows]  # fmt: skip
        head = f"{self.title}: {len(self.outcomes)} problem(s) in {self.calls} calls"
        return "\n".join([head, *lines])

    def assert_clean(self) -> None:
        assert not self.outcomes, self.table()
