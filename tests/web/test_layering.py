"""The layering the map draws: web/ is the ground kit every app stands on, so
it imports no app of Rumbo — the access path (tenancy's) is handed to it
(web.access.install, from TenancyConfig.ready) — and an app does not reach
into an app built on it (tenancy does not import sales: sales contributes its
panels through web.panels.contribute)."""

from __future__ import annotations

import ast
from pathlib import Path

import rumbo

SRC = Path(rumbo.__file__).parent
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())


def _imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _reaching(package: str, forbidden: list[str]) -> list[str]:
    bad = []
    for path in sorted((SRC / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for module in sorted(_imports(path)):
            if any(module == f"rumbo.{app}" or module.startswith(f"rumbo.{app}.")
                   for app in forbidden):  # fmt: skip
                bad.append(f"{path.relative_to(SRC)} imports {module}")
    return bad


def test_the_ground_kit_imports_no_app() -> None:
    assert "web" in APPS and "tenancy" in APPS
    assert _reaching("web", [app for app in APPS if app != "web"]) == []


def test_tenancy_does_not_reach_into_the_apps_built_on_it() -> None:
    above = [app for app in APPS if app not in ("web", "tenancy")]
    assert _reaching("tenancy", above) == []


def test_the_scan_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from rumbo.tenancy import scoping\n")
    assert _imports(sample) == {"rumbo.tenancy"}
