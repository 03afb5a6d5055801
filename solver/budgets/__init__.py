"""Workload budgets, pint Quantities in and out: one module per budget.

- :mod:`~solver.budgets.bandwidth`: scale-up, bisection and scale-out bandwidth, their ratio.
- :mod:`~solver.budgets.moe`: MoE dispatch + combine all-to-all inside and across domains;
  the largest MoE layer meeting a per-layer time budget and fitting memory.
- :mod:`~solver.budgets.decode`: memory-bandwidth decode bounds, capacity fit, throughput.
- :mod:`~solver.budgets.pipeline`: pipeline parallelism: capacity grows, latency does not fall.
- :mod:`~solver.budgets.jitter`: log-normal link latency, expected max over N (Monte Carlo
  and Gumbel), collective efficiency vs N.
- :mod:`~solver.budgets.perf_per_watt`: FLOP/s per watt per accelerator, per design, by year.
- :mod:`~solver.budgets.requirements`: ``--require`` parsing and the solver requirements.

Default assumptions that no catalog holds are module constants marked *estimate*.
"""

DEFAULT_CONTEXT = 2048
"""KV-cache tokens per sequence when a question names none (a light module: the CLI reads it)."""
