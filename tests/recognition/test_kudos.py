"""Kudos: a line of thanks to somebody of one's team, checked where it is
given (not empty, at most 280 characters, not to oneself, only to people the
giver may thank); a refused form writes nothing and says why; the receiver
is told, with a link to the moment on the team feed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rumbo.notifications.models import Notification
from rumbo.recognition.models import Kudos
from rumbo.recognition.services import kudos_give
from tests.personas import World

pytestmark = pytest.mark.django_db
URL = "/recognition/kudos/"


def test_a_manager_thanks_a_rep_and_she_is_told(world: World) -> None:
    response = world.client("mark").post(
        URL, {"receiver": world.rita.pk, "text": "  Great save with the Rita customer!  "}
    )
    kudos = Kudos.objects.get()
    assert (kudos.giver, kudos.receiver, kudos.text) == (
        world.mark,
        world.rita,
        "Great save with the Rita customer!",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/recognition/#kudos-{kudos.pk}"
    notice = Notification.objects.get(recipient=world.rita, kind="kudos")
    assert notice.title == "Kudos from Mark"
    assert notice.body == "Great save with the Rita customer!"
    assert notice.link == f"/recognition/#kudos-{kudos.pk}"
    page = world.client("rita").get(reverse("notifications:list")).content.decode()
    assert "Kudos from Mark" in page


def test_a_rep_thanks_her_team_manager(world: World) -> None:
    response = world.client("rita").post(URL, {"receiver": world.mark.pk, "text": "Thanks!"})
    assert response.status_code == 302
    assert Kudos.objects.filter(giver=world.rita, receiver=world.mark).count() == 1


@pytest.mark.parametrize(
    ("who", "text", "field", "message"),
    [
        ("mark", "   ", "text", "Write a line saying what you thank them for."),
        ("mark", "x" * 281, "text", "Keep it to 280 characters (this has 281)."),
        ("self", "Me!", "receiver", "Kudos go to somebody else, not to yourself."),
        ("sofia", "Hi", "receiver", "Choose somebody of your team to thank."),  # sibling team
        ("olga", "Hi", "receiver", "Choose somebody of your team to thank."),  # other organisation
        ("nobody", "Hi", "receiver", "Choose somebody of your team to thank."),
    ],
)
def test_a_refused_kudos_writes_nothing_and_says_why(world: World, who: str, text: str,
                                                     field: str, message: str) -> None:  # fmt: skip
    receiver = {"self": world.rita.pk, "nobody": 10**9}.get(who) or world.members[who].pk
    response = world.client("rita").post(URL, {"receiver": receiver, "text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'data-testid="{field}-error"' in body
    assert "nothing was saved" in body
    assert not Kudos.objects.exists()
    assert not Notification.objects.filter(kind="kudos").exists()


def test_the_service_refuses_the_same_without_a_form(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        kudos_give(actor=world.rita, receiver=world.sofia, text="Hi")
    assert refused.value.message_dict == {"receiver": ["Choose somebody of your team to thank."]}
    with pytest.raises(ValidationError):
        kudos_give(actor=world.rita, receiver=world.rita, text="Hi")
    assert not Kudos.objects.exists()


def test_an_admin_may_thank_anyone_of_the_organisation(world: World) -> None:
    kudos_give(actor=world.alice, receiver=world.sofia, text="Thank you")
    with pytest.raises(ValidationError):
        kudos_give(actor=world.alice, receiver=world.olga, text="Thank you")
    assert Kudos.objects.count() == 1


def test_the_kudos_form_offers_only_people_one_may_thank(world: World) -> None:
    body = world.client("rita").get(URL).content.decode()
    assert ">Mark</option>" in body
    assert "Sofia" not in body and "Rita</option>" not in body and "Olga" not in body
