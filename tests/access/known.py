"""Access findings in code the walk does not own, reported to its owners.

Each entry is set aside by the walks and expected by a strict xfail test, so
it must be removed the day the bug is fixed. Keep the reason precise: who,
which page, what leaked."""

from __future__ import annotations

from tests.access.checks import KnownBug

EVERYONE = ("alice", "mark", "sam", "rita", "nina", "sofia", "oscar", "olga")

PAGE_BUGS: list[KnownBug] = [
    KnownBug(
        EVERYONE,
        "tenancy:team_list",
        "TemplateSyntaxError",
        "GET /teams/ with HX-Request (the htmx partial) crashes with a 500: the team tree "
        "replaces the paginator, and web/crud/_table.html counts page.paginator.count.",
    ),  # fmt: skip
    KnownBug(
        ("mark", "sam", "rita", "nina", "sofia", "olga"),
        "tenancy:team_detail",
        "links to",
        "A team's detail page shows and links its parent team and its manager even when "
        "the viewer cannot see them (web/crud.py DetailView.fields -> panels.detail_url "
        "does not check visible_to): Rita on /teams/<North>/ reads 'Acme' and 'Mark', and "
        "their links answer 404; Mark reads the parent team 'Acme' above his subtree.",
    ),  # fmt: skip
]

API_BUGS: list[KnownBug] = []
