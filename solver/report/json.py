"""The JSON a planning script reads (``--json`` and ``solve.json``): no timestamps, and with
``stable`` no wall times, so the same inputs give the same bytes."""

from __future__ import annotations

import json

from solver.result import Result


def to_json(value: Result | list[Result], stable: bool = False) -> str:
    """JSON for planning scripts; ``stable`` drops wall times for byte-identical files."""
    data = value.to_dict() if isinstance(value, Result) else [r.to_dict() for r in value]
    if stable:
        for item in data if isinstance(data, list) else [data]:
            item["solve"].pop("wall_time_s", None)
    return json.dumps(data, indent=2, ensure_ascii=False)
