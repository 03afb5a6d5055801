"""The eight claims of MISSION.md, tested with the shipped catalogs. Run from the repo root:

    python examples/claims.py

Every figure is a bound or a budget computed by solver.budgets from catalog data; the
assumptions (tokens per accelerator, context, latency spread) are the module defaults.
"""

from __future__ import annotations

from solver.budgets import bandwidth, decode, jitter, moe, perf_per_watt, pipeline
from solver.catalog import load_catalog, load_constraints
from solver.compare import compare, compare_text
from solver.engine import solve
from solver.units import Quantity


def main() -> None:
    cat, profile = load_catalog(), load_constraints()
    acc, wl = cat.accelerators, cat.workloads

    print("1. MoE all-to-all inside a rack vs across racks (DeepSeek-V3, 256 tokens/GPU/layer)")
    for a in ("gb200", "gb300"):
        inside = moe.workload_all_to_all(acc[a], wl["deepseek-v3"], 256, 72, 72).layer_time
        across = moe.workload_all_to_all(acc[a], wl["deepseek-v3"], 256, 144, 72).layer_time
        ratio = bandwidth.scale_up_to_out_ratio(acc[a])
        print(
            f"   {a}: 72 GPUs {inside:.1f~P}, 2 racks {across:.1f~P} -> {(across / inside).m:.1f}x "
            f"slower (link ratio {ratio:.0f}x)"
        )
    rows = moe.layer_frontier(acc["gb200"], wl["deepseek-v3"], 72, 256, Quantity(200, "us"))
    for r in rows:
        if r["participants"] in (8, 72, 144, 288):
            print(
                f"   EP over {r['participants']:>3}: {r['layer_time']:.0f~P}, fits "
                f"{r['max_experts']} experts/layer, within 200 us: {r['meets_budget']}"
            )
    best = moe.largest_layer(rows)
    print(f"   largest MoE layer within 200 us: {best['max_experts']} experts on one domain")

    print("\n2. Domain growth is physical: what binds the next size")
    for a in ("gb200", "b200", "mi300x", "rtx-4090"):
        r = solve(cat, profile, accelerator=a)
        print(f"   {r.explanation}")
    tight = load_constraints(overrides=[("profile.feed_power", "100 kW")])
    print(f"   at 100 kW feed: {solve(cat, tight, accelerator='gb200').explanation}")

    print(
        "\n3. Pipeline parallelism across racks: capacity, no latency (405B on 8 x H100 per stage)"
    )
    for r in pipeline.stage_scan(wl["llama-3.1-405b"], acc["h100"], 8, 4):
        print(
            f"   {r['stages']} stage(s): {r['capacity']:.0f~P}, fits {r['fits']}, "
            f"{r['tokens_per_s_per_user']:.1f} t/s per user"
        )

    print("\n4. Decode reads weights with every accelerator's bandwidth (t/s per user, GB200)")
    for w in ("llama-3.1-405b", "kimi-k2"):
        cells = []
        for n in (8, 16, 36, 72):
            dep = decode.gpu_deployment(acc["gb200"], n, 1, wl[w].weight_precision)
            step = decode.decode_step(wl[w], dep)
            cells.append(f"N={n}: {step.tokens_per_s_per_user:,.0f}" + ("" if step.fits else "*"))
        print(f"   {w}: " + ", ".join(cells) + "   (* does not fit)")

    print("\n5. Interconnect tax: GPU rack vs wafer-scale vs SRAM chips (Llama 3.1 405B)")
    table = compare(cat, profile, "llama-3.1-405b", ["gb200", "cs-3", "groqrack"])
    print("   " + compare_text(table, wl["llama-3.1-405b"]).replace("\n", "\n   "))

    print("\n6. Jitter: the slowest link sets the pace (1 ms of work split N ways, 1 MiB)")
    work, msg = Quantity(1, "ms"), Quantity(1, "MiB")
    nvl = jitter.Fabric(
        "nvlink", Quantity(900, "GB/s"), jitter.LinkLatency(Quantity(0.7, "us"), 0.5)
    )
    effs = ", ".join(f"N={n}: {jitter.efficiency(nvl, work, msg, n):.2f}" for n in (8, 72, 576))
    print(
        f"   NVLink-class, sigma 0.5: {effs}; largest N at 0.8: "
        f"{jitter.largest_n(nvl, work, msg, 0.8, 1000)}"
    )
    for n in (72, 4096):
        mc = jitter.expected_max_monte_carlo(nvl.latency, n)
        gb = jitter.expected_max_gumbel(nvl.latency, n)
        print(
            f"   E[max of {n}]: Monte Carlo {mc:.3f~P}, Gumbel {gb:.3f~P} ({(gb / mc).m - 1:+.1%})"
        )
    hero = jitter.Fabric("hero", Quantity(900, "GB/s"), jitter.LinkLatency(Quantity(2, "us"), 1.0))
    steady = jitter.Fabric(
        "steady", Quantity(400, "GB/s"), jitter.LinkLatency(Quantity(2, "us"), 0.2)
    )
    ns = [2**i for i in range(1, 14)]
    print(
        f"   900 GB/s sigma 1.0 vs 400 GB/s sigma 0.2: the steady fabric wins from N = "
        f"{jitter.crossover(hero, steady, work, msg, ns)}"
    )

    print("\n7. Perf/W is plateauing (dense BF16, NVIDIA, accelerator alone)")
    datacentre = ("a100", "h100", "h200", "b200", "gb200", "gb300")
    for r in perf_per_watt.trend(cat, ids=datacentre):
        change = f" ({r['ratio']:.2f}x)" if r["ratio"] else ""
        print(f"   {r['year']} {r['accelerator']:<8} {r['perf_per_watt']:.2f~P}{change}")

    print("\n8. Plentiful accelerators lack fast interconnect (8 GPUs per node)")
    for a in ("rtx-4090", "a100", "h100"):
        dep = decode.gpu_deployment(acc[a], 8)
        step = decode.decode_step(wl["llama-3.1-70b"], dep)
        a2a = moe.workload_all_to_all(acc[a], wl["mixtral-8x22b"], 256, 8, 8).layer_time
        print(
            f"   {a:<8} scale-up {bandwidth.scale_up_bandwidth(acc[a]):.0f~P}: Llama 70B "
            f"{step.tokens_per_s_per_user:,.0f} t/s per user (tax {step.interconnect_tax:.0%}); "
            f"Mixtral 8x22B all-to-all {a2a:.0f~P} per layer at 256 tokens/GPU"
        )

    print("\nPublished speeds vs decode bound (measured / bound)")
    for s in cat.published_speeds.values():
        c = decode.published_check(cat, s)
        tag = "" if c["counted"] else f"  [not counted: {c['reason']}]"
        print(
            f"   {c['id']:<28} {c['published']:>6,.0f} / {c['bound']:>9,.0f} t/s = "
            f"{c['efficiency']:.2%}{tag}"
        )


if __name__ == "__main__":
    main()
