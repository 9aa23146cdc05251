"""Progression instruments as data files; loaded by a migration and by ``platsa load_instrument``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEFAULT = Path(__file__).resolve().parent / "platsa-steg.yaml"


class InstrumentFileError(ValueError):
    pass


def read_instrument(path: Path) -> dict[str, Any]:
    """Read and check an instrument file; errors name the file and the field."""
    name = path.name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise InstrumentFileError(f"{name}: must be a mapping")
    for key in ("code", "name", "scales"):
        if key not in data:
            raise InstrumentFileError(f"{name}: {key}: is required")
    lo, hi = int(data.get("scale_min", 1)), int(data.get("scale_max", 10))
    if lo >= hi:
        raise InstrumentFileError(f"{name}: scale_max: must be above scale_min")
    for i, scale in enumerate(data["scales"]):
        for key in ("code", "name", "anchors"):
            if key not in scale:
                raise InstrumentFileError(f"{name}: scales[{i}].{key}: is required")
        for step in scale["anchors"]:
            if not isinstance(step, int) or not lo <= step <= hi:
                raise InstrumentFileError(
                    f"{name}: scales[{i}].anchors.{step}: is off the scale {lo}–{hi}"
                )
    return data


def load_instrument(
    data: dict[str, Any], *, instrument_model: Any, scale_model: Any, municipality: Any = None
) -> Any:
    """Create or update the instrument and its scales (works with a migration's historical models)."""
    instrument, _ = instrument_model.objects.update_or_create(
        code=data["code"],
        defaults={
            "municipality": municipality,
            "name": data["name"],
            "description": data.get("description", ""),
            "licence": data.get("licence", ""),
            "scale_min": data.get("scale_min", 1),
            "scale_max": data.get("scale_max", 10),
        },
    )
    for position, scale in enumerate(data["scales"], start=1):
        scale_model.objects.update_or_create(
            instrument=instrument,
            code=scale["code"],
            defaults={
                "position": position,
                "name": scale["name"],
                "anchors": {str(k): v for k, v in scale["anchors"].items()},
                "meaningful_change": scale.get("meaningful_change", 2),
            },
        )
    return instrument
