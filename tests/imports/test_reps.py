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


# The sales_teams file of the "CRM sales opportunities" sample data set: each
# office has several managers, each leading their own agents.
SALES_TEAMS = """sales_agent,manager,regional_office
Anna Snelling,Dustin Brinkmann,Central
Cecily Lampkin,Dustin Brinkmann,Central
Lajuana Vencill,Melvin Marxen,Central
Moses Frase,Melvin Marxen,Central
Daniell Hammack,Rocco Neubert,East
Violet Mclelland,Cara Losch,East
Kami Bicknell,Cara Losch,East
"""


def test_an_office_with_several_managers_becomes_a_team_per_manager(importer, world) -> None:
    result = importer.run("reps", "sales_teams.csv", SALES_TEAMS)
    assert result.ok and result.applied, lines(result)
    rows = [line.split(",") for line in SALES_TEAMS.strip().splitlines()[1:]]
    for agent, manager_name, office in rows:
        rep = Member.objects.get(organization=world.acme, name=agent)
        manager = Member.objects.get(organization=world.acme, name=manager_name)
        assert rep.team.manager == manager, agent
        assert rep.team.parent == Team.objects.get(organization=world.acme, name=office), agent
        assert manager.role == "manager"
        # The manager sees their own reps and no one else's.
        assert Member.objects.visible_to(manager).filter(pk=rep.pk).exists()
    dustin = Member.objects.get(organization=world.acme, name="Dustin Brinkmann")
    assert not Member.objects.visible_to(dustin).filter(name="Moses Frase").exists()
    assert Team.objects.get(organization=world.acme, name="Central").parent == world.teams["root"]
    again = importer.run("reps", "sales_teams.csv", SALES_TEAMS)
    assert again.ok and (again.created, again.updated) == (0, 0), lines(again)
