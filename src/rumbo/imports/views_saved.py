"""Pages of what an organisation keeps for its imports: aliases and saved column
mappings (admins only). Each is a `Resource` for the shared views in
`rumbo.web.crud`: list with filters, sorting and paging; detail; forms; delete.
`crud` refuses other roles (403) before any look-up, as for import jobs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rumbo.imports import columns as cols
from rumbo.imports import filters, forms, saved, selectors
from rumbo.imports.kinds import KINDS
from rumbo.imports.models import Alias, ColumnMapping
from rumbo.web.crud import Column, Resource


class AliasResource(Resource):
    """Aliases read with the name of the record each means (one query)."""

    def queryset(self, member: Any) -> Any:
        return selectors.aliases_listed(member)


def _save_alias(*, actor: Any, obj: Alias, creating: bool, form: Any) -> Alias:
    return saved.alias_edit(
        actor=actor, alias=obj, creating=creating, target=form.cleaned_data["target"]
    )


def _save_mapping(*, actor: Any, obj: ColumnMapping, creating: bool, form: Any) -> ColumnMapping:
    return saved.mapping_edit(actor=actor, mapping=obj, creating=creating)


def _mapping_columns(obj: ColumnMapping, member: Any) -> dict[str, Any]:
    spec = KINDS.get(obj.kind)
    rows = [(h, cols.field_label(spec, f) if f and spec else "") for h, f in obj.mapping.items()]
    return {"columns": rows}


aliases = AliasResource(
    model=Alias, form_class=forms.AliasEditForm, filterset_class=filters.AliasFilter,
    save=_save_alias, delete=saved.alias_delete, default_sort="spelling",
    columns=[
        Column("spelling", _("Spelling"), link=True),
        Column("kind", _("Names a"), template="imports/_alias_kind.html"),
        Column("target_name", _("Means"), template="imports/_alias_means.html"),
        Column("created_at", _("Saved")),
    ],
    detail_fields=["spelling", "created_at"],
)  # fmt: skip

mappings = Resource(
    model=ColumnMapping, form_class=forms.MappingEditForm, filterset_class=filters.MappingFilter,
    save=_save_mapping, delete=saved.mapping_delete, default_sort="kind",
    columns=[
        Column("name", _("Name"), link=True),
        Column("kind", _("Kind"), template="imports/_mapping_kind.html"),
        Column("mapping", _("Columns"), sortable=False, template="imports/_mapping_columns.html"),
    ],
    detail_fields=["name"], detail_context=_mapping_columns,
)  # fmt: skip
