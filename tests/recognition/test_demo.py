"""The demo's recognition: badges of several kinds (quality ones among them)
and kudos, each announced to its person; the rep finds her team's moments on
the feed and her own on her home card."""

from __future__ import annotations

import pytest
from django.test import Client

from rumbo.demo.normal import REP_LOGIN
from rumbo.notifications.models import Notification
from rumbo.recognition.models import Badge, Kudos
from rumbo.tenancy.models import Member

# The demo as the notifications' tests build it (same seed, scale and day).
from tests.notifications.test_demo import TODAY
from tests.notifications.test_demo import demo as demo  # noqa: F401 - the fixture


@pytest.mark.django_db
def test_the_demo_has_believable_badges_and_kudos(demo) -> None:  # type: ignore[no-untyped-def]
    demo_org = Member.objects.get(email=REP_LOGIN).organization
    rules = set(Badge.objects.filter(organization=demo_org).values_list("rule", flat=True))
    assert {"promoter", "repeat_customer"} <= rules, rules
    assert rules & {"goal_achieved", "milestone"}, rules
    kudos = Kudos.objects.filter(organization=demo_org)
    assert kudos.count() >= 5
    assert all(k.created_at.date() <= TODAY for k in kudos)
    for moment, kind in ((Badge.objects.filter(organization=demo_org).first(), "badge"),
                         (kudos.first(), "kudos")):  # fmt: skip
        assert moment is not None
        notice = Notification.objects.get(kind=kind, subject_key=f"{kind}:{moment.pk}")
        assert notice.link == f"/recognition/#{kind}-{moment.pk}"


@pytest.mark.django_db
def test_the_rep_sees_her_team_feed_and_her_card(demo) -> None:  # type: ignore[no-untyped-def]
    rep = Member.objects.select_related("user").get(email=REP_LOGIN)
    client = Client()
    client.force_login(rep.user)
    feed = client.get("/recognition/").content.decode()
    assert 'data-testid="moment-' in feed
    teammates = set(Member.objects.filter(team_id=rep.team_id).values_list("name", flat=True))
    others = Member.objects.exclude(team_id=rep.team_id).filter(role="rep")
    shown = [m.name for m in others if f'<span class="fw-semibold">{m.name}</span>' in feed]
    assert not shown, f"another team's badges on the rep's feed: {shown}"
    assert teammates
    assert client.get("/recognition/card/").status_code == 200
