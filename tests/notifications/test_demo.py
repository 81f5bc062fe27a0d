"""The demo's notifications: every persona finds real notices on their page,
each about something they may open, none about another rep's customers, and
the bell agrees with the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from rumbo.demo.normal import REP_LOGIN, build_normal
from rumbo.notifications.models import Notification
from rumbo.sales.models import Complaint, SurveyResponse
from rumbo.tenancy.models import Member

PERSONAS = ("director@demo.example", "manager@demo.example", REP_LOGIN, "seller@solo.example")
# A fixed day, so the same records (and so the same notices) every time.
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        build_normal(seed=42, scale=0.05, today=TODAY)
        yield
        call_command("flush", verbosity=0, interactive=False)


@pytest.mark.django_db
@pytest.mark.parametrize("email", PERSONAS)
def test_every_persona_finds_real_notices_they_may_open(demo, email) -> None:  # type: ignore[no-untyped-def]
    member = Member.objects.select_related("user").get(email=email)
    mine = list(Notification.objects.filter(recipient=member))
    assert mine, f"{email} has no notices"
    client = Client()
    client.force_login(member.user)
    page = client.get("/notifications/").content.decode()
    for notice in mine[:25]:  # the first page, newest first
        assert notice.title.replace("'", "&#x27;") in page
    unread = sum(1 for n in mine if n.read_at is None)
    assert member.unread_notifications == unread
    for notice in mine:
        assert notice.link and client.get(notice.link).status_code == 200, notice.link


@pytest.mark.django_db
def test_a_rep_hears_only_of_her_own_customers(demo) -> None:  # type: ignore[no-untyped-def]
    rep = Member.objects.get(email=REP_LOGIN)
    for notice in Notification.objects.filter(recipient=rep, kind__in=["complaint", "detractor"]):
        pk = int(notice.link.rstrip("/").rsplit("/", 1)[1])
        model = Complaint if notice.kind == "complaint" else SurveyResponse
        record = model.objects.select_related("customer").get(pk=pk)
        assert rep.pk in (record.customer.owner_id, record.rep_id)


@pytest.mark.django_db
def test_the_history_spans_weeks_with_old_ones_read_and_emailed(demo) -> None:  # type: ignore[no-untyped-def]
    notices = Notification.objects.filter(organization__slug="demo")
    days = sorted({n.day for n in notices})
    assert (TODAY - days[0]).days >= 14
    old = notices.filter(day__lt=TODAY, recipient__user__isnull=False)
    assert old.exists() and not old.filter(emailed_at__isnull=True).exists()
    assert old.filter(read_at__isnull=False).count() > old.count() / 2
