"""System check: every registered component has a column in both rollup tables,
and every component column is fed by a registered component."""

from __future__ import annotations

from typing import Any

from django.core import checks

from rumbo.metrics import registry
from rumbo.metrics.models import Components


@checks.register()
def components_have_columns(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    columns = {f.name for f in Components._meta.get_fields()}
    registered = set(registry.component_keys())
    problems: list[checks.CheckMessage] = []
    for key in sorted(registered - columns):
        problems.append(checks.Error(
            f"The metric component {key!r} has no rollup column.",
            hint="Add it to rumbo.metrics.models.Components and make a migration.",
            id="metrics.E001",
        ))  # fmt: skip
    for key in sorted(columns - registered):
        problems.append(checks.Warning(
            f"The rollup column {key!r} is fed by no registered component.",
            hint="Register the component in its app's metrics.py, or drop the column.",
            id="metrics.W002",
        ))  # fmt: skip
    return problems
