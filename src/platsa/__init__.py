"""platsa: social procurement of occupation places and the value they create.

Two parts in one package: :mod:`platsa.engine` is pure computation (numpy, no Django);
everything else is the Django shell that stores, authorises, shows and calls the engine.
"""

__version__ = "0.1.0"
