"""rackscale: the largest all-to-all scale-up domain that fits a rack, proven with CP-SAT.

Library use::

    import solver
    catalog = solver.load_catalog()                  # shipped catalogs/
    profile = solver.load_constraints()              # constraints/hyperscale-liquid.yaml
    result = solver.solve(catalog, profile, accelerator="gb200")   # one Result
    result.domain_size, result.binding, result.to_frame()
    results = solver.solve_all(catalog, profile)     # a list: every accelerator

Names are imported lazily so that ``rackscale --help`` does not load OR-Tools or pandas;
``dir(solver)`` and ``__all__`` list them all the same.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_catalog": "solver.catalog",
    "load_constraints": "solver.catalog",
    "parse_overrides": "solver.catalog",
    "solve": "solver.engine",
    "solve_all": "solver.engine",
    "check_design": "solver.engine",
    "parse_requirements": "solver.budgets.requirements",
    "Result": "solver.result",
    "format_quantity": "solver.units",
    "RackscaleError": "solver.errors",
    "InputError": "solver.errors",
    "InfeasibleError": "solver.errors",
    "UsageError": "solver.errors",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'solver' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
