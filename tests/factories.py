"""factory_boy factories for Rumbo's records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from rumbo.sales import models as sales
from rumbo.tenancy import models as tenancy


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tenancy.User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tenancy.Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    currency = "EUR"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tenancy.Team

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tenancy.Member

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.Sequence(lambda n: f"member{n}@example.test")
    role = tenancy.Role.REP


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.Customer

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    kind = "business"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.Contact

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.ExchangeRate

    organization = factory.SubFactory(OrganizationFactory)
    currency = "USD"
    date = dt.date(2026, 1, 1)
    rate = Decimal("0.9")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.Product

    organization = factory.SubFactory(OrganizationFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    name = factory.Sequence(lambda n: f"Product {n}")
    category = "Hardware"
    list_price = Decimal("100.00")


class TechniqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.Technique

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Technique {n}")


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.Deal

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Deal {n}")
    amount = Decimal("1000.00")
    amount_base = Decimal("1000.00")
    currency = "EUR"
    outcome = "open"
    closed_on = None
    # The database's rules (ADR 0015): never closed before created, and a won
    # or lost deal has a customer (by default a new one of the deal's owner).
    created_on = factory.LazyAttribute(
        lambda o: min(timezone.localdate() - dt.timedelta(days=30), o.closed_on or dt.date.max)
    )
    customer = factory.Maybe(
        factory.LazyAttribute(lambda o: o.outcome in ("won", "lost")),
        yes_declaration=factory.SubFactory(
            CustomerFactory, organization=factory.SelfAttribute("..organization"),
            owner=factory.SelfAttribute("..owner"),
        ),
        no_declaration=None,
    )  # fmt: skip


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.Activity

    organization = factory.SubFactory(OrganizationFactory)
    kind = "call"
    date = factory.LazyFunction(timezone.localdate)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.SurveyResponse

    organization = factory.SubFactory(OrganizationFactory)
    kind = "csat"
    score = 5
    responded_on = factory.LazyFunction(timezone.localdate)


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sales.Complaint

    organization = factory.SubFactory(OrganizationFactory)
    category = "service"
    opened_at = factory.LazyFunction(timezone.now)
