"""API operations for sales records: each kind gets list, retrieve, create,
update and delete from `rumbo.web.api_helpers`, with its own schemas."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from rumbo.sales import filters as f
from rumbo.sales import models as m
from rumbo.sales import schemas as s
from rumbo.sales import services
from rumbo.sales.models import Deal, Product, Technique
from rumbo.tenancy.models import Member
from rumbo.web.api_helpers import ApiResource, register, simple_save
from rumbo.web.filter_api import api_filters

router = Router(tags=["sales"])


def _owned_by_actor(actor: Member) -> dict[str, Any]:
    return {"owner_id": actor.pk}


def _deal_defaults(actor: Member) -> dict[str, Any]:
    return {
        "owner_id": actor.pk,
        "currency": actor.organization.currency,
        "created_on": timezone.localdate(),
    }


def _activity_defaults(actor: Member) -> dict[str, Any]:
    return {"owner_id": actor.pk, "date": timezone.localdate()}


def _visible_rows(model: Any, actor: Member, ids: list[int], field: str, message: str) -> dict:  # type: ignore[type-arg]
    """The rows of `ids` the actor may see; any other id is a field error."""
    rows = model.objects.visible_to(actor).in_bulk(ids)
    if set(ids) - set(rows):
        raise ValidationError({field: message})
    return rows  # type: ignore[no-any-return]


def _save_deal(*, actor: Member, obj: Deal, creating: bool, extra: dict[str, Any]) -> Deal:
    """Resolve the line products and techniques, then save all in one service call."""
    lines = techniques = None
    if extra.get("lines") is not None:
        ids = [line["product_id"] for line in extra["lines"]]
        products = _visible_rows(
            Product, actor, ids, "lines", _("Choose products of this organisation.")
        )
        lines = [
            services.LineInput(products[ln["product_id"]], ln["quantity"], ln["unit_price"])
            for ln in extra["lines"]
        ]
    if extra.get("technique_ids") is not None:
        ids = extra["technique_ids"]
        found = _visible_rows(
            Technique, actor, ids, "technique_ids", _("Choose techniques of this organisation.")
        )
        techniques = list(found.values())
    return services.deal_save(
        actor=actor, deal=obj, creating=creating, lines=lines, techniques=techniques
    )


RESOURCES = [
    ApiResource(
        path="customers", model=m.Customer, schema_in=s.CustomerIn, schema_out=s.CustomerOut,
        filters=api_filters(f.CustomerFilter), save=simple_save(services.customer_save, "customer"),
        delete=services.record_remove, defaults=_owned_by_actor, select_related=["owner"],
        orderings=["name", "kind", "segment", "industry", "country", "created_at"],
    ),
    ApiResource(
        path="contacts", model=m.Contact, schema_in=s.ContactIn, schema_out=s.ContactOut,
        filters=api_filters(f.ContactFilter), save=simple_save(services.contact_save, "contact"),
        delete=services.record_remove, select_related=["customer"],
        orderings=["name", "title", "email", "customer__name"],
    ),
    ApiResource(
        path="products", model=m.Product, schema_in=s.ProductIn, schema_out=s.ProductOut,
        filters=api_filters(f.ProductFilter), save=simple_save(services.product_save, "product"),
        delete=services.record_remove, orderings=["sku", "name", "category", "list_price"],
    ),
    ApiResource(
        path="techniques", model=m.Technique, schema_in=s.TechniqueIn,
        schema_out=s.TechniqueOut, filters=api_filters(f.TechniqueFilter),
        save=simple_save(services.technique_save, "technique"), delete=services.record_remove,
        orderings=["name"],
    ),
    ApiResource(
        path="rates", model=m.ExchangeRate, schema_in=s.ExchangeRateIn,
        schema_out=s.ExchangeRateOut, filters=api_filters(f.ExchangeRateFilter),
        save=simple_save(services.exchange_rate_save, "rate"),
        delete=services.exchange_rate_delete,
        orderings=["date", "currency", "rate"],
    ),
    ApiResource(
        path="deals", model=m.Deal, schema_in=s.DealIn, schema_out=s.DealOut,
        filters=api_filters(f.DealFilter), save=_save_deal, delete=services.record_remove,
        defaults=_deal_defaults, extra_fields=["lines", "technique_ids"],
        renames={"techniques": "technique_ids"},
        select_related=["owner", "customer"], prefetch_related=["lines", "techniques"],
        orderings=["name", "created_on", "closed_on", "amount", "amount_base", "stage",
                   "outcome", "customer__name", "owner__name"],
    ),
    ApiResource(
        path="activities", model=m.Activity, schema_in=s.ActivityIn, schema_out=s.ActivityOut,
        filters=api_filters(f.ActivityFilter), save=simple_save(services.activity_save, "activity"),
        delete=services.record_remove, defaults=_activity_defaults,
        select_related=["owner", "customer"],
        orderings=["date", "kind", "outcome", "customer__name", "owner__name"],
    ),
    ApiResource(
        path="surveys", model=m.SurveyResponse, schema_in=s.SurveyResponseIn,
        schema_out=s.SurveyResponseOut, filters=api_filters(f.SurveyResponseFilter),
        save=simple_save(services.survey_response_save, "response"),
        delete=services.record_remove, select_related=["rep", "customer"],
        orderings=["responded_on", "kind", "score", "channel", "customer__name", "rep__name"],
    ),
    ApiResource(
        path="complaints", model=m.Complaint, schema_in=s.ComplaintIn,
        schema_out=s.ComplaintOut, filters=api_filters(f.ComplaintFilter),
        save=simple_save(services.complaint_save, "complaint"), delete=services.record_remove,
        select_related=["rep", "customer"],
        orderings=["opened_at", "resolved_at", "severity", "category", "status",
                   "customer__name", "rep__name"],
    ),
]  # fmt: skip

for resource in RESOURCES:
    register(router, resource)
