"""Bounded work for every metrics read: a period is at most ten years, split
into at most 520 weeks or months, and its days lie between 1900 and 2199.
Beyond that the API answers 422 naming the field, the pages 400 with the
message on the field, the `rumbo metrics show` command a clear error — never a
500 and never a request that runs for minutes (issue 14)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.tenancy.api_client import bearer

pytestmark = pytest.mark.django_db


def _refused(response, field: str, words: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert [e["loc"][-1] for e in detail] == [field], detail
    assert words in detail[0]["msg"], detail


def test_a_period_of_thousands_of_years_is_refused_before_any_work(world) -> None:  # type: ignore[no-untyped-def]
    api = bearer(world.alice)
    # The request, which never answered: 4,898 years of weeks.
    _refused(api.get("/api/v1/metrics/retention?scope=org&from=2026-10-02&to=6924-04-18&by=week"),
             "to", "between 1900-01-01 and 2199-12-31")  # fmt: skip
    # In range but longer than ten years, even by month or not grouped.
    for by in ("&by=month", "&by=rep", ""):
        _refused(api.get(f"/api/v1/metrics/pipeline_value?from=2000-01-01&to=2010-01-01{by}"),
                 "to", "at most 10 years")  # fmt: skip
    # Ten years less a day is allowed by month, but is 523 weeks (it starts on a
    # Saturday): too many by week.
    assert api.get("/api/v1/metrics/revenue?from=2000-01-01&to=2009-12-31&by=month") \
        .status_code == 200  # fmt: skip
    _refused(api.get("/api/v1/metrics/revenue?from=2000-01-01&to=2009-12-31&by=week"),
             "by", "523 weeks; at most 520")  # fmt: skip


def test_the_limits_come_from_settings(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_MAX_YEARS, settings.METRICS_MAX_BUCKETS = 1, 6
    api = bearer(world.alice)
    _refused(api.get("/api/v1/metrics/revenue?from=2024-01-01&to=2025-01-01"), "to", "1 year")
    _refused(api.get("/api/v1/metrics/revenue?from=2024-01-01&to=2024-07-31&by=month"),
             "by", "7 months; at most 6")  # fmt: skip
    assert api.get("/api/v1/metrics/revenue?from=2024-01-01&to=2024-06-30&by=month") \
        .status_code == 200  # fmt: skip


# Each of these answered 500 (a date past year 9999 or before year 1 while
# computing the period after, before or the buckets) or read years of buckets.
API_EDGES = [
    ("/api/v1/metrics/revenue?from=9999-12-30&to=9999-12-31&by=week", "to"),
    ("/api/v1/metrics/revenue?from=9999-12-30&to=9999-12-31&by=month", "to"),
    ("/api/v1/metrics/retention?from=0001-01-01&to=0001-12-31", "to"),
    ("/api/v1/metrics/revenue?to=0001-01-01", "to"),
    ("/api/v1/scores?period=year&on=9999-12-31", "on"),
    ("/api/v1/scores?period=custom&from=0001-01-01&to=0001-01-31", "from"),
    ("/api/v1/leaderboards?period=year&on=0001-06-01", "on"),
    ("/api/v1/leaderboards?period=month&on=9999-12-01", "on"),
    ("/api/v1/leaderboards?period=custom&from=0001-01-01&to=0001-01-05", "from"),
    ("/api/v1/leaderboards?period=custom&from=2020-01-01&to=9999-12-31", "to"),
    ("/api/v1/scores?period=custom&from=1990-01-01&to=2020-01-01", "to"),
]


@pytest.mark.parametrize(("url", "field"), API_EDGES)
def test_dates_at_the_limits_answer_422_in_the_api(world, url: str, field: str) -> None:  # type: ignore[no-untyped-def]
    response = bearer(world.alice).get(url)
    assert response.status_code == 422, response.content
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]


PAGE_EDGES = [
    ("/scorecard/?period=year&on=9999-06-01", "between 1900-01-01 and 2199-12-31"),
    ("/scorecard/?period=year&on=0001-06-01", "between 1900-01-01 and 2199-12-31"),
    ("/leaderboard/?period=year&on=0001-06-01", "between 1900-01-01 and 2199-12-31"),
    ("/leaderboard/?period=month&on=9999-12-01", "between 1900-01-01 and 2199-12-31"),
    ("/leaderboard/?period=custom&start=1926-01-01&end=2026-01-01", "at most 10 years"),
    ("/scorecard/?period=custom&start=1926-01-01&end=2026-01-01", "at most 10 years"),
]


@pytest.mark.parametrize(("url", "words"), PAGE_EDGES)
def test_dates_at_the_limits_answer_400_with_the_reason_on_pages(world, url, words) -> None:  # type: ignore[no-untyped-def]
    response = world.client("alice").get(url)
    assert response.status_code == 400
    assert words in response.content.decode()


def test_the_show_command_refuses_a_period_beyond_the_limits(world) -> None:  # type: ignore[no-untyped-def]
    show = ("metrics", "show", "--org", "acme", "--metric", "revenue")
    with pytest.raises(CommandError, match="--to: A period is at most 10 years long"):
        call_command(*show, "--from", "2000-01-01", "--to", "2020-01-01")
    with pytest.raises(CommandError, match="--by: This period has 523 weeks"):
        call_command(*show, "--from", "2000-01-01", "--to", "2009-12-31", "--by", "week")
    with pytest.raises(CommandError, match="--to: Choose a day between 1900-01-01"):
        call_command(*show, "--to", "0001-01-01")


def test_the_bucket_count_is_the_number_of_buckets_built() -> None:
    """The limit counts weeks and months without building them; the count must
    be what `buckets()` would build, or the limit would let more through."""
    import datetime as dt

    from rumbo.metrics.evaluation import buckets
    from rumbo.metrics.periods import bucket_count

    first = dt.date(2023, 12, 25)
    for offset in range(0, 15):
        start = first + dt.timedelta(days=offset)
        for length in (0, 1, 6, 7, 30, 31, 59, 365, 366, 800):
            end = start + dt.timedelta(days=length)
            for by in ("week", "month", None):
                built = buckets(start, end, by)
                assert bucket_count(start, end, by) == len(built), (start, end, by)
