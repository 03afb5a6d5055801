"""What a family measures: one limit, how much of it a design uses, and how full it is."""

from __future__ import annotations

from dataclasses import dataclass

import pint

from solver.units import format_quantity


@dataclass(frozen=True)
class Check:
    """One limit of one family, measured on a design in physical units."""

    family: str
    limit_name: str
    used: pint.Quantity
    limit: pint.Quantity
    binding: bool = False
    """The limit that makes the next size impossible: set on the most utilised limits of
    each binding family once the result is explained."""

    @property
    def utilization(self) -> float:
        limit = self.limit.to(self.used.units).magnitude
        if limit <= 0:
            return float("inf") if self.used.magnitude > 0 else 0.0
        return float(self.used.magnitude / limit)

    @property
    def ok(self) -> bool:
        return self.utilization <= 1 + 1e-9

    def as_dict(self) -> dict:
        return {
            "limit_name": self.limit_name,
            "used": format_quantity(self.used),
            "limit": format_quantity(self.limit.to(self.used.units)),
            "utilization": round(self.utilization, 4),
            "binding": self.binding,
        }
