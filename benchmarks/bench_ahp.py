"""Benchmarks for crmlab.ahp (chapter 4).

Run from the repository root:

    .venv/bin/python benchmarks/bench_ahp.py            # quick part (~10 s)
    .venv/bin/python benchmarks/bench_ahp.py --full     # + exhaustive 24M-matrix search

Prints Markdown; results are recorded in benchmarks/RESULTS_ahp.md.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from crmlab import ahp


def timed(fn, repeat=3):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true", help="also run the exhaustive searches")
    args = ap.parse_args()
    print(f"- machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}, numpy {np.__version__}")
    print(f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")

    k, n = 10_000, 9
    stack = ahp.random_reciprocal_matrices(k, n, seed=1)
    print("| task | time (s) | note |\n|---|---|---|")
    t_gen, _ = timed(lambda: ahp.random_reciprocal_matrices(k, n, seed=1))
    print(f"| generate {k:,} random {n}×{n} reciprocal matrices | {t_gen:.3f} | |")
    for method in ahp.METHODS:
        t, res = timed(lambda m=method: ahp.batch_analyze(stack, m))
        print(f"| batch_analyze {k:,} × {n}×{n}, {method} | {t:.3f} | "
              f"mean CR {res.cr.mean():.3f}, share CR<0.1 {res.consistent.mean():.4f} |")
    m = 1_000
    t_loop, _ = timed(lambda: [ahp.analyze(stack[i]) for i in range(m)], repeat=1)
    print(f"| loop of analyze() over {m:,} matrices (validated, scipy eig) | {t_loop:.3f} | "
          f"≈ {t_loop * k / m:.1f} s for {k:,} |")

    t_ri, ri = timed(lambda: ahp.simulate_random_index(range(3, 16), size=100_000, seed=2024),
                     repeat=1)
    print(f"| simulate_random_index n=3..15, 100,000 matrices each | {t_ri:.2f} | 1.3 million eig |")
    print("\nMonte Carlo random index (100,000 random matrices per order, entries uniform on the "
          "17 Saaty values) against the published tables:\n")
    print("| n | simulated RI | s.e. | Saaty 1980 | Saaty & Vargas 2012 | Alonso & Lamata 2006 |")
    print("|---|---|---|---|---|---|")
    for nn, r in ri.iterrows():
        print(f"| {nn} | {r['ri']:.4f} | {r['se']:.4f} | {r['saaty1980']:.2f} | "
              f"{r['saaty2012']:.2f} | {r['alonso_lamata2006']:.4f} |")

    w = [0.6095, 0.1842, 0.1231, 0.0832]
    t_p, found = timed(lambda: ahp.recover_judgments(w, method="geometric_mean"), repeat=1)
    print(f"\n| recover total-profit matrix, geometric mean, pruned | {t_p:.3f} | "
          f"{len(found)} matrices |")
    if args.full:
        big = 17 ** 6
        t_g, found = timed(lambda: ahp.recover_judgments(
            w, method="geometric_mean", search="exhaustive", max_cr=1e9,
            max_candidates=big), repeat=1)
        print(f"| exhaustive 17^6 = {big:,} matrices, geometric mean, any CR | {t_g:.1f} | "
              f"{len(found)} matrices, {sum(ahp.analyze(f).cr < 0.1 for f in found)} with CR<0.1 |")
        t_e, found = timed(lambda: ahp.recover_judgments(
            w, method="eigenvector", search="exhaustive", max_cr=1e9,
            max_candidates=big), repeat=1)
        print(f"| exhaustive 17^6 = {big:,} matrices, eigenvector, any CR | {t_e:.1f} | "
              f"{len(found)} matrices |")
        t_c, found = timed(lambda: ahp.recover_judgments(
            w, method="column_average", search="exhaustive", max_cr=1e9,
            max_candidates=big), repeat=1)
        print(f"| exhaustive 17^6 = {big:,} matrices, column average, any CR | {t_c:.1f} | "
              f"{len(found)} matrices |")


if __name__ == "__main__":
    main()
