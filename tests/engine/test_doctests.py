"""The examples in the engine's docstrings are tests too."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import platsa.engine

MODULES = [m.name for m in pkgutil.iter_modules(platsa.engine.__path__, "platsa.engine.")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no docstring example"
    assert result.failed == 0
