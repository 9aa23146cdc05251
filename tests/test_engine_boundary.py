"""The engine is pure computation: it imports nothing from Django, directly or indirectly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import platsa.engine

ENGINE = Path(platsa.engine.__file__).parent


def test_no_engine_module_imports_django_or_the_web_layer() -> None:
    offenders = []
    for path in sorted(ENGINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                inside_platsa = name.startswith("platsa.") and not name.startswith("platsa.engine")
                if top == "django" or inside_platsa:
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_importing_every_engine_module_loads_no_django() -> None:
    modules = [f"platsa.engine.{p.stem}" for p in ENGINE.glob("*.py") if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(modules) >= 3
    assert out.stdout.strip() == "[]"
