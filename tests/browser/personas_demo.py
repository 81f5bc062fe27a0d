"""The demo walked by its four personas in a real browser (issue 17, "Done
when"): the demo build, and the helpers each persona's test uses — log in
with a language at a width, open a page as a person would, keep a screenshot under
var/screenshots/personas/<persona>/<lang>-<width>-<page>.png, and check that a
phone-width page does not run off the right edge and that a Spanish page's
interface holds no English word (the word list of tests/web/test_spanish_pages.py,
stored data removed first)."""

from __future__ import annotations

import datetime as dt
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from rumbo.demo.normal import DEMO_SLUG, REP_LOGIN, SOLO_SLUG, build_normal
from rumbo.goals.models import Goal
from rumbo.goals.progress import local_today
from rumbo.goals.services import goal_save
from rumbo.tenancy.models import Member, Organization
from tests.conftest import CHROMIUM
from tests.web.test_spanish_pages import WORD, data_pattern, stored_texts

SHOTS = Path(settings.PROJECT_DIR) / "var" / "screenshots" / "personas"
PASSWORD = "rumbo-demo"  # every demo login's (rumbo.demo.setup)
DIRECTOR, MANAGER, SOLO = "director@demo.example", "manager@demo.example", "seller@solo.example"
STRETCH = "Stretch revenue, this quarter"  # a goal still running whatever the day
# The interface a person reads, where English would show (data removed first).
CHROME = "h1, h2, .card-header, th, label, button, nav .nav-link, .dropdown-item"
# New wording whose Spanish is not merged yet: not counted as English until then.
PENDING: tuple[str, ...] = ()
HANG_SECONDS = 600


@dataclass
class Demo:
    url: str
    data: re.Pattern[str]  # every text stored in the two demo organisations


def _stretch_goal() -> None:
    """Her manager sets the rep a revenue goal for this quarter far above what
    she sells, so her home has a running goal with a chance, a forecast and a
    pace on any day of the year (the demo's own goals may be met already)."""
    rep = Member.objects.get(organization__slug=DEMO_SLUG, email=REP_LOGIN)
    manager = Member.objects.get(organization__slug=DEMO_SLUG, email=MANAGER)
    today = local_today(rep.organization)
    first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    last = (first + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
    goal_save(actor=manager, creating=True, goal=Goal(
        name=STRETCH, metric="revenue", member=rep, target=Decimal(2_000_000),
        start=first, end=last))  # fmt: skip


@pytest.fixture
def own_browser(browser):  # type: ignore[no-untyped-def]
    """A Chromium of the test's own, from the session's Playwright: each persona
    opens sixteen contexts, and a long-lived shared browser once stopped
    answering a new one under load. A test that still hangs fails after
    HANG_SECONDS instead of holding the whole run (SIGALRM, main thread)."""
    def hung(_signum, _frame):  # type: ignore[no-untyped-def]
        raise TimeoutError(f"browser test still running after {HANG_SECONDS} s")

    own = browser.browser_type.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking",
                                        "--disable-gpu"],
    )  # fmt: skip
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield own
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        own.close()


@pytest.fixture
def demo(live_server) -> Demo:  # type: ignore[no-untyped-def]
    """The normal demo built for today (once per persona: pytest-django's
    `live_server` empties the database after each test; each persona's test
    walks both languages and both widths on one build)."""
    build_normal(seed=7, scale=0.02, today=timezone.localdate())
    _stretch_goal()
    organizations = list(Organization.objects.filter(slug__in=[DEMO_SLUG, SOLO_SLUG]))
    return Demo(live_server.url, data_pattern(stored_texts(organizations)))


def member(email: str) -> Member:
    return Member.objects.select_related("user", "team", "organization").get(email=email)


class Visit:
    """One persona in one language at one width: pages opened, shots kept."""

    def __init__(self, page: Any, demo: Demo, persona: str, language: str, width: int) -> None:
        self.page, self.demo, self.persona = page, demo, persona
        self.language, self.width = language, width
        self.english: dict[str, list[str]] = {}

    def open(self, path: str, name: str, status: int = 200) -> str:
        """Open a page, wait for what htmx loads, check it, keep a screenshot;
        the text of its main part."""
        response = self.page.goto(f"{self.demo.url}{path}")
        assert response is not None and response.status == status, (path, response)
        self.page.wait_for_load_state("networkidle")
        self.check(name)
        return self.text("main")

    def check(self, name: str) -> None:
        """The page as it is now: fits a phone, reads in Spanish; a screenshot."""
        folder = SHOTS / self.persona
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{self.language}-{self.width}-{name}.png"),
                             full_page=True)  # fmt: skip
        if self.width < 576:
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            inner = self.page.evaluate("window.innerWidth")
            assert wide <= inner + 1, f"{name} runs off the right edge: {wide} > {inner}"
        if self.language == "es":
            lines = self.page.locator(CHROME).all_inner_texts()
            found = []
            for line in lines:
                line = " ".join(self.demo.data.sub(" ", line).split())
                for pending in PENDING:
                    line = line.replace(pending, " ")
                if WORD.search(line):
                    found.append(line)
            if found:
                self.english[name] = found

    def text(self, selector: str) -> str:
        found = self.page.locator(selector).first
        return " ".join(found.inner_text().replace("\u00a0", " ").replace("\u202f", " ").split())

    def menu(self, label: str) -> None:
        """Follow a menu entry, opening the folded menu first on a phone."""
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        # (an icon's glyph is part of a link's accessible name: matched by its text)
        self.page.locator("#mainnav a.nav-link", has_text=label).first.click()
        self.page.wait_for_load_state("networkidle")


LANGUAGES_AND_WIDTHS = [("en", 1280), ("en", 390), ("es", 1280), ("es", 390)]


@contextmanager
def visit(browser: Any, demo: Demo, email: str, persona: str, language: str,
          width: int) -> Iterator[Visit]:  # fmt: skip
    """Log in as `email` at `width` and choose `language` on the profile page;
    on leaving, no English in the Spanish pages' interface and no Content
    Security Policy refusal."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{demo.url}/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{demo.url}/")
        page.goto(f"{demo.url}/profile/")
        page.select_option("#id_language", language)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        page.goto(f"{demo.url}/")
        assert page.locator("html").get_attribute("lang") == language
        seen = Visit(page, demo, persona, language, width)
        yield seen
        assert seen.english == {}, f"English on Spanish pages: {seen.english}"
        assert [e for e in errors if "Content Security Policy" in e] == []
    finally:
        context.close()
