"""The home page's own records, read fresh on every request: the open
pipeline, the latest deals and the complaints to resolve. Their fragments are
kept rendered under their content and language, so a change to anything shown
must show at once, and a Spanish reader must never get the English fragment."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rumbo.sales import services
from rumbo.sales.choices import Outcome, Severity
from rumbo.sales.models import Deal
from rumbo.web import formatting

pytestmark = pytest.mark.django_db


def _open_deal(world, owner: str, name: str, amount: str) -> Deal:  # type: ignore[no-untyped-def]
    deal = Deal(organization=world.acme, name=name, currency="EUR",
                owner=world.members[owner], customer=world.records[owner].customer,
                outcome=Outcome.OPEN, stage="proposal", amount=Decimal(amount),
                created_on=timezone.localdate() + dt.timedelta(days=1))  # fmt: skip
    return services.deal_save(actor=world.alice, deal=deal, creating=True)


def _figure(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', html)
    assert match, testid
    return match.group(1)


def test_open_pipeline_counts_only_what_the_viewer_owns_or_manages(world) -> None:  # type: ignore[no-untyped-def]
    _open_deal(world, "rita", "Rita open A", "100.00")
    _open_deal(world, "rita", "Rita open B", "250.00")
    _open_deal(world, "nina", "Nina open", "50.00")  # Mark's, not Rita's
    _open_deal(world, "sofia", "Sofia open", "999.00")  # neither's
    with translation.override("en"):
        rita = world.client("rita").get(reverse("home")).content.decode()
        assert _figure(rita, "figure-pipeline") == formatting.money(Decimal("350.00"), "EUR")
        assert "2 open deals" in rita
        mark = world.client("mark").get(reverse("home")).content.decode()
        assert _figure(mark, "figure-pipeline") == formatting.money(Decimal("400.00"), "EUR")
        assert "3 open deals" in mark
        drill = world.client("mark").get(f"/dashboard/rep/?rep={world.rita.pk}").content.decode()
        assert _figure(drill, "figure-pipeline") == _figure(rita, "figure-pipeline")


def test_latest_deals_and_complaints_show_changes_at_once_and_in_spanish(world) -> None:  # type: ignore[no-untyped-def]
    _open_deal(world, "rita", "Rita newest", "75.00")
    client = world.client("rita")
    html = client.get(reverse("home")).content.decode()
    assert "Rita newest" in html and "Rita customer" in html
    customer = world.records["rita"].customer
    customer.name = "Renamed Customer Ltd"
    services.customer_save(actor=world.alice, customer=customer, creating=False)
    html = client.get(reverse("home")).content.decode()
    assert "Renamed Customer Ltd" in html and "Rita customer" not in html
    complaint = world.records["rita"].complaint
    with translation.override("es"):
        open_es, severity_es = str(Outcome.OPEN.label), str(Severity(complaint.severity).label)
    with translation.override("en"):
        assert (open_es, severity_es) != (str(Outcome.OPEN.label),
                                          str(Severity(complaint.severity).label))  # fmt: skip
    user = world.rita.user
    user.language = "es"
    user.save()
    html = client.get(reverse("home")).content.decode()
    recent = html[html.index("Últimos negocios") :]
    assert f"· {open_es} ·" in recent
    todo = html[html.index('data-testid="todo"') : html.index('data-testid="todo"') + 3000]
    assert f"{severity_es} ·" in todo and "Renamed Customer Ltd" in todo
