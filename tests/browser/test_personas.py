"""Each demo persona does their jobs of issue 17 in a real browser, in English
and in Spanish, on a desktop (1280 px) and a phone (390 px), reading what the
pages say; screenshots under var/screenshots/personas/ (CI artefacts).

One demo build serves the module (tests/browser/personas_demo.py). What other
browser tests already drive is not repeated: the independent seller's sign-up,
import and new goal (test_solo_seller.py), the search box as one types
(test_search.py), giving kudos (test_recognition.py), confirming a cascade
(test_cascade.py), every page at phone width (test_phone_width.py)."""

from __future__ import annotations

import re

import pytest

from rumbo.care.models import FollowUp
from rumbo.goals.models import Goal
from rumbo.sales.models import Customer
from rumbo.tenancy.models import Member
from tests.browser.personas_demo import (
    DIRECTOR,
    LANGUAGES_AND_WIDTHS,
    MANAGER,
    SOLO,
    STRETCH,
    Demo,
    demo,
    member,
    own_browser,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo", "own_browser"]  # the fixtures, for pytest

WORDS = {
    "en": {
        "goals": "Your goals", "chance": "chance of reaching the target",
        "forecast": "the forecast ends at", "pace": "pace is",
        "notifications": "Notifications", "leaderboard": "Leaderboard",
        "peers": "Ranked among the people of your team.", "not found": "Page not found",
        "home link": "Go to your home page", "follow-ups": "Follow-ups",
        "recognition": "Your recognition", "search": "Search", "needs you": "What needs you",
        "stands": "Where {name} stands on this metric", "approve": "Approve",
        "cascade": "Cascade to members", "preview": "Preview the split",
        "no quota": "no quota: left out unless you tick them",
        "own goal": "Your own goal: it shows on your home page.",
        "alone": "You sell on your own, so there is nobody to rank you against.",
    },
    "es": {
        "goals": "Tus objetivos", "chance": "de probabilidad de alcanzar el objetivo",
        "forecast": "la previsión termina en", "pace": "el ritmo marca",
        "notifications": "Notificaciones", "leaderboard": "Clasificación",
        "peers": "Clasificación entre las personas de tu equipo.",
        "not found": "Página no encontrada", "home link": "Ir a tu página de inicio",
        "follow-ups": "Seguimientos", "recognition": "Tu reconocimiento", "search": "Buscar",
        "needs you": "Lo que requiere tu atención",
        "stands": "Dónde está {name} en esta métrica", "approve": "Aprobar",
        "cascade": "Repartir entre los miembros", "preview": "Ver la vista previa del reparto",
        "no quota": "sin cuota: queda fuera salvo que lo marques",
        "own goal": "Tu propio objetivo: aparece en tu página de inicio.",
        "alone": "Vendes por tu cuenta, así que no hay nadie con quien clasificarte.",
    },
}  # fmt: skip


def _notices(seen, words) -> None:  # type: ignore[no-untyped-def]
    """The notifications page lists the demo's notices (not an empty page)."""
    seen.open("/notifications/", "notifications")
    assert seen.text("h1") == words["notifications"]
    assert seen.page.locator("[data-testid=notifications] li").count() >= 1


def test_rep(own_browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    rep = member("rep@demo.example")
    peers = list(Member.objects.filter(team=rep.team, role="rep", is_active=True)
                 .exclude(pk=rep.pk).order_by("name"))  # fmt: skip
    customer = Customer.objects.filter(owner=rep).order_by("name").first()
    follow_up = FollowUp.objects.filter(owner=rep).order_by("due_on").first()
    assert peers and customer is not None and follow_up is not None
    for language, width in LANGUAGES_AND_WIDTHS:
        words = WORDS[language]
        with visit(own_browser, demo, rep.email, "rep", language, width) as seen:
            seen.open("/", "home")
            cards = seen.page.get_by_test_id("goal-cards")
            assert words["goals"] in seen.text("[data-testid=goal-cards] .card-header")
            stretch = cards.get_by_test_id("goal-card").filter(has_text=STRETCH)
            sentence = " ".join(stretch.get_by_test_id("goal-card-sentence").inner_text().split())
            for word in ("chance", "forecast", "pace"):
                assert words[word] in sentence, (word, sentence)
            card = seen.page.get_by_test_id("recognition-card")
            card.wait_for()
            assert words["recognition"] in card.inner_text()
            assert card.locator("li").count() >= 1  # her badges and kudos of the month

            _notices(seen, words)

            seen.open("/leaderboard/", "leaderboard")
            assert seen.text("h1") == words["leaderboard"]
            assert words["peers"] in seen.text("[data-testid=peers-note]")
            rows = seen.page.get_by_test_id("standing")
            assert rows.count() == len(peers) + 1  # her team, her among them
            table = seen.text("[data-testid=leaderboard-table]")
            assert all(peer.name in table for peer in peers) and rep.name in table
            first = [" ".join(c.split()) for c in rows.first.locator("td").all_inner_texts()]
            assert first[0] == "1" and re.fullmatch(r"\d+[.,]\d", first[2]), first
            assert seen.page.get_by_test_id("own-standing").is_visible()
            # Their ranks, not their records: a peer's scorecard is not found.
            seen.open(f"/scorecard/?scope=rep:{peers[0].pk}", "peer-scorecard", status=404)
            assert seen.text("[data-testid=error-page] h1") == words["not found"]

            seen.open(f"/search/?q={customer.name}", "search")
            assert customer.name in seen.text("[data-testid=search-group-customers]")

            seen.menu(words["follow-ups"])
            assert seen.page.url.endswith("/follow-ups/")
            seen.check("follow-ups")
            listed = seen.text("[data-testid=record-table]")
            assert follow_up.customer.name in listed and rep.name in listed


def test_manager(own_browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    manager = member(MANAGER)
    team = Goal.objects.get(team=manager.team, state="active", metric="revenue")
    shares = {g.member_id: g for g in Goal.objects.filter(parent=team)}
    proposal = Goal.objects.filter(state="proposed", member__team=manager.team).first()
    reps = Member.objects.filter(team=manager.team, role="rep", is_active=True)
    assert shares and proposal is not None and proposal.member is not None
    proposer = proposal.member.name
    for language, width in LANGUAGES_AND_WIDTHS:
        words = WORDS[language]
        with visit(own_browser, demo, manager.email, "manager", language, width) as seen:
            seen.open("/", "home")
            # Her team and what needs her, not a seller's empty page.
            assert seen.page.get_by_test_id("main-goal").count() == 0
            assert words["needs you"] in seen.text("[data-testid=attention] .card-header")
            people = seen.text("[data-testid=rep-table]")
            assert all(rep.name in people for rep in reps)
            review = seen.page.get_by_test_id("attention").locator(
                f"a[href='{proposal.get_absolute_url()}']").first  # fmt: skip
            review.click()
            seen.page.wait_for_url(f"**{proposal.get_absolute_url()}")
            seen.check("review")
            standing = seen.text("[data-testid=rep-standing]")
            assert words["stands"].format(name=proposer) in standing
            assert seen.text("[data-testid=standing-current]")  # where she is today
            assert seen.page.get_by_test_id("standing-period").count() == 4
            assert seen.page.get_by_role("button", name=words["approve"]).is_visible()

            seen.open(team.get_absolute_url(), "cascade")
            form = seen.page.get_by_test_id("cascade-form")
            assert words["cascade"] in seen.text("[data-testid=cascade-form] .card-header")
            # The current split: those with a share ticked, she (no quota) not.
            for person in [*reps, manager]:
                box = form.locator(f"#cascade-{person.pk}")
                assert box.is_checked() == (person.pk in shares), person.name
            line = form.get_by_test_id("cascade-line").filter(has_text=manager.name)
            assert words["no quota"] in " ".join(line.inner_text().split())
            weights = {form.locator(f"input[name=weight_{pk}]").input_value() for pk in shares}
            assert len(weights) > 1  # the shares differ, so do the weights: not all reset to 1
            form.get_by_role("button", name=words["preview"]).click()
            preview = seen.page.get_by_test_id("cascade-preview")
            preview.wait_for()
            assert preview.get_by_test_id("preview-line").count() == len(shares)
            seen.check("cascade-preview")
            assert not Goal.objects.filter(parent=team).exclude(pk__in=[
                g.pk for g in shares.values()]).exists()  # fmt: skip  # nothing saved

            _notices(seen, words)


def test_director(own_browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    director = member(DIRECTOR)
    for language, width in LANGUAGES_AND_WIDTHS:
        words = WORDS[language]
        with visit(own_browser, demo, director.email, "director", language, width) as seen:
            seen.open("/", "home")
            assert director.organization.name in seen.text("h1")
            assert seen.page.get_by_test_id("main-goal").count() == 0
            assert words["needs you"] in seen.text("[data-testid=attention] .card-header")
            teams = seen.text("[data-testid=team-table]")
            assert all(name in teams for name in ("North", "Centre", "South"))
            assert seen.page.get_by_test_id("leaderboard-panel").count() >= 1

            seen.open("/leaderboard/", "leaderboard")
            assert seen.text("h1") == words["leaderboard"]
            sellers = Member.objects.filter(organization=director.organization, role="rep",
                                            is_active=True).count()  # fmt: skip
            assert seen.page.get_by_test_id("standing").count() == sellers

            _notices(seen, words)

            seen.open("/no-such-page/", "not-found", status=404)
            page = seen.text("[data-testid=error-page]")
            assert words["not found"] in page and words["home link"] in page
            assert seen.page.get_by_test_id("notification-bell").count() == 1  # in the layout
            centred = seen.page.evaluate(
                "getComputedStyle(document.querySelector('[data-testid=error-page]')).textAlign"
            )
            assert centred == "center"  # the style sheet applies


def test_independent_seller(own_browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    seller = member(SOLO)
    goals = list(Goal.objects.filter(member=seller, state="active").values_list("name", flat=True))
    assert goals
    for language, width in LANGUAGES_AND_WIDTHS:
        words = WORDS[language]
        with visit(own_browser, demo, seller.email, "seller", language, width) as seen:
            seen.open("/", "home")
            home = seen.text("main")
            assert all(name in home for name in goals)

            seen.open("/goals/new/", "goal-form")
            assert seen.page.locator("#id_owner").input_value() == seller.name
            assert seen.page.locator("#id_member, #id_team").count() == 0
            assert words["own goal"] in seen.text("main form")

            seen.open("/leaderboard/", "leaderboard")
            assert words["alone"] in seen.text("[data-testid=leaderboard-alone]")
            assert seen.page.get_by_test_id("leaderboard-table").count() == 0
