"""At phone width (390 px), and just above it (600 px), no page is wider than
the screen and no amount of money is broken across two lines: tables fit
(stacked into cards) or scroll inside their own box, figures shrink with their
card.

The demo (small scale, built for today) is walked by the director, a rep and
the independent seller over the main pages; a screenshot of each page is kept
under var/screenshots/phone/ for people to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from rumbo.demo.normal import build_normal
from rumbo.goals.models import Goal
from rumbo.sales.models import Customer, Deal
from rumbo.tenancy.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "phone"
PHONE = {"width": 390, "height": 844}
PAGES = ["/", "/goals/", "/scorecard/", "/leaderboard/", "/deals/", "/customers/",
         "/activities/", "/surveys/", "/complaints/", "/contacts/", "/products/",
         "/techniques/", "/rates/", "/notifications/", "/search/?q=a",
         "/no-such-page/"]  # fmt: skip
MANAGERS = ["/dashboard/team/", "/members/", "/teams/"]
ADMINS = ["/dashboard/organisation/", "/imports/", "/organisation/"]

# What sticks out past the right edge of the screen, outside any box that
# scrolls, and every amount of money (a currency sign beside digits) whose
# characters sit on more than one line.
MEASURE = r"""() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 1) continue;
    let p = el.parentElement, scrolls = false;
    while (p && !scrolls) {
      scrolls = ['auto', 'scroll'].includes(getComputedStyle(p).overflowX);
      p = p.parentElement;
    }
    if (!scrolls) out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${box.right}px`);
  }
  const money = /[€$£]\s?-?\d[\d.,\u00a0\u202f]*|-?\d[\d.,\u00a0\u202f]*\s?[€$£]/g;
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!node.parentElement || node.parentElement.closest('script, style')) continue;
    for (const m of node.data.matchAll(money)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0)
                            .map((r) => Math.round(r.top)));
      if (lines.size > 1) out.push(`“${m[0]}” wraps in ${node.parentElement.tagName}`);
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, problems: out.slice(0, 5)};
}"""


def pages_for(member: Member) -> list[str]:
    pages = list(PAGES)
    if member.role in ("admin", "manager"):
        pages += MANAGERS
    if member.role == "admin":
        pages += ADMINS
    for model, name in ((Deal, "sales:deal_detail"), (Customer, "sales:customer_detail"),
                        (Goal, "goals:goal_detail")):  # fmt: skip
        first = model.objects.visible_to(member).order_by("pk").first()  # type: ignore[attr-defined]
        if first is not None:
            pages.append(reverse(name, args=[first.pk]))
    return pages


def walk(browser: Any, base: str, email: str, pages: list[str], width: int = 390) -> dict[str, Any]:
    """Log in at this width, open each page, measure it; keep a screenshot."""
    context = browser.new_context(viewport={**PHONE, "width": width})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "rumbo-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    found = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in pages:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        seen = page.evaluate(MEASURE)
        name = f"{width}-{email.split('@')[0]}{path.replace('/', '_').replace('?', '_')}"
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=bool(seen["problems"]))
        if seen["scrollWidth"] > seen["width"] or seen["problems"]:
            found[path] = seen
    context.close()
    return found


def test_main_pages_fit_a_phone_and_never_wrap_money(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    build_normal(seed=7, scale=0.02, today=timezone.localdate())
    problems = {}
    for email in ("director@demo.example", "rep@demo.example", "seller@solo.example"):
        member = Member.objects.select_related("user").get(user__email=email)
        found = walk(browser, live_server.url, email, pages_for(member))
        problems.update({f"{email} {path}": seen for path, seen in found.items()})
    # Just above the phone layout (tables no longer stacked, so they scroll).
    member = Member.objects.get(user__email="director@demo.example")
    found = walk(browser, live_server.url, "director@demo.example", pages_for(member), width=600)
    problems.update({f"600 px {path}": seen for path, seen in found.items()})
    assert problems == {}
