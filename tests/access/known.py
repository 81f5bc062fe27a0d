"""Access findings in code the walk does not own, reported to its owners.

Each entry is set aside by the walks and expected by a strict xfail test, so
it must be removed the day the bug is fixed. Keep the reason precise: who,
which page, what leaked."""

from __future__ import annotations

from tests.access.checks import KnownBug

EVERYONE = ("alice", "mark", "sam", "rita", "nina", "sofia", "oscar", "olga")
# Those who cannot see their own team's manager or parent team.
BELOW = ("mark", "sam", "rita", "nina", "sofia", "olga")

TEAM_READS = (
    "A team, as shown to someone who may read it, names its parent team and its "
    "manager even when the reader may not see them (members are 'self'-scoped: a rep "
    "sees only themself). Page: /teams/<id>/ (web/crud.py DetailView.fields -> "
    "panels.detail_url) shows and links them, and the links answer 404: Rita on "
    "/teams/<North>/ reads 'Acme' and 'Mark'; Mark reads the parent 'Acme' above his "
    "subtree. API: TeamOut.parent / TeamOut.manager (tenancy/schemas.py) carry the same "
    "names. Either show only what the reader may see, or widen the rule on purpose."
)

PAGE_BUGS: list[KnownBug] = [
    KnownBug(
        EVERYONE,
        ("tenancy:team_list",),
        ("TemplateSyntaxError",),
        "GET /teams/ with HX-Request (the htmx partial) crashes with a 500: the team tree "
        "replaces the paginator, and web/crud/_table.html counts page.paginator.count.",
    ),  # fmt: skip
    KnownBug(BELOW, ("tenancy:team_detail",), ("links to", "shows"), TEAM_READS),
]

API_BUGS: list[KnownBug] = [
    KnownBug(
        ("rita", "sofia", "olga"),
        ("GET /api/v1/teams", "GET /api/v1/teams/{id}"),
        ("shows",),
        TEAM_READS,
    ),  # fmt: skip
]
