"""Every import runs one way: each layer uses only the layers below it (or itself).

engine < accounts < common < procurement < placements < occupancy < impact < transfer < site. Imports inside
functions count too: a lazy import is still an arrow that runs back up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import platsa

PACKAGE = Path(platsa.__file__).parent
LAYERS = [
    "engine",
    "accounts",
    "common",
    "procurement",
    "placements",
    "occupancy",
    "impact",
    "transfer",
    "site",
]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "platsa" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def test_no_import_runs_back_up_a_layer() -> None:
    offenders = []
    for layer in LAYERS:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                else:
                    continue
                for name in names:
                    target = _layer(name)
                    if target is not None and LAYERS.index(target) > LAYERS.index(layer):
                        offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_the_layer_check_would_see_an_import_that_runs_back_up(tmp_path: Path) -> None:
    """The check above is not vacuous: the same reading finds an upward import in a sample."""
    sample = "def f():\n    from platsa.impact.report import build_report\n"
    found = [
        n.module
        for n in ast.walk(ast.parse(sample))
        if isinstance(n, ast.ImportFrom) and n.module and _layer(n.module)
    ]
    assert found == ["platsa.impact.report"]
    assert LAYERS.index(_layer(found[0]) or "") > LAYERS.index("placements")
