"""Every page in Spanish, as each demo persona: no English word of the interface
outside the data.

The demo (at a small scale, built for today) is walked by its four logins with
Spanish chosen in their profile, over the page list of the access walk
(`tests.access.pages`): every page that answers GET, each record page on the
first record the persona may see. The page's text (and the labels a screen
reader or a tooltip shows) is taken without the data in it: every text value
stored in the two demo organisations is removed first, so "North" as a team's
name or "Widget Pro" as a product's does not count. What remains must hold none
of the English words below."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from rumbo.demo.normal import DEMO_SLUG, SOLO_SLUG, build_normal
from rumbo.imports.jobs import job_create
from rumbo.imports.models import ImportJob
from rumbo.tenancy.models import Member, Organization
from tests.access.pages import Page, walkable_pages

pytestmark = pytest.mark.django_db

PERSONAS = ("director@demo.example", "manager@demo.example", "rep@demo.example",
            "seller@solo.example")  # fmt: skip

# Words of Rumbo's English interface that are not Spanish words too (no "No",
# "Total", "Email", "Manager"...). Matched as whole words, in any case.
ENGLISH = """
Save Search Customers Customer Deals Deal Goals Goal Target Revenue Won Lost Open Next
Previous Filter Filters Export Cancel Delete Edit Add New Back Show Close Name Amount Owner
Status Date Created Updated Score Team Teams Members Member Product Products Quantity Unit
price Line Lines Import Imports Problem Problems Row Rows Column Columns Value Values File
Notes Description Stage Outcome Activities Activity Surveys Survey Complaints Complaint
Contacts Contact Techniques Technique Exchange Rates Rate Period Month Week Year Today
Yesterday Forecast Pace Chance Milestone Milestones Leaderboard Scorecard Weight Settings
Profile Language Notifications Notification Read Unread Mark Submit Apply Check Upload
Download Contains Required Optional Yes Sort Page Results Everyone Nobody Nothing
the and with your you of for this that from to is are not none all any was were have
will by on at in it an be or
""".split()
WORD = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b", re.IGNORECASE)

# Attributes whose text a person reads (tooltips, screen readers, empty fields).
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Text(HTMLParser):
    """The text a person reads on a page: text nodes and READ_ATTRIBUTES,
    without scripts, styles and the JSON data of charts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def stored_texts(organizations: list[Organization]) -> list[str]:
    """Every text value stored for these organisations (names, notes, titles,
    emails...), longest first: the data to remove from a page before looking
    for English words."""
    texts: set[str] = {org.name for org in organizations}
    ids = [org.pk for org in organizations]
    for model in apps.get_models():
        # Choice fields hold codes ("won", "revenue"), shown through their labels.
        fields = [f.name for f in model._meta.concrete_fields if not f.choices
                  and isinstance(f, models.CharField | models.TextField)]  # fmt: skip
        names = {f.name for f in model._meta.concrete_fields}
        if not fields or "organization" not in names:
            continue
        for row in model._default_manager.filter(organization_id__in=ids).values_list(*fields):
            texts.update(v for v in row if isinstance(v, str) and re.search(r"[^\W\d]", v))
    # An import's file: its headers and the cells its problems quote.
    for job in ImportJob.objects.filter(organization_id__in=ids):
        texts.update(job.header)
        texts.update(p["value"] for p in job.problems if p["value"])
    emails = Member.objects.filter(organization_id__in=ids).values_list("user__email", flat=True)
    texts.update(e for e in emails if e)
    return sorted(texts, key=len, reverse=True)


def data_pattern(data: list[str]) -> re.Pattern[str]:
    """Any stored value, as whole words (longest first)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, data)) + r")(?!\w)")


def first_visible(page: Page, member: Member) -> int | None:
    model = page.model
    rows = model._default_manager
    query = rows.visible_to(member) if hasattr(rows, "visible_to") else rows.filter(
        organization_id=member.organization_id)  # fmt: skip
    if model is ImportJob or "organization" in {f.name for f in model._meta.concrete_fields}:
        query = query.filter(organization_id=member.organization_id)
    obj = query.order_by("pk").first()
    return obj.pk if obj is not None else None


def urls_for(member: Member) -> list[tuple[str, str]]:
    """(page name, URL) of every page `member` can open with GET."""
    pages, _problems = walkable_pages()
    found = []
    for page in pages:
        if "GET" not in page.methods or page.kind in ("lookup", "export", "public", "switch"):
            continue
        pk = None
        if page.has_pk:
            pk = first_visible(page, member)
            if pk is None:
                continue
        found.append((page.name, page.url(pk)))
    return found


def an_import_checked_in_spanish(director: Member, tmp_path: Path) -> None:
    """An import of deals with problems, checked while the director reads Spanish."""
    csv = ("Deal,Customer,Amount,Stage,Line product,Line quantity,Line unit price\n"
           "Big order,No such customer,lots,maybe,Nothing,two,cheap\n")  # fmt: skip
    upload = tmp_path / "deals.csv"
    upload.write_text(csv, encoding="utf-8")
    with upload.open("rb") as fh:
        job_create(actor=director, kind="deals", upload=fh, file_name="deals.csv", check=True)


def test_every_page_reads_in_spanish_for_every_demo_persona(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    build_normal(seed=7, scale=0.02, today=timezone.localdate())
    organizations = list(Organization.objects.filter(slug__in=[DEMO_SLUG, SOLO_SLUG]))
    members = {email: Member.objects.select_related("user", "organization").get(
        user__email=email) for email in PERSONAS}  # fmt: skip
    for member in members.values():
        user = member.user
        assert user is not None
        user.language = "es"
        user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        an_import_checked_in_spanish(members["director@demo.example"], tmp_path)
    data = data_pattern(stored_texts(organizations))
    english: dict[str, set[str]] = {}

    def read(client: Client, where: str, url: str) -> None:
        """Note each line of the page that holds an English word, data removed."""
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            return
        text = data.sub(" ", page_text(response.content.decode()))
        for line in text.splitlines():
            if WORD.search(line):
                english.setdefault(f"{where} ({url})", set()).add(" ".join(line.split()))

    for email in PERSONAS:
        client = Client()
        client.force_login(members[email].user)  # type: ignore[arg-type]
        for name, url in urls_for(members[email]):
            read(client, name, url)
    # The pages anyone may open (log in, sign up, reset a password), for a
    # visitor whose browser asks for Spanish.
    visitor = Client(HTTP_ACCEPT_LANGUAGE="es")
    for page in walkable_pages()[0]:
        if page.kind == "public":
            read(visitor, page.name, page.url())
    report = "\n".join(f"{where}: {' | '.join(sorted(lines)[:6])}"
                       for where, lines in sorted(english.items()))  # fmt: skip
    assert not english, f"English words on Spanish pages:\n{report}"
