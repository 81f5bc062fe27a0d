"""Accent- and case-blind text, the same on SQLite and PostgreSQL.

"munoz" must find "Muñoz" and "MUÑOZ". Both databases fold a column with one
fixed table of letters: PostgreSQL with its built-in `translate()` (no
extension to install, unlike `unaccent`), SQLite with the Python function
`rumbo_fold`, registered on every SQLite connection, applying the very same
table. The query is folded by the same table in Python, so the three always
agree. Lowercasing is part of the table (A-Z and the accented capitals), not
the database's `lower()`, whose result for non-ASCII letters depends on the
server's locale (a PostgreSQL cluster in the C locale leaves "Ñ" as it is).

Letters outside the table (Greek, Cyrillic, ß...) are compared as they are,
case included; Rumbo's data is Latin-script (Spanish, Portuguese, French,
German, Italian, Catalan customers)."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import BooleanField, CharField, Func

# At most this many words of a query are matched: bounded work whatever is typed.
MAX_WORDS = 5

_PLAIN = {
    "a": "àáâãäåāăą",
    "c": "çćĉċč",
    "d": "ďđ",
    "e": "èéêëēĕėęě",
    "g": "ĝğġģ",
    "h": "ĥħ",
    "i": "ìíîïĩīĭįı",
    "j": "ĵ",
    "k": "ķ",
    "l": "ĺļľŀł",
    "n": "ñńņňŉ",
    "o": "òóôõöøōŏő",
    "r": "ŕŗř",
    "s": "śŝşš",
    "t": "ţťŧ",
    "u": "ùúûüũūŭůűų",
    "w": "ŵ",
    "y": "ýÿŷ",
    "z": "źżž",
}


def _pairs() -> tuple[str, str]:
    source, target = [], []
    for plain, accented in _PLAIN.items():
        for letter in accented:
            source.append(letter)
            target.append(plain)
            capital = letter.upper()
            if len(capital) == 1 and capital != letter and capital not in source:
                source.append(capital)
                target.append(plain)
    for offset in range(26):
        if chr(ord("A") + offset) not in source:  # "I" is already the capital of "ı"
            source.append(chr(ord("A") + offset))
            target.append(chr(ord("a") + offset))
    return "".join(source), "".join(target)


SOURCE, TARGET = _pairs()
_TABLE = str.maketrans(SOURCE, TARGET)


def fold(text: str) -> str:
    """The folded form of `text`: what a column is compared as."""
    return text.translate(_TABLE)


class Fold(Func):
    """The folded form of a text column, in the database (NULL stays NULL and
    matches nothing)."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="rumbo_fold", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # The table goes in as parameters: no quoting of accented letters in SQL text.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"translate(({sql})::text, %s, %s)", (*params, SOURCE, TARGET)


def _variants() -> dict[str, str]:
    found: dict[str, str] = {}
    for letter, plain in zip(SOURCE, TARGET, strict=True):
        found[plain] = found.get(plain, plain) + letter
    return found


_VARIANTS = _variants()
_GLOB_SPECIAL = {"*": "[*]", "?": "[?]", "[": "[[]"}


def glob_pattern(word: str) -> str:
    """A SQLite GLOB pattern matching exactly the texts whose fold is `word`
    (itself folded): each letter becomes the class of the letters folding to
    it ("ñ" -> "[nñńņňŉÑŃŅŇ]"); GLOB's own characters are made literal."""
    return "".join(f"[{_VARIANTS[c]}]" if c in _VARIANTS else _GLOB_SPECIAL.get(c, c) for c in word)


def regex_pattern(word: str) -> str:
    """The same for PostgreSQL's regular expressions (`~`): letter classes, and
    every other character that is not a letter or digit escaped."""
    return "".join(
        f"[{_VARIANTS[c]}]" if c in _VARIANTS else (c if c.isalnum() else f"\\{c}") for c in word
    )


class Holds(Func):
    """Whether the folded `text` holds `word` (folded already), or starts with
    it (`prefix`). The column is compared as it is, with a pattern of the
    word's letter classes: a GLOB on SQLite (`glob_pattern`), a regular
    expression on PostgreSQL (`regex_pattern`). Folding every row instead
    (a Python call per row on SQLite, translate() over a 200-letter table on
    PostgreSQL) was 3 to 20 times slower on the demo."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, text: Any, word: str, *, prefix: bool = False) -> None:
        super().__init__(text)
        self.word, self.prefix = word, prefix

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        pattern = ("" if self.prefix else "*") + glob_pattern(self.word) + "*"
        return f"({sql}) GLOB %s", (*params, pattern)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        pattern = ("^" if self.prefix else "") + regex_pattern(self.word)
        return f"({sql})::text ~ %s", (*params, pattern)

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("search folds text on SQLite and PostgreSQL only")


def _register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "rumbo_fold", 1, lambda value: fold(value) if isinstance(value, str) else value,
            deterministic=True,
        )  # fmt: skip


def install() -> None:
    """Give every SQLite connection the fold function: those opened from now
    on, and any already open."""
    from django.db import connections

    connection_created.connect(_register_sqlite_function, dispatch_uid="rumbo.web.fold")
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _register_sqlite_function(None, connection)
