"""References by name, email, SKU or external id, with the closest names as
suggestions when nothing matches, and the organisation's aliases.

Each kind of record is loaded once per import (ids and the few columns a match
needs), so a million rows cost a million dictionary look-ups, not queries."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from rumbo.imports.selectors import aliases_for
from rumbo.imports.values import Bad, blank, fold, name_key, text
from rumbo.sales.models import Customer, Deal, Product, Technique
from rumbo.tenancy.models import Member, Organization, Team

# The records an alias may name, by kind.
RECORD_MODELS: dict[str, Any] = {
    "member": Member,
    "team": Team,
    "customer": Customer,
    "product": Product,
    "technique": Technique,
    "deal": Deal,
}

_SKU_CHARS = re.compile(r"[^0-9A-Z]+")

# Suggestions are worked out for this many distinct unknown spellings per kind.
MAX_SUGGESTED = 300


@dataclass
class Index:
    """One kind of record: keys -> id (None when a name is ambiguous)."""

    label: str
    by_key: dict[str, int | None] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    extra: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    suggested: dict[str, list[str]] = field(default_factory=dict)
    # Names several records share: key -> their ids (what a refusal lists).
    namesakes: dict[str, list[int]] = field(default_factory=dict)

    def add(self, key: str, pk: int, unique: bool = True) -> None:
        if not key:
            return
        if key in self.by_key and self.by_key[key] != pk:
            if unique:
                return  # ids and emails: the first wins (the database keeps them unique)
            first = self.by_key[key]
            ids = self.namesakes.setdefault(key, [] if first is None else [first])
            if pk not in ids:
                ids.append(pk)
            self.by_key[key] = None
        else:
            self.by_key[key] = pk

    def suggestions(self, value: str) -> list[str]:
        if value not in self.suggested:
            if len(self.suggested) >= MAX_SUGGESTED:
                return []
            self.suggested[value] = difflib.get_close_matches(value, self.names, n=3, cutoff=0.6)
        return self.suggested[value]


class Resolver:
    """Finds the id a cell refers to, in the organisation of `actor` (an admin:
    imports read the whole organisation)."""

    def __init__(self, actor: Member) -> None:
        self.organization: Organization = actor.organization
        self._indexes: dict[str, Index] = {}
        self.aliases: dict[str, dict[str, Any]] = defaultdict(dict)
        for kind, spelling, record_id, value in aliases_for(actor).values_list(
            "kind", "spelling", "record_id", "value"
        ):
            self.aliases[kind][spelling] = record_id if record_id is not None else value
        self.words: dict[str, dict[str, str]] = defaultdict(dict)
        self._ambiguous: dict[tuple[str, str], str] = {}

    def index(self, kind: str) -> Index:
        if kind not in self._indexes:
            self._indexes[kind] = getattr(self, f"_load_{kind}")()
            self._drop_dead_aliases(kind)
        return self._indexes[kind]

    def _drop_dead_aliases(self, kind: str) -> None:
        """An alias whose record was deleted since means nothing: the spelling is
        reported as unknown (with suggestions) rather than pointing at no row."""
        ids = {pk for pk in self.aliases[kind].values() if isinstance(pk, int)}
        if not ids:
            return
        live = set(
            RECORD_MODELS[kind].objects.filter(organization=self.organization, pk__in=ids)
            .values_list("pk", flat=True)
        )  # fmt: skip
        self.aliases[kind] = {
            spelling: target for spelling, target in self.aliases[kind].items()
            if not isinstance(target, int) or target in live
        }  # fmt: skip

    def forget(self, kind: str) -> None:
        self._indexes.pop(kind, None)

    def _load_member(self) -> Index:
        index = Index(_("person"))
        rows = Member.objects.filter(organization=self.organization).values_list(
            "id", "external_id", "email", "name", "team_id"
        )
        for pk, external_id, email, name, team_id in rows:
            index.add("id:" + external_id, pk)
            index.add("email:" + email.lower(), pk)
            index.add(name_key(name), pk, unique=False)
            index.names.append(name)
            index.extra[pk] = (team_id,)
        return index

    def _load_team(self) -> Index:
        index = Index(_("team"))
        for pk, external_id, name in Team.objects.filter(
            organization=self.organization
        ).values_list("id", "external_id", "name"):
            index.add("id:" + external_id, pk)
            index.add(name_key(name), pk, unique=False)
            index.names.append(name)
        return index

    def _load_customer(self) -> Index:
        index = Index(_("customer"))
        rows = Customer.objects.filter(organization=self.organization).values_list(
            "id", "external_id", "email", "name", "owner_id"
        )
        for pk, external_id, email, name, owner_id in rows.iterator(chunk_size=5000):
            index.add("id:" + external_id, pk)
            index.add("email:" + email.lower(), pk)
            index.add(name_key(name), pk, unique=False)
            index.names.append(name)
            index.extra[pk] = (owner_id,)
        return index

    def _load_product(self) -> Index:
        index = Index(_("product"))
        for pk, sku, name, price in Product.objects.filter(
            organization=self.organization
        ).values_list("id", "sku", "name", "list_price"):
            index.extra[pk] = (price, sku)
            index.add("id:" + sku, pk)
            index.add("id:" + sku.casefold(), pk)
            index.add(name_key(name), pk, unique=False)
            index.names.append(name)
        return index

    def _load_technique(self) -> Index:
        index = Index(_("technique"))
        for pk, name in Technique.objects.filter(organization=self.organization).values_list(
            "id", "name"
        ):
            index.add(name_key(name), pk)
            index.names.append(name)
        return index

    def _load_deal(self) -> Index:
        index = Index(_("deal"))
        rows = Deal.objects.filter(organization=self.organization).values_list(
            "id", "external_id", "name", "owner_id", "customer_id"
        )
        for pk, external_id, name, owner_id, customer_id in rows.iterator(chunk_size=5000):
            index.add("id:" + external_id, pk)
            index.add(name_key(name), pk, unique=False)
            index.names.append(name)
            index.extra[pk] = (owner_id, customer_id)
        return index

    def find(self, kind: str, raw: Any) -> int | None:
        """The id `raw` names (external id, email or SKU, then name, then an alias)."""
        if blank(raw):
            return None
        value = text(raw)
        index = self.index(kind)
        key = name_key(value)
        for candidate in ("id:" + value, "email:" + value.lower(), "id:" + value.casefold()):
            if candidate in index.by_key and index.by_key[candidate] is not None:
                return index.by_key[candidate]
        if key in index.by_key:
            pk = index.by_key[key]
            if pk is None:
                raise Bad(self._ambiguous_reason(kind, key, value, index))
            return pk
        alias = self.aliases[kind].get(key)
        if isinstance(alias, int):
            return alias
        suggestions = index.suggestions(value)
        if suggestions:
            reason = _("No %(thing)s is called %(value)s. Did you mean %(names)s?") % {
                "thing": index.label, "value": value,
                "names": _(" or ").join(f"“{s}”" for s in suggestions),
            }  # fmt: skip
        else:
            reason = _("No %(thing)s is called %(value)s.") % {
                "thing": index.label,
                "value": value,
            }
        raise Bad(reason, suggestions)

    def _ambiguous_reason(self, kind: str, key: str, value: str, index: Index) -> str:
        """Why `value` is refused: it names several records, listed by what tells
        them apart (external id, email, city), so the file can name the right one."""
        if (kind, key) not in self._ambiguous:
            records = RECORD_MODELS[kind].objects.filter(
                organization=self.organization, pk__in=index.namesakes.get(key, [])[:10]
            )
            # Those with an external id first: the one way to name each in a file.
            ordered = sorted(records, key=lambda r: (not r.external_id, r.external_id, r.pk))
            described = [describe_namesake(record) for record in ordered]
            self._ambiguous[(kind, key)] = _(
                "%(value)s names more than one %(thing)s: %(records)s. Use the external id "
                "or email, or save an alias."
            ) % {"value": value, "thing": index.label, "records": "; ".join(described)}
        return self._ambiguous[(kind, key)]

    def product_sku(self, name: str) -> str:
        """The SKU for a product row that gives none: the one of the product of
        that name (so re-importing the file updates it), else one made from the
        name, which the next import of the same file makes again."""
        index = self.index("product")
        pk = index.by_key.get(name_key(name))
        if pk is not None:
            return str(index.extra[pk][1])
        made = _SKU_CHARS.sub("-", fold(name).upper()).strip("-")[:60] or "PRODUCT"
        taken = {str(extra[1]).casefold() for extra in index.extra.values()}
        candidate, n = made, 1
        while candidate.casefold() in taken:  # another product's own code: never take it
            n += 1
            candidate = f"{made[:55]}-{n}"
        return candidate

    def word(self, kind: str, raw: Any, known: list[str]) -> str:
        """A catalogue word (a segment, an industry): a spelling that differs from
        a known one only by case, spaces or a typo is refused with the known one."""
        value = text(raw)
        key = fold(value)
        alias = self.aliases[kind].get(key)
        if isinstance(alias, str) and alias:
            return alias
        seen = self.words[kind]
        if not seen and known:
            for word in known:
                seen.setdefault(fold(word).replace(" ", ""), word)
        squeezed = key.replace(" ", "")
        if squeezed in seen:
            if seen[squeezed] == value:
                return value
            raise Bad(
                _("%(value)s is spelled differently from %(known)s.")
                % {"value": value, "known": seen[squeezed]},
                [seen[squeezed]],
            )
        # Short words differ by one letter legitimately (SMB, SME): only longer ones are checked.
        close = difflib.get_close_matches(squeezed, list(seen), n=1, cutoff=0.8) if len(
            squeezed) >= 5 else []  # fmt: skip
        if close:
            known_word = seen[close[0]]
            raise Bad(
                _("%(value)s looks like a misspelling of %(known)s; save an alias to keep it.")
                % {"value": value, "known": known_word},
                [known_word],
            )
        seen[squeezed] = value
        return value


def describe_namesake(record: Any) -> str:
    """One of several records of one name, by what tells it apart: its external
    id, email and city (a member's team), those it has."""
    parts = []
    if getattr(record, "external_id", ""):
        parts.append(_("external id %(id)s") % {"id": record.external_id})
    else:
        parts.append(_("no external id"))
    if getattr(record, "email", ""):
        parts.append(record.email)
    if getattr(record, "city", ""):
        parts.append(record.city)
    elif isinstance(record, Member) and record.team is not None:
        parts.append(record.team.name)
    return f"{record.name} ({', '.join(parts)})"


def product_rules(row: dict[str, Any], ctx: Any) -> None:
    """A product needs a name, not a SKU: a row without one gets its product's
    SKU, or one made from the name (see `Resolver.product_sku`)."""
    if not row.get("sku"):
        row["sku"] = ctx.resolver.product_sku(row["name"])
    if row.get("active") is None:
        row["active"] = True
