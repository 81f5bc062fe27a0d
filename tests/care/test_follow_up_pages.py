"""A rep works their follow-ups on the pages and through the API: the list
sorts them by when they are due, done records the activity, moving keeps the
old date, bad input writes nothing, and nobody else's follow-ups open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rumbo.care.models import FollowUp
from rumbo.sales.models import Activity
from tests import factories as f
from tests.care.conftest import today, win
from tests.dashboards.page import Page
from tests.tenancy.api_client import bearer, call

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_in(world, plan) -> FollowUp:  # type: ignore[no-untyped-def]
    customer = f.CustomerFactory(organization=world.acme, owner=world.rita, name="Quinta Ltd")
    deal = win(world, "rita", today() - dt.timedelta(days=4), customer=customer)
    return FollowUp.objects.get(deal=deal, title="Check-in call")


def test_the_list_shows_an_overdue_follow_up_under_overdue(world, check_in) -> None:  # type: ignore[no-untyped-def]
    page = world.client("rita").get(reverse("care:followup_list"), {"due": "overdue"})
    text = Page(page.content).text("record-table")
    assert "Check-in call" in text and "Overdue" in text
    assert "Satisfaction survey" not in text  # due in 26 days


def test_done_records_the_activity_and_the_history(world, check_in) -> None:  # type: ignore[no-untyped-def]
    url = reverse("care:followup_complete", args=[check_in.pk])
    answer = world.client("rita").post(url, {"day": today().isoformat(), "outcome": "done",
                                             "notes": "Happy with the delivery"})  # fmt: skip
    assert answer.status_code == 302
    check_in.refresh_from_db()
    assert check_in.status == "done" and check_in.done_on == today()
    activity = Activity.objects.get(pk=check_in.activity_id)
    assert (activity.owner, activity.customer_id, activity.notes) == (
        world.rita,
        check_in.customer_id,
        "Happy with the delivery",
    )
    detail = world.client("rita").get(reverse("care:followup_detail", args=[check_in.pk]))
    assert "done" in Page(detail.content).text("follow-up-history")


def test_done_in_the_future_is_refused_and_writes_nothing(world, check_in) -> None:  # type: ignore[no-untyped-def]
    url = reverse("care:followup_complete", args=[check_in.pk])
    later = (today() + dt.timedelta(days=2)).isoformat()
    answer = world.client("rita").post(url, {"day": later, "outcome": "done"})
    assert answer.status_code == 400
    assert "cannot be done in the future" in answer.content.decode()
    check_in.refresh_from_db()
    assert check_in.status == "open" and not Activity.objects.filter(notes="Check-in call").exists()


def test_moving_keeps_the_old_date_in_the_history(world, check_in) -> None:  # type: ignore[no-untyped-def]
    old = check_in.due_on
    new = today() + dt.timedelta(days=7)
    url = reverse("care:followup_reschedule", args=[check_in.pk])
    assert (
        world.client("rita")
        .post(url, {"due_on": new.isoformat(), "note": "On holiday"})
        .status_code
        == 302
    )
    check_in.refresh_from_db()
    assert check_in.due_on == new
    change = check_in.changes.get(what="rescheduled")
    assert (change.due_before, change.due_after, change.note) == (old, new, "On holiday")


def test_nobody_else_opens_or_acts_on_it(world, check_in) -> None:  # type: ignore[no-untyped-def]
    detail = reverse("care:followup_detail", args=[check_in.pk])
    done = reverse("care:followup_complete", args=[check_in.pk])
    assert world.client("sofia").get(detail).status_code == 404
    assert world.client("olga").get(detail).status_code == 404
    assert (
        world.client("sofia")
        .post(done, {"day": today().isoformat(), "outcome": "done"})
        .status_code
        == 404
    )
    assert world.client("mark").get(detail).status_code == 200  # Rita's manager
    check_in.refresh_from_db()
    assert check_in.status == "open"


def test_the_api_lists_overdue_follow_ups_and_marks_one_done(world, check_in) -> None:  # type: ignore[no-untyped-def]
    rita = bearer(world.rita)
    listed = call(rita, "GET", "/follow-ups?due=overdue").json()
    assert [item["title"] for item in listed["items"]] == ["Check-in call"]
    done = call(rita, "POST", f"/follow-ups/{check_in.pk}/complete", {"outcome": "no_answer"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = call(rita, "POST", f"/follow-ups/{check_in.pk}/complete", {})
    assert again.status_code == 422
    assert call(bearer(world.olga), "GET", f"/follow-ups/{check_in.pk}").status_code == 404


def test_a_plan_without_steps_is_refused_in_the_api(world) -> None:  # type: ignore[no-untyped-def]
    admin = bearer(world.alice)
    answer = call(admin, "POST", "/care-plans", {"name": "Empty", "is_default": True, "steps": []})
    assert answer.status_code == 422
    made = call(admin, "POST", "/care-plans", {"name": "Simple", "is_default": True, "steps": [
        {"kind": "checkin", "title": "Call", "delay_count": 2}]})  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["steps"][0]["title"] == "Call"
    assert call(bearer(world.rita), "POST", "/care-plans", {"name": "Mine", "steps": [
        {"kind": "checkin", "title": "Call", "delay_count": 2}]}).status_code == 403  # fmt: skip
