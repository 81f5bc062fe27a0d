"""Customers at risk, the health weights and the calendar feed page on the demo,
at phone width and on a desktop: nothing wider than the screen, no amount of
money broken across lines; screenshots under var/screenshots/phone/."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rumbo.demo.normal import build_normal
from tests.browser.test_phone_width import walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/customers-at-risk/", "/customers-at-risk/?band=red", "/calendar/"]


def test_health_and_calendar_pages_fit_a_phone_and_a_desktop(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    build_normal(seed=7, scale=0.02, today=timezone.localdate())
    problems = {}
    director = "director@demo.example"
    for email, pages in ((director, [*PAGES, "/customers-at-risk/settings/"]),
                         ("rep@demo.example", PAGES)):  # fmt: skip
        for width in (390, 1280):
            found = walk(browser, live_server.url, email, pages, width=width)
            problems.update({f"{width} {email} {path}": seen for path, seen in found.items()})
    assert problems == {}
