"""What a converting change of the base currency does to the amounts stored in
it (ADR 0013; the registry and the refusal are `rumbo.tenancy.currency`).

`rate` is units of the new base per unit of the old. Sales: every stored
exchange rate is re-expressed in the new base (× rate), the new base's own
rates go (it is worth one), and the old base gets the given rate from the
earliest day a deal needs; then every deal is reconverted by the ordinary rule
(`money.reconvert`), list prices are multiplied, and the rollups are rebuilt
after commit. Targets stored in money — goals of a money metric with their
milestones and progress history, money lines of the scorecard — are
multiplied too. (Those two holders belong to goals and metrics; they are here
until those apps register their own.)"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Min
from django.db.models.functions import Round
from django.utils.translation import ngettext

from rumbo.sales import money
from rumbo.sales.models import Deal, ExchangeRate, Product
from rumbo.tenancy.currency import MoneyHolder, register_money_holder
from rumbo.tenancy.models import Organization
from rumbo.tenancy.services import figures_changed


def _money_metrics() -> list[str]:
    from rumbo.metrics import registry

    return sorted(key for key, metric in registry.METRICS.items() if metric.unit == "money")


# Sales: deals, list prices, exchange rates.


def _sales_count(organization: Organization) -> int:
    deals = Deal.objects.filter(organization=organization, amount_base__isnull=False).count()
    prices = Product.objects.filter(organization=organization, list_price__gt=0).count()
    return deals + prices + ExchangeRate.objects.filter(organization=organization).count()


def _sales_label(n: int) -> str:
    return ngettext("%(n)d deal, price or rate", "%(n)d deals, prices or rates", n) % {"n": n}


def _derive(organization: Organization, old: str, new: str) -> Decimal | None:
    """1 old = 1 / (the latest stored rate of the new currency, in the old)."""
    stored = (
        ExchangeRate.objects.filter(
            organization=organization, currency=new, date__lte=money.today_for(organization)
        )  # fmt: skip
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    return Decimal(1) / stored if stored else None


def _sales_convert(organization: Organization, old: str, new: str, rate: Decimal) -> int:
    rates = ExchangeRate.objects.filter(organization=organization)
    rates.filter(currency=new).delete()
    rates.update(rate=Round(F("rate") * rate, 8))
    deals = Deal.objects.filter(organization=organization)
    dates = deals.aggregate(closed=Min("closed_on"), created=Min("created_on"))
    earliest = min(d for d in (*dates.values(), money.today_for(organization)) if d is not None)
    ExchangeRate.objects.filter(organization=organization, currency=old).delete()
    ExchangeRate.objects.create(organization=organization, currency=old, date=earliest,
                                rate=rate)  # fmt: skip
    currencies = set(deals.values_list("currency", flat=True).distinct().order_by())
    # Every deal by the ordinary rule; the rollups are rebuilt below instead of
    # queuing every won deal's key.
    changed = money.reconvert(
        organization=organization, changes=dict.fromkeys(currencies), notify=False
    )
    changed += Product.objects.filter(organization=organization, list_price__gt=0).update(
        list_price=Round(F("list_price") * rate, 2)
    )
    figures_changed(organization_id=organization.pk)
    from rumbo.metrics.services import metrics_schedule_rebuild

    metrics_schedule_rebuild(organization=organization)
    return changed


# Goals of a money metric: target, milestones, the progress history.


def _goals(organization: Organization):  # type: ignore[no-untyped-def]
    from rumbo.goals.models import Goal

    return Goal.objects.filter(organization=organization, metric__in=_money_metrics())


def _goals_count(organization: Organization) -> int:
    return int(_goals(organization).count())


def _goals_label(n: int) -> str:
    return ngettext("%(n)d money goal", "%(n)d money goals", n) % {"n": n}


def _goals_convert(organization: Organization, old: str, new: str, rate: Decimal) -> int:
    from rumbo.goals.models import Milestone, Progress

    ids = _goals(organization).values("pk")
    changed = int(_goals(organization).update(target=Round(F("target") * rate, 2)))
    Milestone.objects.filter(goal_id__in=ids).update(target=Round(F("target") * rate, 2))
    Progress.objects.filter(goal_id__in=ids).update(**{
        name: Round(F(name) * rate, 2) for name in ("actual", "expected", "forecast", "low",
                                                    "high")
    })  # fmt: skip
    return changed


# The scorecard's money lines.


def _lines(organization: Organization):  # type: ignore[no-untyped-def]
    from rumbo.metrics.models import ScorecardMetric

    return ScorecardMetric.objects.filter(organization=organization, metric__in=_money_metrics())


def _lines_count(organization: Organization) -> int:
    return int(_lines(organization).count())


def _lines_label(n: int) -> str:
    return ngettext("%(n)d scorecard money target", "%(n)d scorecard money targets", n) % {"n": n}


def _lines_convert(organization: Organization, old: str, new: str, rate: Decimal) -> int:
    return int(_lines(organization).update(target=Round(F("target") * rate, 4)))


def register() -> None:
    register_money_holder(MoneyHolder("sales", _sales_label, _sales_count, _sales_convert,
                                      _derive))  # fmt: skip
    register_money_holder(MoneyHolder("goals", _goals_label, _goals_count, _goals_convert))
    register_money_holder(MoneyHolder("scorecard", _lines_label, _lines_count, _lines_convert))
