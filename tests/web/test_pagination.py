"""The one pagination block every list uses: links keep the list's query, and
swap the results with htmx unless the page asks for plain links."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def test_links_keep_the_query_and_swap_the_results() -> None:
    page = Paginator(list(range(30)), 10).get_page(2)
    html = render_to_string("web/_pagination.html", {"page": page, "query": "kind=visit&sort=date"})
    assert 'href="?kind=visit&amp;sort=date&amp;page=1"' in html
    assert 'href="?kind=visit&amp;sort=date&amp;page=3"' in html
    assert 'hx-target="#results"' in html
    assert "Page 2 of 3" in html


def test_plain_links_without_a_query_and_nothing_for_one_page() -> None:
    page = Paginator(list(range(30)), 10).get_page(1)
    html = render_to_string("web/_pagination.html", {"page": page, "query": "", "plain": True})
    assert 'href="?page=2"' in html and "hx-get" not in html and 'rel="prev"' not in html
    single = Paginator([1, 2], 10).get_page(1)
    assert "<nav" not in render_to_string("web/_pagination.html", {"page": single, "query": ""})
