"""The layers of `wizard/` point down: each package imports only from those below it, and only its own libraries.

Every import is read from the source (those inside functions too), so a lazy import cannot
hide a layer broken.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wizard"
#: The layers, bottom first. A module may import from its own layer and those before it.
LAYERS = ("core", "source", "rules", "render", "tui", "cli")
#: The libraries (beyond the standard library) each layer may import.
LIBRARIES = {
    "core": {"msgspec"},
    "source": {"msgspec", "yaml", "platformdirs"},
    "rules": {"msgspec", "networkx"},
    "render": {"msgspec", "networkx", "icalendar"},
    "tui": {"msgspec", "questionary", "prompt_toolkit", "rich"},
    "cli": {"msgspec"},
}
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] in LAYERS)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, absolute, with the line it is imported on."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "wizard":  # `from wizard import x`: x is the module
                found += [(node.lineno, f"wizard.{alias.name}") for alias in node.names]
    return found


def test_every_module_of_wizard_is_in_a_layer() -> None:
    loose = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert loose == set(), "modules outside the layer packages"
    assert len(MODULES) > 20


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_and_use_the_layers_own_libraries(path: Path) -> None:
    layer = path.relative_to(PACKAGE).parts[0]
    wrong = []
    for line, name in imports(path):
        top = name.split(".")[0]
        if top == "wizard":
            parts = name.split(".")
            if len(parts) > 1 and parts[1] in LAYERS and LAYERS.index(parts[1]) > LAYERS.index(layer):
                wrong.append(f"line {line}: {layer} imports {name}, a layer above it")
        elif top not in (*sys.stdlib_module_names, *LIBRARIES[layer], "__future__", "_typeshed"):
            wrong.append(f"line {line}: {layer} imports {top}, not one of its libraries")
    assert wrong == []


def test_the_test_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from wizard.tui.draw import make_console\n    import rich\n", encoding="utf-8")
    assert imports(bad) == [(2, "wizard.tui.draw"), (3, "rich")]
