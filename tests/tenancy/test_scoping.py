"""The one scoping path: who sees which records."""

import pytest

from rumbo.sales.models import Complaint, Contact, Customer, Deal, Product
from rumbo.tenancy.models import Member


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(obj) for obj in qs}


@pytest.mark.django_db
def test_rep_sees_only_own_deals(world) -> None:  # type: ignore[no-untyped-def]
    assert names(Deal.objects.visible_to(world.rita)) == {"Rita deal"}


@pytest.mark.django_db
def test_manager_sees_team_and_teams_below_but_not_sibling(world) -> None:  # type: ignore[no-untyped-def]
    assert names(Deal.objects.visible_to(world.mark)) == {"Rita deal", "Nina deal", "Mark deal"}


@pytest.mark.django_db
def test_admin_sees_whole_organisation_only(world) -> None:  # type: ignore[no-untyped-def]
    seen = names(Deal.objects.visible_to(world.alice))
    assert seen == {"Rita deal", "Nina deal", "Sofia deal", "Mark deal"}
    assert "Olga deal" not in seen


@pytest.mark.django_db
def test_contacts_follow_their_customer_owner(world) -> None:  # type: ignore[no-untyped-def]
    assert names(Contact.objects.visible_to(world.nina)) == {"Nina contact"}
    assert names(Customer.objects.visible_to(world.sam)) == {"Sofia customer"}


@pytest.mark.django_db
def test_catalogue_is_organisation_wide(world) -> None:  # type: ignore[no-untyped-def]
    assert names(Product.objects.visible_to(world.rita)) == {"Acme widget"}
    assert names(Product.objects.visible_to(world.olga)) == {"Globex widget"}


@pytest.mark.django_db
def test_rep_sees_only_self_among_members(world) -> None:  # type: ignore[no-untyped-def]
    assert names(Member.objects.visible_to(world.rita)) == {"Rita"}
    assert names(Member.objects.visible_to(world.mark)) == {"Mark", "Rita", "Nina"}


@pytest.mark.django_db
def test_complaints_scope_by_rep(world) -> None:  # type: ignore[no-untyped-def]
    assert names(Complaint.objects.visible_to(world.sofia)) == {"Service · Sofia customer"}
