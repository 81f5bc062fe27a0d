"""API operations for the balanced scorecard under /api/v1: its configuration
(`/scorecard`, read by everybody, replaced by admins), scores (`/scores`) and
leaderboards (`/leaderboards`) — through the caller's access scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from rumbo.metrics import leaderboards, peers, scorecards, services
from rumbo.metrics.evaluation import Scope
from rumbo.metrics.periods import checked_bounds
from rumbo.web.api_helpers import CREATE_ERRORS, LIST_ERRORS, READ_ERRORS, actor_of
from rumbo.web.ids import max_page

router = Router(tags=["scorecard"])


class ScorecardLineOut(Schema):
    metric: str
    label: str
    unit: str
    direction: Literal["higher", "lower"]
    weight: Decimal
    target: Decimal = Field(description="per rep per month for running totals, else as is")
    per_rep_month: bool = Field(
        description="the metric accumulates: its target scales with months and headcount"
    )


class ScorecardOut(Schema):
    configured: bool = Field(description="false: the organisation uses the defaults")
    metrics: list[ScorecardLineOut]


class ScorecardLineIn(Schema):
    metric: str
    weight: Decimal
    target: Decimal


class ScorecardIn(Schema):
    metrics: list[ScorecardLineIn]


class PeriodQuery(Schema):
    period: Literal["month", "quarter", "year", "custom"] = "quarter"
    on: date | None = Field(None, description="a day of the month, quarter or year (default today)")
    start: date | None = Field(None, alias="from", description="first day (custom period)")
    end: date | None = Field(None, alias="to", description="last day (custom period)")
    scope: str = Field("org", description="org, team:ID or rep:ID")


class ScoresQuery(PeriodQuery):
    by: Literal["rep", "team", "all"] = Field("rep", description="all: the whole scope")


class LeaderboardQuery(PeriodQuery):
    key: str = Field("score", description="score, or an additive metric's key")
    by: Literal["rep", "team"] = "rep"
    page: int = Field(1, ge=1, le=max_page(settings.API_MAX_PAGE_SIZE))
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)
    ordering: Literal["rank", "-rank", "name", "-name", "movement", "-movement"] | None = Field(
        None, description="rank (default), name or movement; a leading '-' reverses"
    )


class PartOut(Schema):
    metric: str
    family: Literal["quantity", "quality"]
    weight: Decimal
    target: Decimal = Field(description="for this period, rep or team (see target_source)")
    target_source: Literal["goal", "scorecard"] = Field(
        description="goal: an active goal on this metric, owner and period; scorecard: the "
        "scorecard's target, scaled as the metric declares"
    )
    actual: Decimal | None = Field(description="null: no data (the metric is left out)")
    attainment: Decimal | None = Field(description="% of the target as achieved (uncapped)")
    credit: Decimal | None = Field(description="what the score counts: attainment up to 100")
    met: bool
    lift: Decimal = Field(description="points the score would gain were this target met")


class ScoreOut(Schema):
    key: int | None
    name: str
    kind: Literal["rep", "team", "scope"]
    score: Decimal | None = Field(
        description="0–100 (100: every target met); null when no metric has data"
    )
    quantity: Decimal | None = Field(description="the quantity half: weighted mean credit")
    quality: Decimal | None = Field(description="the quality half: weighted mean credit")
    biggest_lift: str | None = Field(
        description="the metric whose target, met, lifts the score most"
    )
    headcount: int
    parts: list[PartOut]


class ScoresOut(Schema):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    scope: str
    by: str
    rows: list[ScoreOut]


class StandingOut(Schema):
    rank: int | None
    key: int | None = Field(description="the member's or team's id; null for an unnamed peer")
    name: str = Field(description="a peer's name, or “Peer N” where the admin hides them")
    value: Decimal | None
    previous_rank: int | None
    movement: int | None = Field(description="places climbed since the previous period")
    new: bool


class LeaderboardOut(Schema):
    key: str
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    previous_start: date = Field(alias="previous_from")
    previous_end: date = Field(alias="previous_to")
    by: str
    scope: str = Field(
        description="who was ranked: org, team:ID or rep:ID (a rep's org is "
        "their team's where the admin keeps rankings to teams)"
    )
    peers: bool = Field(
        description="a rep's ranking among peers: names, scores and ranks "
        "only; their records stay closed"
    )
    count: int
    page: int
    page_size: int
    rows: list[StandingOut]


def _card_out(card: scorecards.Scorecard) -> dict[str, Any]:
    return {"configured": card.configured, "metrics": [
        {"metric": line.metric.key, "label": str(line.metric.label), "unit": line.metric.unit,
         "direction": line.metric.direction, "weight": line.weight, "target": line.target,
         "per_rep_month": line.cumulative}
        for line in card.lines
    ]}  # fmt: skip


def _period(params: PeriodQuery) -> tuple[date, date, Scope]:
    start, end = checked_bounds(params.period, params.on or timezone.localdate(),
                                params.start, params.end)  # fmt: skip
    try:
        scope = Scope.parse(params.scope)
    except ValueError as exc:
        raise ValidationError({"scope": _("Use org, team:ID or rep:ID.")}) from exc
    return start, end, scope


@router.get("/scorecard", operation_id="scorecard_retrieve",
            response={200: ScorecardOut, **LIST_ERRORS})  # fmt: skip
def read_scorecard(request: HttpRequest) -> dict[str, Any]:
    """The organisation's scorecard: its metrics, weights, targets and caps."""
    return _card_out(scorecards.scorecard_config(actor=actor_of(request)))


@router.put("/scorecard", operation_id="scorecard_update",
            response={200: ScorecardOut, **CREATE_ERRORS})  # fmt: skip
def update_scorecard(request: HttpRequest, payload: ScorecardIn) -> dict[str, Any]:
    """Replace the scorecard (admins only). Errors name the line and field:
    `metrics.1.weight`."""
    actor = actor_of(request)
    lines = [services.ScorecardLine(m.metric, m.weight, m.target)
             for m in payload.metrics]  # fmt: skip
    try:
        services.scorecard_update(actor=actor, lines=lines)
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", {})
        raise ValidationError({(k if k == "__all__" else f"metrics.{k}"): v
                               for k, v in errors.items()}) from exc  # fmt: skip
    return _card_out(scorecards.scorecard_config(actor=actor))


@router.get("/scores", operation_id="scores_list", by_alias=True,
            response={200: ScoresOut, **READ_ERRORS, 422: LIST_ERRORS[422]})  # fmt: skip
def list_scores(request: HttpRequest, params: Query[ScoresQuery]) -> dict[str, Any]:
    """Each rep's or team's (or the whole scope's) score and breakdown over the
    period, for the members of the scope the caller may see."""
    start, end, scope = _period(params)
    by = None if params.by == "all" else params.by
    rows = scorecards.scorecard_scores(actor=actor_of(request), scope=scope, start=start,
                                       end=end, by=by)  # fmt: skip
    return {
        "from": start,
        "to": end,
        "scope": params.scope,
        "by": params.by,
        "rows": [_score_out(s) for s in rows],
    }


def _score_out(s: scorecards.Score) -> dict[str, Any]:
    lift = s.biggest_lift
    return {"key": s.key, "name": s.name, "kind": s.kind, "score": s.score,
            "quantity": s.halves["quantity"], "quality": s.halves["quality"],
            "biggest_lift": lift.metric.key if lift else None, "headcount": s.headcount,
            "parts": [{"metric": p.metric.key, "family": p.family, "weight": p.weight,
                       "target": p.target, "target_source": p.source, "actual": p.actual,
                       "attainment": p.attainment, "credit": p.credit, "met": p.met,
                       "lift": p.lift} for p in s.parts]}  # fmt: skip


@router.get("/leaderboards", operation_id="leaderboards_list", by_alias=True,
            response={200: LeaderboardOut, **READ_ERRORS, 422: LIST_ERRORS[422]})  # fmt: skip
def list_leaderboard(request: HttpRequest, params: Query[LeaderboardQuery]) -> dict[str, Any]:
    """The scope's reps or teams the caller may see, ranked by score or by an
    additive metric, with their movement since the previous period. A rep is
    ranked among their peers, as on the page: their team, or the organisation
    where the admin allows it (`scope=org`)."""
    start, end, scope = _period(params)
    if params.key not in leaderboards.leaderboard_keys():
        raise ValidationError({"key": _("Rank by the score or by a metric read from rollups.")})
    actor = actor_of(request)
    ranking = peers.ranking_for_scope(actor, scope)
    rows = peers.standings(actor=actor, ranking=ranking, key=params.key, start=start, end=end,
                           by=params.by)  # fmt: skip
    rows = leaderboards.sort_standings(rows, ranking.ordering(params.ordering or "rank"))
    before = scorecards.previous_period(start, end)
    first = (params.page - 1) * params.page_size
    return {"key": params.key, "from": start, "to": end, "previous_from": before[0],
            "previous_to": before[1], "by": params.by, "scope": ranking.scope_text,
            "peers": ranking.among is not None, "count": len(rows), "page": params.page,
            "page_size": params.page_size, "rows": [
                {"rank": s.rank, "key": s.key, "name": s.name, "value": s.value,
                 "previous_rank": s.previous_rank, "movement": s.movement, "new": s.is_new}
                for s in rows[first:first + params.page_size]
            ]}  # fmt: skip
