"""Search reads: the query checked, then each registered kind searched through
the one access path (`visible_to(member)`), grouped with a count per kind.

Bounded work whatever the data: at most `MAX_WORDS` words of `MIN_LENGTH` to
`MAX_LENGTH` characters, `limit` rows per kind (one query), and a count query
only when that page of rows is full; each query is limited to the caller's
organisation and what they may see, so the scan is one organisation's rows
at most."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, TextField, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from rumbo.search.registry import Kind, kinds
from rumbo.web.folding import MAX_WORDS, Fold, Holds, fold
from rumbo.web.text import SINGLE_LINE_REFUSED

MIN_LENGTH = 2
MAX_LENGTH = 100
# Rows per kind in the navigation's dropdown and on the full page.
BOX_LIMIT = 5
PAGE_LIMIT = 20


@dataclass(frozen=True)
class Result:
    """One record found: its name, what tells it from its namesakes, its page."""

    id: int
    title: str
    hint: str
    url: str


@dataclass(frozen=True)
class Group:
    """The records of one kind found, and how many there are in all."""

    key: str
    label: str
    count: int
    results: list[Result] = field(default_factory=list)
    more_url: str = ""

    @property
    def has_more(self) -> bool:
        return self.count > len(self.results)


def clean_query(raw: str | None) -> str:
    """The query as searched: spaces collapsed. Refuses control characters and
    anything longer than MAX_LENGTH; a query shorter than MIN_LENGTH is
    returned as is (the caller shows "type at least 2 characters")."""
    text = raw or ""
    if SINGLE_LINE_REFUSED.search(text):
        raise ValidationError(_("Remove the control characters from your search."),
                              code="control_character")  # fmt: skip
    text = " ".join(text.split())
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("Search for at most %(max)d characters.") % {"max": MAX_LENGTH}, code="too_long"
        )
    return text


def is_searchable(query: str) -> bool:
    return len(query) >= MIN_LENGTH


def too_short() -> Any:
    return _("Type at least %(min)d characters.") % {"min": MIN_LENGTH}


def _words(query: str) -> list[str]:
    return [fold(word) for word in query.split()][:MAX_WORDS]


def searched_text(kind: Kind) -> Any:
    """The kind's searched fields as one text, separated by spaces: one
    comparison per row and word instead of one per field. A word holds no
    space, so it never matches across two fields; the name comes first, so
    the text also sorts as the name."""
    parts: list[Any] = []
    for field_name in kind.fields:
        parts += [F(field_name), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField()) if len(parts) > 1 else parts[0]


def matching(kind: Kind, member: Any, query: str) -> Any:
    """The records of `kind` the member may see whose fields hold every word."""
    qs = kind.model.objects.visible_to(member)  # type: ignore[attr-defined]
    words = _words(query)
    qs = qs.alias(search_text=searched_text(kind))
    for word in words:
        qs = qs.filter(Holds(F("search_text"), word))
    if kind.related:
        qs = qs.select_related(*kind.related)
    # Names that start with the query first ("Ana" before "Mariana"), then by
    # the folded name: one order on both databases, whatever their collation.
    starts = Case(When(Holds(F("search_text"), " ".join(words), prefix=True), then=Value(0)),
                  default=Value(1), output_field=IntegerField())  # fmt: skip
    folded = Fold(F(kind.fields[0]))
    return qs.annotate(search_rank=starts).order_by("search_rank", folded, *kind.order)


def _group(kind: Kind, member: Any, query: str, limit: int) -> Group:
    qs = matching(kind, member, query)
    rows = list(qs[:limit])
    count = len(rows) if len(rows) < limit else qs.count()
    results = [Result(obj.pk, str(obj), kind.describe(obj),
                      reverse(f"{kind.pages}_detail", args=[obj.pk])) for obj in rows]  # fmt: skip
    more = ""
    if count > len(rows):
        more = f"{reverse(f'{kind.pages}_list')}?{urlencode({kind.list_param: query})}"
    return Group(kind.key, str(kind.label), count, results, more)


def search(*, member: Any, query: str, limit: int = BOX_LIMIT) -> list[Group]:
    """Every kind's matches for an already cleaned query, in the registry's
    order; kinds with nothing found are left out. A query too short finds nothing."""
    if not is_searchable(query):
        return []
    groups = [_group(kind, member, query, limit) for kind in kinds()]
    return [group for group in groups if group.count]
