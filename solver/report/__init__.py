"""The presentation layer: everything a result becomes once it is solved.

- :mod:`~solver.report.text`: the terminal tables (``solve``, ``catalog list``)
- :mod:`~solver.report.json`: ``--json`` and ``solve.json``
- :mod:`~solver.report.csv`: every CSV any command writes (summary, BOM, budgets, layout,
  cable runs, and the frames of sensitivity, comparison and sweeps), as stable bytes
- :mod:`~solver.report.figures`: the report's charts; :mod:`~solver.report.elevation`: rack
  and row elevations (matplotlib ``Figure`` objects, no pyplot state)
- :mod:`~solver.report.pdf`: the planning report, one function per section
- :mod:`~solver.report.files`: the file sets of ``solve --out`` and ``report``, written
  atomically

It reads results and analysis tables and never solves: callers (the CLI, scripts) run the
sensitivity and the comparison and pass their frames in. This package imports nothing
eagerly, so importing one module does not load the others (or matplotlib and reportlab).
"""
