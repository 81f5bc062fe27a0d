"""Survey answers and complaints after a sale. Scores follow the customer's
satisfaction (which follows the rep's care); complaints of careless reps are
more often about sales conduct and take longer to resolve, some never are."""

from __future__ import annotations

import datetime as dt
import random

from rumbo.demo.context import OrgContext, moment
from rumbo.demo.draw import Weighted, between
from rumbo.demo.profiles import RepProfile
from rumbo.demo.vocab import COMPLAINT_TEXTS, RESOLUTION_TEXTS, SURVEY_COMMENTS

CHANNELS = Weighted(("email", "web", "phone", "sms", "in_person"), (55, 20, 15, 5, 5))
SEVERITIES = Weighted(("low", "medium", "high", "critical"), (30, 40, 22, 8))
SEVERITY_PACE = {"low": 1.4, "medium": 1.0, "high": 0.7, "critical": 0.4}
CATEGORIES = ("product", "service", "billing", "delivery", "sales_conduct", "other")


def survey_row(
    ctx: OrgContext, rng: random.Random, kind: str, member_id: int, customer_id: int,
    deal_id: int, closed_on: dt.date, satisfaction: float, complained: bool,
) -> tuple[object, ...] | None:  # fmt: skip
    """A CSAT (1–5) or NPS (0–10) answer a few days after the sale, or None when
    that day has not come yet."""
    day = closed_on + dt.timedelta(days=between(rng, 1, 21))
    if day >= ctx.today:
        return None
    if kind == "csat":
        score = round(1 + 4 * satisfaction + rng.gauss(0, 0.55)) - (1 if complained else 0)
        score = min(5, max(1, score))
        mood = "good" if score >= 4 else "neutral" if score == 3 else "bad"
    else:
        score = round(10 * satisfaction + 0.5 + rng.gauss(0, 1.3)) - (2 if complained else 0)
        score = min(10, max(0, score))
        mood = "good" if score >= 9 else "neutral" if score >= 7 else "bad"
    comment = rng.choice(SURVEY_COMMENTS[mood]) if rng.random() < 0.4 else ""
    channel = CHANNELS.pick(rng)
    return (ctx.org_id, kind, score, comment, day, channel, customer_id, deal_id, member_id, "")


def complaint_row(
    ctx: OrgContext, rng: random.Random, rep: RepProfile, member_id: int, customer_id: int,
    deal_id: int, closed_on: dt.date,
) -> tuple[object, ...] | None:  # fmt: skip
    """A complaint some days after the sale: resolved (faster by caring reps and
    for severe cases), in progress, or still open. None if it would be in the future."""
    day = closed_on + dt.timedelta(days=between(rng, 2, 75))
    if day >= ctx.today:
        return None
    opened = moment(ctx, day, rng)
    careless = 1 - rep.care
    severity = SEVERITIES.pick(rng)
    category = rng.choices(CATEGORIES, (22, 22, 14, 16, 4 + 40 * careless, 6))[0]
    hours = (4 + 160 * careless**1.5) * rng.lognormvariate(0, 0.5) * SEVERITY_PACE[severity]
    resolved: dt.datetime | None = opened + dt.timedelta(hours=round(hours, 2))
    stuck = rng.random() < 0.01 + 0.12 * careless
    if stuck or resolved is None or resolved >= ctx.now:
        resolved = None
        started = ctx.now - opened > dt.timedelta(days=1) and rng.random() < 0.6
        status, notes = ("in_progress" if started else "open"), ""
    else:
        status, notes = "resolved", rng.choice(RESOLUTION_TEXTS)
    return (ctx.org_id, customer_id, deal_id, member_id, opened, resolved, severity, category,
            status, COMPLAINT_TEXTS[category], notes, "")  # fmt: skip
