"""Before a migration adds check constraints: repair the rows whose repair is
unambiguous, and report every other row that breaks one, refusing to go on
(ADR 0015). Not a migration itself (the leading underscore keeps Django's
loader away); the migrations call `prepare`.

The conditions are read from the migration's own `AddConstraint` operations,
so the report checks exactly what the database is about to enforce."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from django.db import migrations
from django.db.models import Q

# How many ids of each broken rule the report names.
EXAMPLES = 10

# Repairs with one right answer, as Rumbo's own rules already give it (the
# import clears both on every row it reads): (model, rows, field, value, why).
Repair = tuple[str, Q, str, Any, str]


class BrokenRows(Exception):
    """Rows break a rule the database is about to enforce; the text lists them."""


def _constraints(operations: Sequence[Any]) -> list[tuple[str, Any]]:
    return [
        (op.model_name, op.constraint)
        for op in operations
        if isinstance(op, migrations.AddConstraint) and hasattr(op.constraint, "condition")
    ]


def findings(apps: Any, app_label: str, operations: Sequence[Any]) -> list[str]:
    """One line per rule some rows break: table, rule, count and example ids."""
    lines = []
    for model_name, constraint in _constraints(operations):
        model = apps.get_model(app_label, model_name)
        broken = model._default_manager.exclude(constraint.condition).order_by("pk")
        count = broken.count()
        if count:
            ids = ", ".join(str(pk) for pk in broken.values_list("pk", flat=True)[:EXAMPLES])
            more = ", …" if count > EXAMPLES else ""
            lines.append(
                f"  {model._meta.db_table}: {count} row(s) break {constraint.name} "
                f"({constraint.violation_error_message}); ids {ids}{more}"
            )
    return lines


def prepare(
    app_label: str, operations: Sequence[Any], repairs: Sequence[Repair] = ()
) -> Callable[[Any, Any], None]:
    """A RunPython function: apply `repairs` (saying what it changed), then
    fail with the list of rows that still break a constraint of `operations`."""

    def run(apps: Any, schema_editor: Any) -> None:
        for model_name, rows, field, value, why in repairs:
            model = apps.get_model(app_label, model_name)
            changed = model._default_manager.filter(rows).exclude(**{field: value})
            ids = list(changed.order_by("pk").values_list("pk", flat=True)[:EXAMPLES])
            count = changed.update(**{field: value})
            if count:
                sys.stdout.write(
                    f"\n  {model._meta.db_table}: {why} on {count} row(s), ids "
                    f"{', '.join(map(str, ids))}{', …' if count > EXAMPLES else ''}"
                )
        lines = findings(apps, app_label, operations)
        if lines:
            raise BrokenRows(
                "These rows break rules the database is about to enforce. Nothing of "
                "this migration was applied (the repairs above included); correct the "
                "rows (the record pages or a re-import) and run `rumbo migrate` again "
                "(docs/decisions/0015-invariants-and-declared-access.md):\n" + "\n".join(lines)
            )

    return run
