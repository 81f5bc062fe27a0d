"""List pages: filters, sorting and paging give the right rows; totals follow
the filter; htmx gets only the table; query counts stay fixed as data grows."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def rows(response: Any) -> list[str]:
    """The link texts of the first column, in table order."""
    html = response.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>\s*<td[^>]*><a href=\"[^\"]+\">([^<]+)</a>", body)


def test_deal_filters_give_the_matching_rows(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("alice")
    f.DealFactory(organization=world.acme, owner=world.rita, name="Open one", outcome="open")
    url = reverse("sales:deal_list")
    assert rows(client.get(url + "?outcome=open")) == ["Open one"]
    assert set(rows(client.get(url + "?outcome=won"))) == {
        "Rita deal", "Nina deal", "Sofia deal", "Mark deal",
    }  # fmt: skip
    assert set(rows(client.get(url + f"?owner={world.nina.pk}"))) == {"Nina deal"}
    customer = world.records["sofia"].customer
    assert rows(client.get(url + f"?customer={customer.pk}")) == ["Sofia deal"]
    assert rows(client.get(url + "?q=nina")) == ["Nina deal"]


def test_filter_by_another_organisations_customer_matches_nothing(world) -> None:  # type: ignore[no-untyped-def]
    olga_customer = world.records["olga"].customer
    response = world.client("alice").get(
        reverse("sales:deal_list") + f"?customer={olga_customer.pk}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert rows(response) == []
    assert "Select a valid choice." in html
    assert "Olga" not in html


def test_sorting_orders_rows_both_ways(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("alice")
    url = reverse("sales:customer_list")
    ascending = rows(client.get(url + "?sort=name"))
    assert ascending == sorted(ascending) and len(ascending) == 4
    assert rows(client.get(url + "?sort=-name")) == list(reversed(ascending))
    # An unknown sort key falls back to the default order instead of failing.
    assert rows(client.get(url + "?sort=password")) == ascending


def test_paging_splits_rows_and_keeps_the_filter(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_SIZE = 2
    for i in range(3):
        f.ActivityFactory(organization=world.acme, owner=world.rita,
                          customer=world.records["rita"].customer, kind="visit",
                          date=f"2026-01-0{i + 1}")  # fmt: skip
    client = world.client("rita")
    url = reverse("sales:activity_list") + "?kind=visit&sort=date"
    first = client.get(url)
    html = first.content.decode()
    assert "Page 1 of 2" in html and "3 records" in html
    assert "kind=visit&amp;sort=date&amp;page=2" in html
    assert rows(first) == ["Jan 1, 2026", "Jan 2, 2026"]
    assert rows(client.get(url + "&page=2")) == ["Jan 3, 2026"]


def test_deals_list_totals_follow_the_filter(world) -> None:  # type: ignore[no-untyped-def]
    f.DealFactory(organization=world.acme, owner=world.rita, name="Pipeline",
                  amount=Decimal("300"), amount_base=Decimal("300"))  # fmt: skip
    client = world.client("rita")
    html = client.get(reverse("sales:deal_list")).content.decode()
    assert re.search(r"Base amount:</span> <strong[^>]*>€1,500.00", html)
    assert re.search(r"Won:</span> <strong[^>]*>€1,200.00", html)
    assert re.search(r"Open:</span> <strong[^>]*>€300.00", html)
    filtered = client.get(reverse("sales:deal_list") + "?outcome=open").content.decode()
    assert re.search(r"Base amount:</span> <strong[^>]*>€300.00", filtered)


def test_htmx_request_gets_only_the_results_table(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("rita")
    response = client.get(reverse("sales:deal_list") + "?q=rita", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="record-table"' in html and "<html" not in html
    assert "HX-Request" in response["Vary"]
    # A back-button history restore asks for the whole page.
    full = client.get(
        reverse("sales:deal_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in full.content.decode()


def test_filter_form_folds_secondary_filters_unless_used(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("alice")
    plain = client.get(reverse("sales:deal_list")).content.decode()
    assert 'class="collapse" id="more-filters"' in plain
    used = client.get(reverse("sales:deal_list") + "?source=referral").content.decode()
    assert 'class="collapse show" id="more-filters"' in used
    assert '<option value="" selected>Any</option>' in plain


def test_rep_is_not_offered_an_owner_filter(world) -> None:  # type: ignore[no-untyped-def]
    rep = world.client("rita").get(reverse("sales:deal_list")).content.decode()
    manager = world.client("mark").get(reverse("sales:deal_list")).content.decode()
    assert 'name="owner"' not in rep
    assert 'name="owner"' in manager and "Sofia" not in manager


def _grow(world: Any, n: int) -> None:
    """n more records of every kind, owned by Nina (visible to Alice and Mark)."""
    for _ in range(n):
        customer = f.CustomerFactory(organization=world.acme, owner=world.nina)
        f.ContactFactory(organization=world.acme, customer=customer)
        deal = f.DealFactory(organization=world.acme, owner=world.nina, customer=customer)
        f.ActivityFactory(organization=world.acme, owner=world.nina, customer=customer, deal=deal)
        f.SurveyResponseFactory(organization=world.acme, rep=world.nina, customer=customer,
                                deal=deal)  # fmt: skip
        f.ComplaintFactory(organization=world.acme, rep=world.nina, customer=customer, deal=deal)
        f.ProductFactory(organization=world.acme)
        f.MemberFactory(organization=world.acme, team=world.teams["north_east"])


# Queries for a list page, whatever its size: session, user, member, count, rows,
# the navbar's unread-notification count, plus one per record <select> in the
# filter form and one per aggregate or label.
LIST_PINS = {
    "sales:deal_list": 9, "sales:customer_list": 10, "sales:contact_list": 6,
    "sales:activity_list": 7, "sales:surveyresponse_list": 8, "sales:complaint_list": 8,
    "sales:product_list": 7, "sales:technique_list": 6, "sales:exchangerate_list": 6,
}  # fmt: skip


@pytest.mark.parametrize("url_name", sorted(LIST_PINS))
def test_list_query_count_is_fixed_whatever_the_page_size(
    world, url_name, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = world.client("alice")
    url = reverse(url_name)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 30)
    with django_assert_max_num_queries(LIST_PINS[url_name]):
        assert client.get(url).status_code == 200
    assert len(small) <= LIST_PINS[url_name]


def test_filtered_list_adds_two_queries_for_the_chosen_customer(
    world, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _grow(world, 30)
    customer = world.records["rita"].customer
    client = world.client("alice")
    # One query checks the chosen customer is visible, one labels it in the search box.
    with django_assert_max_num_queries(LIST_PINS["sales:activity_list"] + 2):
        response = client.get(reverse("sales:activity_list") + f"?customer={customer.pk}")
    assert 'value="Rita customer"' in response.content.decode()


# Session, user, member, the record and the navbar's unread-notification count;
# then at most two queries per related panel (rows, and a count once the panel
# is full) and the figures. The deal page asks once whether its customer is
# visible before naming it (scoping.is_visible).
# The customer page: 17, and customer health's figure, at most 6 (care/health.py).
DETAIL_PINS = {"customer": 23, "deal": 14}


@pytest.mark.parametrize("kind", sorted(DETAIL_PINS))
def test_detail_page_query_count_is_fixed_whatever_the_related_rows(
    world, kind, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    records = world.records["nina"]
    obj = getattr(records, kind)
    for _ in range(12):
        f.ActivityFactory(organization=world.acme, owner=world.nina, customer=records.customer,
                          deal=records.deal)  # fmt: skip
        f.ComplaintFactory(organization=world.acme, rep=world.nina, customer=records.customer,
                           deal=records.deal)  # fmt: skip
        f.ContactFactory(organization=world.acme, customer=records.customer)
    client = world.client("mark")
    with django_assert_max_num_queries(DETAIL_PINS[kind]):
        response = client.get(reverse(f"sales:{kind}_detail", args=[obj.pk]))
    html = response.content.decode()
    assert "See all 13" in html  # capped panels link to the full, filtered list


def test_survey_and_complaint_lists_show_quality_totals(world) -> None:  # type: ignore[no-untyped-def]
    customer = world.records["rita"].customer
    for score in (2, 4):  # with Rita's 5 from the personas: two of three positive
        f.SurveyResponseFactory(organization=world.acme, rep=world.rita, customer=customer,
                                kind="csat", score=score)  # fmt: skip
    f.ComplaintFactory(organization=world.acme, rep=world.rita, customer=customer,
                       severity="critical")  # fmt: skip
    client = world.client("rita")
    surveys = client.get(reverse("sales:surveyresponse_list")).content.decode()
    assert re.search(r"CSAT:</span> <strong[^>]*>66.7 %", surveys)  # the csat metric's format
    complaints = client.get(reverse("sales:complaint_list")).content.decode()
    assert re.search(r"Still open:</span> <strong[^>]*>2<", complaints)
    assert re.search(r"Open and high or critical:</span> <strong[^>]*>1<", complaints)
