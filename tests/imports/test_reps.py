"""A reps file with managers and regional offices builds the team tree and the
memberships; people named only by name exist without a login."""

from __future__ import annotations

from rumbo.sales.models import Deal
from rumbo.tenancy.models import Member, Team
from tests.imports.conftest import lines

REPS = """Rep,Email,Manager,Regional office
Vera Vega,,Carlos Cruz,Madrid
Pablo Paz,,Carlos Cruz,Madrid
Carlos Cruz,carlos@acme.test,Alice,Iberia
Lucía Luna,,Diana Díaz,Lisboa
Diana Díaz,,Carlos Cruz,Lisboa
"""


def test_reps_file_builds_teams_and_members_without_logins(importer, world) -> None:
    result = importer.run("reps", "reps.csv", REPS)
    assert result.ok and result.applied, lines(result)
    assert result.created == 5
    vera = Member.objects.get(organization=world.acme, name="Vera Vega")
    assert (vera.user, vera.role, vera.team.name) == (None, "rep", "Madrid")
    madrid = Team.objects.get(organization=world.acme, name="Madrid")
    iberia = Team.objects.get(organization=world.acme, name="Iberia")
    lisboa = Team.objects.get(organization=world.acme, name="Lisboa")
    carlos = Member.objects.get(organization=world.acme, name="Carlos Cruz")
    assert (madrid.manager, madrid.parent) == (carlos, iberia)
    assert carlos.role == "manager" and carlos.team == iberia
    assert lisboa.manager.name == "Diana Díaz" and lisboa.parent == iberia
    assert iberia.manager == carlos and iberia.parent == world.teams["root"]
    # Carlos now sees the people of the offices below his, as a manager of the teams below him.
    assert Member.objects.visible_to(carlos).filter(name="Lucía Luna").exists()
    again = importer.run("reps", "reps.csv", REPS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_rep_from_the_file_owns_imported_deals(importer, world) -> None:
    importer.run("reps", "reps.csv", REPS)
    text = "name,owner,amount\nFirst,Vera Vega,10\n"
    assert importer.run("deals", "d.csv", text).ok
    assert Deal.objects.get(name="First").owner.name == "Vera Vega"


def test_misspelt_manager_is_reported_not_created(importer, world) -> None:
    result = importer.run(
        "reps", "reps.csv", "Name,Manager\nZoe,Carlos Cruz\nYan,Carlos Crus\nCarlos Cruz,\n"
    )
    assert lines(result) == [
        "row 3, column Manager: No one is called Carlos Crus. Did you mean “Carlos Cruz”?"
    ]
    assert not Member.objects.filter(name="Zoe").exists()


def test_two_people_with_one_email_are_refused(importer, world) -> None:
    assert importer.run("reps", "reps.csv", "External ID,Name\nX1,Zoe\n").ok
    result = importer.run("reps", "reps.csv", "External ID,Name,Email\nX1,Zoe,rita@acme.test\n")
    assert not result.applied and "cannot share an email" in result.problems[0].reason
    assert Member.objects.get(name="Zoe").email == ""
