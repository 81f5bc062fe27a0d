"""A team goal's cascade in a real browser: the manager previews the split
(htmx puts it under the form, nothing saved), changes a weight, previews
again, and confirms; a refused weight says why in place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from rumbo.goals.models import Goal
from rumbo.goals.services import goal_save
from tests.browser.conftest import login
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_previews_then_confirms_the_split(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    goal = goal_save(actor=world.mark, creating=True, goal=Goal(
        name="North revenue", metric="revenue", team=world.teams["north"],
        target=Decimal(1000), start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)),
        milestones=[(dt.date(2026, 2, 15), Decimal(500))])  # fmt: skip
    login(page, live_server, world.mark.user.email, PASSWORD)
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    form = page.get_by_test_id("cascade-form")
    assert form.locator(f"#cascade-{world.mark.pk}").is_checked() is False  # leads, no quota
    page.fill(f"input[name=weight_{world.rita.pk}]", "0")
    form.get_by_role("button", name="Preview the split").click()
    assert "weights above zero" in page.get_by_test_id("cascade-errors").inner_text()
    page.fill(f"input[name=weight_{world.rita.pk}]", "3")
    form.get_by_role("button", name="Preview the split").click()
    preview = page.get_by_test_id("cascade-preview")
    preview.wait_for()
    # 1,000 by 1 : 3 is 250 (Nina) and 750 (Rita); the milestone 125 and 375.
    assert preview.get_by_test_id("preview-target").all_inner_texts() == ["€250.00", "€750.00"]
    assert "€375.00" in preview.inner_text()
    assert not goal.shares.exists()
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path="var/screenshots/cascade-preview-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="var/screenshots/cascade-preview-phone.png", full_page=True)
    page.get_by_test_id("cascade-confirm").click()
    page.wait_for_url(f"**{goal.get_absolute_url()}")
    assert sorted(goal.shares.values_list("target", flat=True)) == [Decimal(250), Decimal(750)]
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_manager_reviews_a_proposal_seeing_where_the_rep_stands(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    from rumbo.goals.progress import local_today
    from rumbo.metrics.evaluation import month_end
    from rumbo.metrics.services import metrics_rebuild

    metrics_rebuild(organization=world.acme)
    first = local_today(world.acme).replace(day=1)
    goal = goal_save(actor=world.rita, creating=True, goal=Goal(
        name="My month", metric="revenue", member=world.rita, target=Decimal(5000),
        start=first, end=month_end(first)))  # fmt: skip
    login(page, live_server, world.mark.user.email, PASSWORD)
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    card = page.get_by_test_id("rep-standing")
    assert "Where Rita stands" in card.inner_text()
    assert page.get_by_test_id("standing-period").count() == 4
    assert page.get_by_role("button", name="Approve").is_visible()
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path="var/screenshots/goal-review-desktop.png", full_page=True)
