"""Inputs that may be uncertain: a fixed value or a distribution to draw from.

Every distribution has a ``point`` (the value used for the point estimate: the mode of a
triangular, the mean of the others) and draws from a passed ``np.random.Generator`` only, so every
figure is reproducible from its seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Beta",
    "Distribution",
    "Fixed",
    "Normal",
    "Triangular",
    "Uniform",
    "Uncertain",
    "as_distribution",
]

FloatArray = NDArray[np.float64]


class Distribution(Protocol):
    @property
    def point(self) -> float: ...

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray: ...

    def describe(self) -> dict[str, object]: ...


@dataclass(frozen=True, slots=True)
class Fixed:
    value: float

    @property
    def point(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return np.full(size, self.value, dtype=np.float64)

    def describe(self) -> dict[str, object]:
        return {"distribution": "fixed", "value": self.value}


@dataclass(frozen=True, slots=True)
class Uniform:
    low: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(f"uniform needs low <= high, got {self.low} and {self.high}")

    @property
    def point(self) -> float:
        return (self.low + self.high) / 2

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.uniform(self.low, self.high, size)

    def describe(self) -> dict[str, object]:
        return {"distribution": "uniform", "low": self.low, "high": self.high}


@dataclass(frozen=True, slots=True)
class Triangular:
    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"triangular needs low <= mode <= high, got {self.low}, {self.mode}, {self.high}"
            )

    @property
    def point(self) -> float:
        return self.mode

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        if self.low == self.high:
            return np.full(size, self.low, dtype=np.float64)
        return rng.triangular(self.low, self.mode, self.high, size)

    def describe(self) -> dict[str, object]:
        return {"distribution": "triangular", "low": self.low, "mode": self.mode, "high": self.high}


@dataclass(frozen=True, slots=True)
class Normal:
    """A normal distribution, optionally truncated to [low, high] by resampling-free clipping."""

    mean: float
    sd: float
    low: float = -math.inf
    high: float = math.inf

    def __post_init__(self) -> None:
        if self.sd < 0:
            raise ValueError(f"normal needs sd >= 0, got {self.sd}")
        if not self.low <= self.mean <= self.high:
            raise ValueError("normal needs low <= mean <= high")

    @property
    def point(self) -> float:
        return self.mean

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return np.clip(rng.normal(self.mean, self.sd, size), self.low, self.high)

    def describe(self) -> dict[str, object]:
        out: dict[str, object] = {"distribution": "normal", "mean": self.mean, "sd": self.sd}
        if math.isfinite(self.low):
            out["low"] = self.low
        if math.isfinite(self.high):
            out["high"] = self.high
        return out


@dataclass(frozen=True, slots=True)
class Beta:
    """A beta distribution on [0, 1] (for shares such as deadweight), given by alpha and beta."""

    alpha: float
    beta: float

    def __post_init__(self) -> None:
        if self.alpha <= 0 or self.beta <= 0:
            raise ValueError("beta needs alpha > 0 and beta > 0")

    @property
    def point(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.beta(self.alpha, self.beta, size)

    def describe(self) -> dict[str, object]:
        return {"distribution": "beta", "alpha": self.alpha, "beta": self.beta}


Uncertain = float | Fixed | Uniform | Triangular | Normal | Beta


def as_distribution(value: Uncertain) -> Distribution:
    """A plain number becomes :class:`Fixed`; a distribution is returned as it is.

    >>> import numpy as np
    >>> as_distribution(0.2)
    Fixed(value=0.2)
    >>> Triangular(0.1, 0.2, 0.4).point
    0.2
    >>> bool((Uniform(1, 2).sample(np.random.default_rng(1), 1000) >= 1).all())
    True
    """
    if isinstance(value, (int, float)):
        return Fixed(float(value))
    return value
