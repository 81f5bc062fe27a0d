"""The one walk of the team tree: down to every team below, up to every team
above, and a cycle (which services refuse, old data might hold) ends it."""

from __future__ import annotations

from rumbo.tenancy.tree import TeamTree

#        1
#      /   \
#     2     3
#     |
#     4
TREE = TeamTree.of([(1, None), (2, 1), (3, 1), (4, 2)])


def test_below_holds_the_team_and_everything_under_it() -> None:
    assert TREE.below(1) == {1, 2, 3, 4}
    assert TREE.below(2) == {2, 4}
    assert TREE.below(3) == {3}
    assert TREE.below(2, 3) == {2, 3, 4}
    assert TREE.below() == set()


def test_above_lists_the_team_and_its_parents_nearest_first() -> None:
    assert TREE.above(4) == [4, 2, 1]
    assert TREE.above(None) == []


def test_a_cycle_ends_the_walk() -> None:
    loop = TeamTree.of([(1, 2), (2, 1)])
    assert loop.below(1) == {1, 2}
    assert loop.above(1) == [1, 2]
