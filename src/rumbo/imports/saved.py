"""Writes of what an organisation keeps for its next imports: aliases (this
spelling means that record, or that word) and saved column mappings (this
header holds that field). Admins only, like every import."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.imports import columns as cols
from rumbo.imports import selectors, words
from rumbo.imports.kinds import KINDS
from rumbo.imports.models import Alias, ColumnMapping
from rumbo.imports.values import Bad, fold, name_key
from rumbo.tenancy.models import AuditEntry, Member
from rumbo.tenancy.services import record_delete

# What an alias may point at: record kinds (by id) and word kinds (by value).
ALIAS_RECORDS = {"member", "team", "customer", "product", "technique", "deal"}
RECORD_LABELS = {
    "member": gettext_lazy("person"), "team": gettext_lazy("team"),
    "customer": gettext_lazy("customer"), "product": gettext_lazy("product"),
    "technique": gettext_lazy("technique"), "deal": gettext_lazy("deal"),
}  # fmt: skip


@cache
def _word_kinds() -> tuple[dict[str, Any], dict[str, list[Any]], set[str]]:
    """The fields whose words an alias can settle: label by name, the choice
    classes of each choice field (the same name may hold different choices in
    different kinds: a customer's kind, an activity's kind), and the free-text
    catalogue fields (a segment, an industry)."""
    labels: dict[str, Any] = {"stage": gettext_lazy("stage"), "country": gettext_lazy("country")}
    choice: dict[str, list[Any]] = {}
    free: set[str] = set()
    for spec in KINDS.values():
        for f in spec.fields:
            if f.type == "choice":
                choice.setdefault(f.name, []).append(f.arg)
            elif f.type == "word":
                free.add(f.name)
            else:
                continue
            # Lazy: this is cached once per process, read in each user's language.
            labels.setdefault(f.name, lazy(cols.field_label, str)(spec, f.name))
    return labels, choice, free


def alias_kind_choices() -> list[tuple[str, str]]:
    """(kind, label) of every kind of alias, records first."""
    labels = _word_kinds()[0]
    records = [(k, str(v).capitalize()) for k, v in RECORD_LABELS.items()]
    return records + sorted(((k, str(v).capitalize()) for k, v in labels.items()),
                            key=lambda kv: kv[1])  # fmt: skip


def alias_kind_label(kind: str) -> str:
    label = RECORD_LABELS.get(kind) or _word_kinds()[0].get(kind) or kind
    return str(label).capitalize()


def alias_spelling(kind: str, spelling: str) -> str:
    """The spelling as stored and matched: names ignore case and spacing; words
    also ignore accents (see `values.name_key` and `values.fold`)."""
    return name_key(spelling) if kind in ALIAS_RECORDS else fold(spelling)


def alias_target(*, actor: Member, kind: str, target: str) -> tuple[int | None, str]:
    """What `target` means for an alias of `kind`: (record id, "") for a record
    named by its name, external id, email or SKU; (None, value) for a word.
    Raises ValidationError on `target` (or `kind`) when it means nothing."""
    from rumbo.imports.resolve import Resolver

    target = target.strip()
    if not target:
        raise ValidationError({"target": _("Say what this spelling means.")})
    if kind in ALIAS_RECORDS:
        try:
            record_id = Resolver(actor).find(kind, target)
        except Bad as exc:
            raise ValidationError({"target": exc.reason}) from exc
        return record_id, ""
    _labels, choice, free = _word_kinds()
    if kind == "stage":
        stage = words.STAGE_WORDS.get(fold(target))
        if stage is None:
            raise ValidationError({"target": _(
                "Name a stage Rumbo knows: prospecting, qualification, proposal, "
                "negotiation, won or lost.")})  # fmt: skip
        return None, ":".join(stage)
    if kind == "country":
        try:
            return None, words.parse_country(target) or ""
        except Bad as exc:
            raise ValidationError({"target": exc.reason}) from exc
    if kind in free:
        return None, target
    if kind in choice:
        for choice_class in choice[kind]:
            value = words.choice_words(choice_class).get(fold(target))
            if value is not None:
                return None, value
        labels = {str(label) for c in choice[kind] for _v, label in c.choices}
        raise ValidationError({"target": _("%(value)s is not one of: %(choices)s.") % {
            "value": target, "choices": ", ".join(sorted(labels))}})  # fmt: skip
    raise ValidationError({"kind": _("Choose what kind of thing the spelling names.")})


def alias_save(
    *, actor: Member, kind: str, spelling: str, record_id: int | None = None, value: str = ""
) -> Alias:
    """Say that `spelling` means a record (`record_id`, which must be one of the
    organisation's) or a word (`value`: a segment, a stage, a choice); an alias
    of the same spelling is replaced."""
    if not actor.is_admin:
        raise PermissionDenied
    if not spelling.strip():
        raise ValidationError({"spelling": _("Give the spelling the file uses.")})
    if kind in ALIAS_RECORDS:
        if record_id is None or not _exists(actor, kind, record_id):
            raise ValidationError({"record_id": _("Choose a record of this organisation.")})
        value = ""
    else:
        if not value.strip():
            raise ValidationError({"value": _("Give the value this spelling means.")})
        record_id = None
    with transaction.atomic():
        alias, _created = Alias.objects.update_or_create(
            organization_id=actor.organization_id, kind=kind,
            spelling=alias_spelling(kind, spelling),
            defaults={"record_id": record_id, "value": value.strip()},
        )  # fmt: skip
        _audit(actor, "save alias", alias)
    return alias


def alias_edit(*, actor: Member, alias: Alias, creating: bool, target: str) -> Alias:
    """Create or change an alias from its page: `target` is what the spelling
    means, read like a cell of the file (a record's name, external id, email or
    SKU; a stage word; a choice's value or label). Another alias of the same
    kind and spelling is refused, not overwritten."""
    if not actor.is_admin or alias.organization_id != actor.organization_id:
        raise PermissionDenied
    if not alias.spelling.strip():
        raise ValidationError({"spelling": _("Give the spelling the file uses.")})
    alias.spelling = alias_spelling(alias.kind, alias.spelling)
    alias.record_id, alias.value = alias_target(actor=actor, kind=alias.kind, target=target)
    taken = selectors.aliases_for(actor).filter(kind=alias.kind, spelling=alias.spelling)
    if taken.exclude(pk=alias.pk).exists():
        raise ValidationError({"spelling": _(
            "There is already an alias for this spelling; edit that one.")})  # fmt: skip
    alias.full_clean(exclude=["organization"])
    with transaction.atomic():
        alias.save()
        _audit(actor, "save alias", alias)
    return alias


def alias_delete(*, actor: Member, obj: Alias) -> None:
    """Forget an alias: the spelling is reported as unknown again."""
    record_delete(actor=actor, obj=obj)


def _exists(actor: Member, kind: str, record_id: int) -> bool:
    from rumbo.imports.resolve import RECORD_MODELS

    model: Any = RECORD_MODELS[kind]
    return bool(model.objects.filter(organization_id=actor.organization_id, pk=record_id).exists())


def saved_mapping(actor: Member, kind: str) -> dict[str, str] | None:
    """Every saved mapping of the kind, as one: where two name the same header,
    the first by name wins."""
    merged: dict[str, str] = {}
    for mapping in selectors.mappings_for(actor).filter(kind=kind).order_by("-name"):
        merged.update(mapping.mapping)
    return merged or None


def mapping_save(
    *, actor: Member, kind: str, mapping: dict[str, str], name: str = "default"
) -> ColumnMapping:
    """Remember a header -> field mapping for the next file of this kind."""
    if not actor.is_admin:
        raise PermissionDenied
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind.")})
    fields = {f.name for f in cols.mappable(KINDS[kind])}
    clean = {str(h): (f if f in fields else "") for h, f in mapping.items()}
    with transaction.atomic():
        saved, _created = ColumnMapping.objects.update_or_create(
            organization_id=actor.organization_id, kind=kind, name=name,
            defaults={"mapping": clean},
        )  # fmt: skip
        _audit(actor, "save mapping", saved)
    return saved


def mapping_edit(*, actor: Member, mapping: ColumnMapping, creating: bool) -> ColumnMapping:
    """Create or change a saved mapping from its page (its `mapping` already
    read by the form); a second mapping of the same kind and name is refused."""
    if not actor.is_admin or mapping.organization_id != actor.organization_id:
        raise PermissionDenied
    if mapping.kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind.")})
    mapping.name = mapping.name.strip()
    taken = selectors.mappings_for(actor).filter(kind=mapping.kind, name=mapping.name)
    if taken.exclude(pk=mapping.pk).exists():
        raise ValidationError({"name": _(
            "There is already a mapping of this kind with this name.")})  # fmt: skip
    mapping.full_clean(exclude=["organization"])
    with transaction.atomic():
        mapping.save()
        _audit(actor, "save mapping", mapping)
    return mapping


def mapping_delete(*, actor: Member, obj: ColumnMapping) -> None:
    """Forget a saved mapping: the next file's headers are recognised afresh."""
    record_delete(actor=actor, obj=obj)


def _audit(actor: Member, action: str, obj: Alias | ColumnMapping) -> None:
    AuditEntry.objects.create(
        organization_id=actor.organization_id, actor=actor, action=action,
        model=obj._meta.label_lower, object_id=str(obj.pk), summary=str(obj)[:255],
    )  # fmt: skip


# The English words the command line and the API take for an alias's kind,
# besides the kinds themselves and their labels ("size band" = size_band).
ALIAS_KIND_WORDS = {"rep": "member", "person": "member", "seller": "member", "people": "member"}


def alias_kind_named(word: str) -> str | None:
    """The alias kind a user's word names (`product`, `rep`, `stage`, `size band`,
    `size_band`, ...), or None."""
    from django.utils import translation

    wanted = fold(word.replace("_", " "))
    if wanted in ALIAS_KIND_WORDS:
        return ALIAS_KIND_WORDS[wanted]
    with translation.override("en"):
        for kind, label in alias_kind_choices():
            if wanted in (fold(kind.replace("_", " ")), fold(label)):
                return kind
    return None


def alias_from_text(*, actor: Member, text: str) -> Alias:
    """Save the alias `KIND:SPELLING=TARGET` (the `--alias` flag of `rumbo
    import`): SPELLING, as a file writes it, means TARGET (a record's name,
    external id, email or SKU; a stage, country or choice). Raises
    ValidationError, saving nothing, when any part means nothing."""
    kind_word, colon, rest = text.partition(":")
    spelling, equals, target = rest.rpartition("=")
    if not colon or not equals or not spelling.strip() or not target.strip():
        raise ValidationError(
            _("Write it as KIND:SPELLING=TARGET, e.g. stage:Discovery=qualification.")
        )
    kind = alias_kind_named(kind_word)
    if kind is None:
        kinds = ", ".join(sorted({k for k, _label in alias_kind_choices()} - {"member"} | {"rep"}))
        raise ValidationError(_("%(kind)s is not a kind of alias; use one of: %(kinds)s.")
                              % {"kind": kind_word.strip(), "kinds": kinds})  # fmt: skip
    try:
        record_id, value = alias_target(actor=actor, kind=kind, target=target)
    except ValidationError as exc:
        raise ValidationError(" ".join(exc.messages)) from exc
    return alias_save(actor=actor, kind=kind, spelling=spelling, record_id=record_id, value=value)


def mapping_with(
    *, actor: Member, kind: str, header: list[str], chosen: dict[str, str], preset: str = "generic"
) -> dict[str, str]:
    """The file's mapping (header -> field) with the user's `chosen` columns (the
    `--map` flag of `rumbo import`, the API's `map`) over the automatic one, saved
    for the organisation's next files of this kind, as the page saves it. Raises
    ValidationError, saving nothing, on a header the file lacks or a field the
    kind does not have."""
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind.")})
    spec = KINDS[kind]
    fields = {f.name for f in cols.mappable(spec)}
    for head, name in chosen.items():
        if head not in header:
            raise ValidationError(_("The file has no column %(column)s (it has: %(header)s).")
                                  % {"column": head, "header": ", ".join(header)})  # fmt: skip
        if name and name not in fields:
            raise ValidationError(_("%(key)s is not a field of %(kind)s files (see --fields).")
                                  % {"key": name, "kind": kind})  # fmt: skip
    mapping = cols.auto_map(spec, header, preset, saved_mapping(actor, kind)).as_json()
    for name in chosen.values():
        if name:  # the column the user names takes its field from any other column
            mapping = {h: ("" if f == name else f) for h, f in mapping.items()}
    mapping.update(chosen)
    if chosen:
        mapping_add(actor=actor, kind=kind, chosen=mapping)
    return mapping


def mapping_add(*, actor: Member, kind: str, chosen: dict[str, str]) -> None:
    """Add header -> field pairs to the organisation's saved mapping of the kind
    (the next file with those headers is read that way); the pairs it had for
    other headers stay."""
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind.")})
    fields = {f.name for f in cols.mappable(KINDS[kind])}
    for name in chosen.values():
        if name and name not in fields:
            raise ValidationError(_("%(key)s is not a field of %(kind)s files (see --fields).")
                                  % {"key": name, "kind": kind})  # fmt: skip
    kept = next(iter(selectors.mappings_for(actor).filter(kind=kind, name="default")), None)
    mapping_save(actor=actor, kind=kind, mapping={**(kept.mapping if kept else {}), **chosen})


def choices_save(*, actor: Member, kind: str, chosen: dict[str, str], aliases: list[str]) -> None:
    """What the API's `map` and `aliases` say before a file is read: the header ->
    field pairs join the saved mapping (the file's header is then read with
    them), each `KIND:SPELLING=TARGET` becomes an alias. All or nothing; the
    error names the part (`map`, `aliases`) that is wrong."""
    with transaction.atomic():
        for text in aliases:
            try:
                alias_from_text(actor=actor, text=text)
            except ValidationError as exc:
                raise ValidationError({"aliases": f"{text}: " + " ".join(exc.messages)}) from exc
        if chosen:
            try:
                mapping_add(actor=actor, kind=kind, chosen=chosen)
            except ValidationError as exc:
                raise ValidationError({"map": " ".join(exc.messages)}) from exc
