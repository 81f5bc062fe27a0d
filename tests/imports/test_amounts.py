"""A deals export with a product column and the deal's own amount: the file's
amount is the truth (issue 15)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from rumbo.metrics.services import metrics_rebuild
from rumbo.sales.models import Deal
from tests.imports.conftest import lines

# One row per deal, as a sample CRM exports its opportunities: a product, a
# quantity, and the deal's value (amounts no unit price reaches to the cent,
# e.g. 100.00 for 3 units, among them).
EXPORT = """Opportunity ID,Deal,Owner,Product,Quantity,Customer,Stage,Created on,Closed on,Amount
OP-1,Deal OP-1,Rita,Gear,3,Rita customer,won,2021-02-01,2021-03-05,100.00
OP-2,Deal OP-2,Rita,Acme widget,1,Rita customer,won,2021-02-03,2021-03-09,1054.37
OP-3,Deal OP-3,Rita,Gear,7,Rita customer,lost,2021-02-03,2021-03-10,55.55
OP-4,Deal OP-4,Sofia,Gear,2,Sofia customer,won,2021-01-15,2021-02-20,4821.01
OP-5,Deal OP-5,Sofia,Acme widget,6,Sofia customer,won,2021-01-15,2021-03-28,0.05
OP-6,Deal OP-6,Nina,Gear,1,Nina customer,won,2021-03-01,2021-03-02,987.65
OP-7,Deal OP-7,Nina,Acme widget,4,Nina customer,open,2021-03-01,,1500.00
OP-8,Deal OP-8,Sofia,Gear,2,Sofia customer,lost,2021-02-01,2021-02-07,20.00
"""


def _setup(importer) -> None:  # type: ignore[no-untyped-def]
    assert importer.run("products", "p.csv", "SKU,Name,Price\nG-1,Gear,7\n").ok


def _file_amounts(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_files_amount_stands_and_revenue_per_rep_is_the_files(importer, world) -> None:
    _setup(importer)
    result = importer.run("deals", "opportunities.csv", EXPORT)
    assert result.ok, lines(result)
    rows = _file_amounts(EXPORT)
    won: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        deal = Deal.objects.get(organization=world.acme, external_id=row["Opportunity ID"])
        assert deal.amount == Decimal(row["Amount"]), row  # won, lost and open alike
        assert sum(line.total for line in deal.lines.all()) == deal.amount, row
        assert {line.product.name for line in deal.lines.all()} == {row["Product"]}
        assert sum(line.quantity for line in deal.lines.all()) == Decimal(row["Quantity"])
        if row["Stage"] == "won":
            won[row["Owner"]] += Decimal(row["Amount"])
    metrics_rebuild(organization=world.acme)
    out = StringIO()
    call_command("metrics", "show", "--org", "acme", "--metric", "revenue", "--from",
                 "2021-01-01", "--to", "2021-12-31", "--by", "rep", "--format", "json",
                 stdout=out)  # fmt: skip
    shown = {r["rep"]: Decimal(str(r["value"])) for r in json.loads(out.getvalue())}
    assert {rep: value for rep, value in shown.items() if value} == dict(won)


MULTI = """Deal ID,Deal,Owner,Customer,Stage,Closed on,Created on,Product,Quantity,Unit price,Amount
L-1,Two lines,Rita,Rita customer,won,2026-03-05,2026-03-01,Acme widget,2,100,{a}
L-1,Two lines,Rita,Rita customer,won,2026-03-05,2026-03-01,Gear,1,"50,5",{b}
"""


def test_several_lines_must_add_up_to_the_stated_amount(importer, world) -> None:
    _setup(importer)
    wrong = importer.run("deals", "d.csv", MULTI.format(a="300", b="300"))
    assert [p.row for p in wrong.problems] == [2, 3], lines(wrong)
    assert all(p.column == "Amount" and "250.50" in p.reason for p in wrong.problems)
    assert not Deal.objects.filter(external_id="L-1").exists()
    # The deal's amount on every row, or each line's own total: both agree.
    for a, b in (("250.50", "250.50"), ("200", "50.50")):
        result = importer.run("deals", "d.csv", MULTI.format(a=a, b=b))
        assert result.ok, lines(result)
        deal = Deal.objects.get(external_id="L-1")
        assert deal.amount == Decimal("250.50")
        assert sorted(line.unit_price for line in deal.lines.all()) == [
            Decimal("50.50"), Decimal("100.00")]  # fmt: skip


OPEN = """Deal ID,Deal,Owner,Customer,Stage,Created on,Closed on,Amount
N-1,Fresh lead,Rita,Rita customer,open,2026-03-01,,
N-2,Closed without a value,Rita,Rita customer,won,2026-03-01,2026-03-04,
"""


def test_an_open_deal_may_have_no_value_yet(importer, world) -> None:
    from django.urls import reverse

    refused = importer.run("deals", "d.csv", OPEN)
    assert [(p.row, p.column) for p in refused.problems] == [(3, "Amount")], lines(refused)
    result = importer.run("deals", "d.csv", OPEN.splitlines()[0] + "\n" + OPEN.splitlines()[1])
    assert result.ok, lines(result)
    deal = Deal.objects.get(organization=world.acme, external_id="N-1")
    assert (deal.amount, deal.outcome, deal.has_value) == (Decimal(0), "open", False)
    client = world.client("rita")
    detail = client.get(reverse("sales:deal_detail", args=[deal.pk])).content.decode()
    assert "no value yet" in detail
    listed = client.get(reverse("sales:deal_list")).content.decode()
    assert listed.count("no value yet") == 1  # Rita's won deal shows its amount
    assert importer.run("deals", "d.csv", OPEN.splitlines()[0] + "\n" + OPEN.splitlines()[1]
                        ).unchanged == 1  # fmt: skip


def test_a_reimport_queues_the_keys_of_changed_deals_only(importer, world) -> None:
    # The figures hear of what changed: nothing for a file imported again as it
    # was, the deal's (rep, day) when only its product changed (its amount stands).
    from rumbo.metrics.models import DirtyKey
    from rumbo.metrics.services import WAITING

    _setup(importer)
    assert importer.run("deals", "export.csv", EXPORT).ok
    waiting = DirtyKey.objects.filter(WAITING, organization_id=world.acme.pk)
    waiting.delete()
    again = importer.run("deals", "export.csv", EXPORT)
    assert (again.updated, again.unchanged) == (0, 8), lines(again)
    assert not waiting.exists()
    other_product = EXPORT.replace("OP-6,Deal OP-6,Nina,Gear", "OP-6,Deal OP-6,Nina,Acme widget")
    changed = importer.run("deals", "export.csv", other_product)
    assert (changed.updated, changed.unchanged) == (1, 7), lines(changed)
    nina = Deal.objects.get(organization=world.acme, external_id="OP-6")
    assert nina.amount == Decimal("987.65")
    days = {(k.member_id, k.day.isoformat()) for k in waiting}
    assert (nina.owner_id, "2021-03-02") in days
