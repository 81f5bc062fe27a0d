"""The database folds as Python does: on SQLite (GLOB letter classes) and on
PostgreSQL (translate), a name is found exactly when its folded form, worked
out here from the fold table, holds every folded word of the query."""

from __future__ import annotations

import pytest

from rumbo.search.selectors import search
from rumbo.web.folding import fold, glob_pattern
from tests import factories as f
from tests.personas import World

pytestmark = pytest.mark.django_db

NAMES = [
    "Muñoz", "MUÑOZ", "munoz", "Muñóz", "Çelik Łódź", "Ångström", "Ærø", "Straße",
    "50% off", "a_b", "[x]", "star*", "what?", "Ísafjörður", "naïve café", "ÑANDÚ",
]  # fmt: skip
QUERIES = ["munoz", "MUÑOZ", "celik lodz", "angstrom", "straße", "strasse", "50%", "a_b",
           "[x]", "star*", "at?", "isafjordur", "cafe naive", "ñandu", "ae", "zz"]  # fmt: skip


def test_the_fold_table_maps_capitals_and_accents() -> None:
    assert fold("ÁÉÍÓÚÜÑ áéíóúüñ") == "aeiouun aeiouun"
    assert fold("Straße") == "straße"  # not in the table: as it is
    letter_class, star = glob_pattern("n*").split("]", 1)
    assert set(letter_class) == set("[nNñÑńŃņŅňŇŉ") and star == "[*]"
    assert glob_pattern("5?[") == "5[?][[]"


@pytest.mark.parametrize("query", QUERIES)
def test_the_database_finds_what_the_fold_says(world: World, query: str) -> None:
    for name in NAMES:
        f.CustomerFactory(organization=world.acme, owner=world.rita, name=name)
    words = [fold(word) for word in query.split()]
    expected = sorted(n for n in NAMES if all(w in fold(n) for w in words))
    groups = search(member=world.rita, query=query, limit=50)
    customers = next((g for g in groups if g.key == "customers"), None)
    found = sorted(r.title for r in customers.results) if customers else []
    assert found == expected
