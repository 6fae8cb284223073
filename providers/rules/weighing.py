"""The weighing data of the rules: how hits combine into a hold (``decision`` in
catalogue.json) and the statutory minimum wages (minimum_wages.json), validated at load."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from providers.rules.errors import RuleDataError, require

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Decision:
    """How hits combine into "hold for a person": weights per severity, held at ``hold_at``."""

    weights: dict[str, int]
    hold_at: int
    about: str

    def holds(self, severities: list[str]) -> bool:
        return sum(self.weights.get(severity, 0) for severity in severities) >= self.hold_at


@dataclass(frozen=True, slots=True)
class MinimumWage:
    """A statutory minimum wage for one country, in its national currency."""

    currency: str
    hourly: float
    monthly: float
    full_time_hours: float
    """The weekly hours the monthly minimum pays for."""
    effective: str = ""
    source: str = ""


def parse_wages(data: dict[str, Any]) -> tuple[dict[str, MinimumWage], dict[str, str], str, dict[str, str]]:
    where = "minimum_wages.json"
    effective = require(data, "effective", str, where)
    source = f"{require(data, 'source', str, where)} ({effective})"
    aliases = data.get("aliases", {})
    if not isinstance(aliases, dict):
        raise RuleDataError(f"{where}: 'aliases' must map ISO codes to Eurostat codes")
    wages: dict[str, MinimumWage] = {}
    for country, entry in require(data, "countries", dict, where).items():
        here = f"{where} country {country!r}"
        if not (isinstance(entry, dict) and len(country) == 2 and country.isupper()):
            raise RuleDataError(f"{here}: expected an ISO 3166 alpha-2 code mapped to an object")
        numbers = [entry.get(key) for key in ("hourly", "monthly", "full_time_hours")]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in numbers):
            raise RuleDataError(f"{here}: 'hourly', 'monthly', 'full_time_hours' must be positive numbers")
        hourly, monthly, full_time = (float(cast(float, v)) for v in numbers)
        wages[country] = MinimumWage(
            require(entry, "currency", str, here),
            hourly,
            monthly,
            full_time,
            effective=str(entry.get("effective", effective)),
            source=str(entry.get("source", data["source"])),
        )
    none = require(data, "no_statutory_minimum", dict, where)
    overlap = set(none) & set(wages)
    if overlap:
        raise RuleDataError(f"{where}: {sorted(overlap)} listed both with and without a minimum")
    return wages, {k: str(v) for k, v in none.items()}, source, {str(k): str(v) for k, v in aliases.items()}


def parse_decision(data: dict[str, Any]) -> Decision:
    where = "catalogue.json decision"
    entry = require(data, "decision", dict, "catalogue.json")
    weights = require(entry, "weights", dict, where)
    if set(weights) != set(SEVERITIES) or not all(isinstance(v, int) and v >= 0 for v in weights.values()):
        raise RuleDataError(f"{where}: 'weights' must give a whole number >= 0 for each of {SEVERITIES}")
    hold_at = require(entry, "hold_at", int, where)
    if hold_at < 1:
        raise RuleDataError(f"{where}: 'hold_at' must be at least 1")
    return Decision(
        weights={str(k): int(v) for k, v in weights.items()},
        hold_at=hold_at,
        about=require(entry, "about", str, where),
    )
