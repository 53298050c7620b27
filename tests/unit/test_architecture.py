"""The import directions: core ← rules/formats ← services ← cli/web.  The core is pure."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "jixiao"
LAYERS = {"core": 0, "rules": 1, "formats": 1, "services": 2, "web": 3}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(layer: str) -> list[Path]:
    return sorted(p for p in (PACKAGE / layer).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.name)
def test_the_core_imports_only_the_standard_library_and_itself(path):
    for name in imports_of(path):
        top = name.split(".")[0]
        if top == "jixiao":
            assert name.startswith("jixiao.core"), f"{path.name} imports {name}"
        else:
            assert top in sys.stdlib_module_names or top == "__future__", (
                f"{path.name} imports {name}"
            )


@pytest.mark.parametrize("layer", ["rules", "formats", "services", "web"])
def test_a_layer_imports_only_layers_below_or_beside_it(layer):
    for path in modules(layer):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] != "jixiao" or len(parts) < 2:
                continue
            other = parts[1]
            if other in LAYERS:
                assert LAYERS[other] <= LAYERS[layer], f"{layer}/{path.name} imports {name}"
            else:
                pytest.fail(f"{layer}/{path.name} imports the entry point {name}")


def test_rules_and_formats_do_not_import_each_other():
    for a, b in (("rules", "formats"), ("formats", "rules")):
        for path in modules(a):
            assert not any(n.startswith(f"jixiao.{b}") for n in imports_of(path)), path


def test_the_core_never_imports_django():
    for path in modules("core") + modules("rules") + modules("formats") + modules("services"):
        assert not any(n.split(".")[0] in ("django", "ninja") for n in imports_of(path)), path
