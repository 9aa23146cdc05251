"""The computation of platsa: pure functions on plain values and numpy arrays.

Nothing here imports Django (a test enforces it); the web layer calls the engine, never the
reverse. Modules:

- :mod:`platsa.engine.quality`: data-quality flags on recorded placements.
"""

__all__ = ["ENGINE_VERSION"]

ENGINE_VERSION = "0.2.0"
