"""rackscale: the largest all-to-all scale-up domain that fits a rack, proven with CP-SAT.

Library use::

    import solver
    catalog = solver.load_catalog()                  # shipped catalogs/
    profile = solver.load_constraints()              # constraints/hyperscale-liquid.yaml
    result = solver.solve(catalog, profile, accelerator="gb200")
    result.domain_size, result.binding, result.to_frame()

Names are imported lazily so that ``rackscale --help`` does not load OR-Tools or pandas.
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
    "check_design": "solver.engine",
    "Result": "solver.result",
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
