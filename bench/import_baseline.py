"""The baseline of bench/import_deals.py: django-import-export importing the
deals file, set up as its documentation advises for bulk work ("Bulk imports":
`use_bulk`, `batch_size`, `skip_diff`, an instance loader that reads the
existing records in one query) and keeping the checks Rumbo makes (owner and
customer by name within the organisation, each instance's `full_clean`)."""

from __future__ import annotations

import csv
import time
from pathlib import Path


def run_baseline(admin: object, path: Path, rows: int) -> float:
    """django-import-export on the first `rows` rows, set up for bulk work as its
    documentation advises (docs "Bulk imports"), keeping the same checks as
    Rumbo: owner and customer by name within the organisation, every instance's
    full_clean, one transaction."""
    import tablib
    from import_export import fields, instance_loaders, resources, widgets

    from rumbo.sales.models import Customer, Deal
    from rumbo.tenancy.models import Member

    org_id = admin.organization_id  # type: ignore[attr-defined]

    class DateWidget(widgets.DateWidget):
        def __init__(self) -> None:
            super().__init__(format="%d/%m/%Y")

    class AmountWidget(widgets.DecimalWidget):
        def clean(self, value, row=None, **kwargs):  # type: ignore[no-untyped-def]
            return super().clean(str(value).replace(" ", "").replace(",", "."), row, **kwargs)

    class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
        """The organisation's records by name, read in one query on first use
        (scoped: another organisation's namesake is never found), instead of a
        query per row."""

        def __init__(self, model: type, field: str) -> None:
            super().__init__(model, field)
            self.cache: dict[str, object] | None = None

        def get_queryset(self, value, row, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self.model.objects.filter(organization_id=org_id)

        def clean(self, value, row=None, **kwargs):  # type: ignore[no-untyped-def]
            if self.cache is None:
                self.cache = {getattr(o, self.field): o for o in self.get_queryset(value, row)}
            if not value:
                return None
            try:
                return self.cache[value]
            except KeyError:
                raise ValueError(f"{value} is not known") from None

    class DealResource(resources.ModelResource):
        external_id = fields.Field("external_id", "Opportunity ID")
        name = fields.Field("name", "Opportunity Name")
        owner = fields.Field("owner", "Opportunity Owner", CachedForeignKeyWidget(
            Member, "name"))  # fmt: skip
        customer = fields.Field("customer", "Account Name", CachedForeignKeyWidget(
            Customer, "name"))  # fmt: skip
        amount = fields.Field("amount", "Amount", AmountWidget())
        currency = fields.Field("currency", "Currency")
        created_on = fields.Field("created_on", "Created Date", DateWidget())
        closed_on = fields.Field("closed_on", "Close Date", DateWidget())
        outcome = fields.Field("outcome", "Stage")

        class Meta:
            model = Deal
            import_id_fields = ["external_id"]
            fields = ["external_id", "name", "owner", "customer", "amount", "currency",
                      "created_on", "closed_on", "outcome"]  # fmt: skip
            clean_model_instances = True  # full_clean: the model's rules
            use_bulk = True  # bulk_create in batches, not a save() per row
            batch_size = 1000
            skip_diff = True  # no copy of each instance to compare before and after
            # The existing deals of the file's ids in one query (get_queryset: this
            # organisation's), not one query per row.
            instance_loader_class = instance_loaders.CachedInstanceLoader

        def get_queryset(self):  # type: ignore[no-untyped-def]
            return Deal.objects.filter(organization_id=org_id)

        def before_import_row(self, row, **kwargs):  # type: ignore[no-untyped-def]
            stage = row["Stage"]
            row["Stage"] = "won" if "gan" in stage or "Won" in stage else (
                "lost" if "erd" in stage or "lost" in stage else "open")  # fmt: skip

        def import_instance(self, instance, row, **kwargs):  # type: ignore[no-untyped-def]
            super().import_instance(instance, row, **kwargs)
            instance.organization_id = org_id
            instance.amount_base = instance.amount
            instance.stage = "closed" if instance.outcome != "open" else "negotiation"
            if instance.outcome == "open":
                instance.closed_on = None

    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = next(reader)
        data = tablib.Dataset(headers=header)
        for i, row in enumerate(reader):
            if i >= rows:
                break
            data.append(row)
    started = time.perf_counter()
    result = DealResource().import_data(data, dry_run=False, use_transactions=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows[:3]
    assert Deal.objects.filter(organization_id=org_id).count() == rows
    return rows / elapsed
