"""Property: for any sequence of writes — creates, edits (a deal moved to another
rep, date, customer or outcome), deletes and imported files — through the same
services the pages and the API use, the rollups refreshed after each commit
equal the components computed from the source rows, and every metric evaluated
from them for random periods, scopes and groupings equals the same metric
computed from the source. Each example rolls back, so examples do not pile up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rumbo.imports.services import import_file
from rumbo.metrics import registry
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.services import metrics_rebuild
from rumbo.sales import services
from rumbo.sales.models import Activity, Complaint, Customer, Deal, SurveyResponse
from tests.metrics.checks import assert_evaluates, assert_rollups_match

pytestmark = pytest.mark.django_db
START = dt.date(2025, 1, 1)
REPS = ["rita", "nina", "sofia", "mark"]
NAMES = {"rita": "Rita", "nina": "Nina", "sofia": "Sofia", "mark": "Mark"}

days = st.integers(0, 120)
rep = st.sampled_from(REPS)
pick = st.integers(0, 10_000)  # an existing record, taken modulo how many there are
customer = st.integers(0, 4)
cents = st.integers(0, 2_000_000)

deal_create = st.tuples(st.just("deal"), rep, customer, st.sampled_from(["won", "lost", "open"]),
                        days, st.integers(0, 40), cents)  # fmt: skip
deal_edit = st.tuples(st.just("deal_edit"), pick, st.sampled_from(["owner", "date", "customer",
                      "outcome", "amount"]), rep, customer, days)  # fmt: skip
record_create = st.tuples(st.sampled_from(["activity", "survey", "complaint"]), rep, customer,
                          days, st.integers(0, 10), st.integers(0, 200))  # fmt: skip
record_edit = st.tuples(st.sampled_from(["activity_edit", "survey_edit", "complaint_edit"]),
                        pick, rep, days, st.integers(0, 10), st.integers(0, 200))  # fmt: skip
delete = st.tuples(st.just("delete"), st.sampled_from(["deal", "activity", "survey", "complaint"]),
                   pick)  # fmt: skip
import_row = st.tuples(st.integers(0, 6), rep, customer,
                       st.sampled_from(["won", "lost", "proposal"]), days, st.integers(0, 30),
                       st.integers(1, 99_999))  # fmt: skip
imported = st.tuples(st.just("import"), st.lists(import_row, min_size=1, max_size=5))
operation = st.one_of(deal_create, deal_edit, record_create, record_edit, delete, imported)

ask = st.tuples(
    st.sampled_from([("alice", "org"), ("alice", "team:north"), ("alice", "rep:nina"),
                     ("mark", "org"), ("mark", "team:north_east"), ("rita", "org"),
                     ("sam", "org")]),
    st.integers(-20, 130), st.integers(0, 130),
    st.sampled_from([None, "rep", "team", "week", "month"]),
)  # fmt: skip


class Runner:
    """Applies generated operations through the services, as Alice (an admin may
    assign records to anyone), committing each one's after-commit refresh."""

    def __init__(self, world: Any, capture: Any, tmp: Path) -> None:
        self.world, self.capture, self.tmp = world, capture, tmp
        self.actor = world.alice
        self.customers = list(Customer.objects.filter(organization=world.acme).order_by("id"))
        self.customers += [Customer.objects.create(organization=world.acme, name=f"Buyer {i}",
                                                   owner=world.members[REPS[i]])
                           for i in range(3)]  # fmt: skip
        self.imports = 0

    def member(self, name: str) -> Any:
        return self.world.members[name]

    def pick(self, model: Any, index: int) -> Any:
        rows = list(model.objects.filter(organization=self.world.acme).order_by("id"))
        return rows[index % len(rows)] if rows else None

    def run(self, op: tuple[Any, ...]) -> None:
        with self.capture(execute=True):
            try:
                getattr(self, f"do_{op[0]}")(*op[1:])
            except ValidationError:
                pass  # a refused write (e.g. a deal others depend on): nothing changes

    def do_deal(self, owner: str, cust: int, outcome: str, created: int, length: int,
                amount: int, deal: Deal | None = None) -> None:  # fmt: skip
        creating = deal is None
        deal = deal or Deal(organization=self.world.acme, name="Generated", currency="EUR")
        deal.owner, deal.customer = self.member(owner), self.customers[cust % len(self.customers)]
        deal.outcome = outcome
        deal.stage = "closed" if outcome != "open" else "proposal"
        deal.created_on = START + dt.timedelta(days=created)
        deal.closed_on = deal.created_on + dt.timedelta(days=length) if outcome != "open" else None
        deal.amount = Decimal(amount) / 100
        deal.loss_reason = ""
        services.deal_save(actor=self.actor, deal=deal, creating=creating)

    def do_deal_edit(self, index: int, what: str, owner: str, cust: int, day: int) -> None:
        deal = self.pick(Deal, index)
        if deal is None:
            return
        outcome, created = deal.outcome, (deal.created_on - START).days
        length = (deal.closed_on - deal.created_on).days if deal.closed_on else 0
        amount, now_owner = int(deal.amount * 100), _name(self.world, deal.owner_id)
        now_customer = self.customers.index(deal.customer)
        if what == "owner":
            now_owner = owner
        elif what == "date":  # a new close date; the creation moves back if it must
            created, length = min(created, day), abs(day - created)
        elif what == "customer":
            now_customer = cust
        elif what == "outcome":
            outcome = {"won": "lost", "lost": "open", "open": "won"}[outcome]
        else:
            amount += 1234
        self.do_deal(now_owner, now_customer, outcome, created, length, amount, deal)

    def do_activity(self, owner: str, cust: int, day: int, _score: int, _hours: int,
                    activity: Activity | None = None) -> None:  # fmt: skip
        creating = activity is None
        activity = activity or Activity(organization=self.world.acme, kind="call")
        activity.owner, activity.customer = self.member(owner), self.customers[cust]
        activity.date = START + dt.timedelta(days=day)
        services.activity_save(actor=self.actor, activity=activity, creating=creating)

    def do_survey(self, owner: str, cust: int, day: int, score: int, _hours: int,
                  response: SurveyResponse | None = None) -> None:  # fmt: skip
        creating = response is None
        response = response or SurveyResponse(organization=self.world.acme)
        response.kind = "nps" if score % 2 else "csat"
        response.score = score if response.kind == "nps" else 1 + score % 5
        response.customer = self.customers[cust]
        # Half the answers name no rep: the service gives them the customer's owner.
        response.rep = self.member(owner) if score < 6 or not creating else None
        response.responded_on = START + dt.timedelta(days=day)
        services.survey_response_save(actor=self.actor, response=response, creating=creating)

    def do_complaint(self, owner: str, cust: int, day: int, severity: int, hours: int,
                     complaint: Complaint | None = None) -> None:  # fmt: skip
        creating = complaint is None
        complaint = complaint or Complaint(organization=self.world.acme, category="service")
        complaint.rep, complaint.customer = self.member(owner), self.customers[cust]
        complaint.severity = ["low", "medium", "high", "critical"][severity % 4]
        complaint.opened_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            days=day, hours=hours % 24, minutes=hours)  # fmt: skip
        resolved = hours > 40
        complaint.status = "resolved" if resolved else "open"
        complaint.resolved_at = (
            complaint.opened_at + dt.timedelta(hours=hours) if resolved else None
        )
        services.complaint_save(actor=self.actor, complaint=complaint, creating=creating)

    def _edit(self, model: Any, method: str, index: int, owner: str, day: int, score: int,
              hours: int) -> None:  # fmt: skip
        obj = self.pick(model, index)
        if obj is not None:
            cust = self.customers.index(obj.customer)
            getattr(self, method)(owner, cust, day, score, hours, obj)

    def do_activity_edit(self, *args: Any) -> None:
        self._edit(Activity, "do_activity", *args)

    def do_survey_edit(self, *args: Any) -> None:
        self._edit(SurveyResponse, "do_survey", *args)

    def do_complaint_edit(self, *args: Any) -> None:
        self._edit(Complaint, "do_complaint", *args)

    def do_delete(self, kind: str, index: int) -> None:
        model = {"deal": Deal, "activity": Activity, "survey": SurveyResponse,
                 "complaint": Complaint}[kind]  # fmt: skip
        obj = self.pick(model, index)
        if obj is not None:
            services.record_remove(actor=self.actor, obj=obj)

    def do_import(self, rows: list[tuple[Any, ...]]) -> None:
        """A CSV of deals; external ids repeat across files, so later files move deals."""
        lines = ["External id,Name,Owner,Customer,Stage,Amount,Closed on,Created on"]
        for ext, owner, cust, stage, created, length, amount in {r[0]: r for r in rows}.values():
            made = START + dt.timedelta(days=created)
            closed = "" if stage == "proposal" else str(made + dt.timedelta(days=length))
            name = self.customers[cust].name
            lines.append(f"P-{ext},Imported {ext},{NAMES[owner]},{name},{stage},{amount},"
                         f"{closed},{made}")  # fmt: skip
        self.imports += 1
        path = self.tmp / f"deals-{self.imports}.csv"
        path.write_text("\n".join(lines) + "\n")
        result = import_file(actor=self.actor, kind="deals", path=path, file_name=path.name)
        assert result.applied, [p.line() for p in result.problems]


def _name(world: Any, member_id: int) -> str:
    return next(name for name, m in world.members.items() if m.pk == member_id)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    time_zone=st.sampled_from(["UTC", "Europe/Madrid", "America/Mexico_City"]),
    operations=st.lists(operation, min_size=1, max_size=10),
    asks=st.lists(ask, min_size=1, max_size=3),
)  # fmt: skip
def test_rollups_and_metrics_equal_the_source_after_any_writes(
    world, django_capture_on_commit_callbacks, tmp_path, time_zone, operations, asks
) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        world.acme.time_zone = time_zone
        world.acme.save()
        metrics_rebuild(organization=world.acme)
        runner = Runner(world, django_capture_on_commit_callbacks, tmp_path)
        for op in operations:
            runner.run(op)
        assert_rollups_match(world.acme)
        for (persona, scope_text), offset, length, by in asks:
            kind, _sep, name = scope_text.partition(":")
            holder = world.teams if kind == "team" else world.members
            scope = Scope(kind, holder[name].pk) if name else Scope()  # type: ignore[arg-type]
            start = START + dt.timedelta(days=offset)
            for metric in registry.METRICS:
                assert_evaluates(world.members[persona], metric, scope, start,
                                 start + dt.timedelta(days=length), by)  # fmt: skip
        transaction.set_rollback(True)
