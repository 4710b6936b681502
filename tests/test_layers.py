"""The house's layers hold: lib/ is in wings, and imports run one way (README, Layout).

core → data, analytics → notes → views → report → ui, cli; pages/ and app.py use ui, views and core
(and the notes' values).
A wing may import its own modules and the wings below it, never one beside or above it; no module
imports another that imports it back, not even inside a function."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RANK = {"core": 0, "data": 1, "analytics": 1, "notes": 2, "views": 3, "report": 4, "ui": 5, "cli": 5}
PAGES_MAY_USE = {"core", "views", "ui"}
PAGES_MAY_ALSO_USE = {"lib.notes.model"}  # note values and safe Markdown: what a page shows of a note


def lib_imports(path: Path) -> set[str]:
    """Every lib module `path` imports, at the top or inside a function (`from lib.x import y` gives
    lib.x.y when that is a module, else lib.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "lib":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if module_path(candidate).exists() else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "lib")
    return found


def module_path(dotted: str) -> Path:
    base = ROOT.joinpath(*dotted.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def wing(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else None


LIB = sorted((ROOT / "lib").rglob("*.py"))


def test_every_module_lives_in_a_wing():
    loose = [p.name for p in (ROOT / "lib").glob("*.py") if p.name != "__init__.py"]
    assert loose == [], "modules directly under lib/: put each in the wing of its layer"
    assert {p.name for p in (ROOT / "lib").iterdir() if p.is_dir() and p.name != "__pycache__"} == set(RANK)


@pytest.mark.parametrize("path", LIB, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_down_the_layers(path):
    own = wing(module_name(path))
    for target in sorted(lib_imports(path)):
        other = wing(target)
        if other is None or other == own:
            continue
        assert RANK[other] < RANK[own], f"{module_name(path)} imports {target}: {other} is not below {own}"


@pytest.mark.parametrize("path", [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"], ids=lambda p: p.name)
def test_pages_use_the_ui_views_and_core_only(path):
    for target in sorted(lib_imports(path)):
        assert wing(target) in PAGES_MAY_USE or target in PAGES_MAY_ALSO_USE, f"{path.name} imports {target}"


def test_no_module_imports_one_that_imports_it_back():
    graph = {module_name(p): {t for t in lib_imports(p) if module_path(t).exists()} for p in LIB}
    seen: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        seen[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if seen.get(nxt) == "open":
                cycle = trail[trail.index(nxt) :] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in seen:
                visit(nxt, [*trail, nxt])
        seen[node] = "done"

    for start in sorted(graph):
        if start not in seen:
            visit(start, [start])
