"""Benchmark: crmlab.btyd against lifetimes on CDNOW (speed and agreement).

1. BG/NBD on the full CDNOW master summary (23,570 customers; calibration
   1997-01-01..1997-09-30, weeks): ``crmlab.btyd.fit_bgnbd`` in this venv vs
   ``lifetimes.BetaGeoFitter`` (no penaliser) in the peers venv. Only the fit is
   timed (best and median of ``--repeat`` runs each, same summary written to a
   temp CSV); estimates are compared parameter by parameter.
2. MBG/NBD on the 2,357-customer sample (one timed fit each) and Pareto/NBD on
   the sample, timed ``--repeat-pnbd`` times each.
2b. Pareto/NBD on a simulated near-boundary cohort: 1,682 customers (the size
   of the retailer cohort in issue 17) drawn from a Pareto/NBD with s = 0.03
   (most customers practically never drop out; the maximum lies near the
   s -> 0 edge), first purchases spread over 68 weeks, times rounded to whole
   days as in a real log. Timed ``--repeat-pnbd`` times each; both
   log-likelihoods evaluated by crmlab at each library's estimates.
3. Predictions (P(alive), conditional expected transactions over 39 weeks,
   E[X(t)]) of both libraries at crmlab's BG/NBD estimates on the master summary.

The peers venv is ``benchmarks/.venv-peers`` (``benchmarks/setup_peers.sh``).
Run from the repository root::

    .venv/bin/python benchmarks/bench_btyd.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import crmlab
from crmlab import btyd

ROOT = Path(__file__).resolve().parents[1]
PEER_PY = ROOT / "benchmarks" / ".venv-peers" / "bin" / "python"

PEER_CODE = r"""
import json, sys, time, warnings
import numpy as np, pandas as pd
warnings.simplefilter("ignore")
import lifetimes
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
master = pd.read_csv(sys.argv[1]); sample = pd.read_csv(sys.argv[2]); repeat = int(sys.argv[3])
ours = json.loads(sys.argv[4])
out = {"version": lifetimes.__version__}
times = []
for _ in range(repeat):
    t0 = time.perf_counter()
    bg = BetaGeoFitter(penalizer_coef=0.0).fit(master["frequency"], master["recency"], master["T_cal"])
    times.append(time.perf_counter() - t0)
out["bgnbd"] = {"times": times, "params": bg.params_[["r", "alpha", "a", "b"]].tolist()}
boundary = pd.read_csv(sys.argv[5]); rep_pnbd = int(sys.argv[6])
for key, cls, names, data, reps in [
        ("mbgnbd", ModifiedBetaGeoFitter, ["r", "alpha", "a", "b"], sample, 1),
        ("pareto_nbd", ParetoNBDFitter, ["r", "alpha", "s", "beta"], sample, rep_pnbd),
        ("pareto_nbd_boundary", ParetoNBDFitter, ["r", "alpha", "s", "beta"], boundary, rep_pnbd)]:
    ts = []
    try:
        for _ in range(reps):
            t0 = time.perf_counter()
            f = cls(penalizer_coef=0.0).fit(data["frequency"], data["recency"], data["T_cal"])
            ts.append(time.perf_counter() - t0)
        out[key] = {"times": ts, "params": f.params_[names].tolist()}
    except Exception as exc:  # report, do not hide
        out[key] = {"error": repr(exc)}
# predictions at crmlab's estimates
bg.params_ = pd.Series(ours, index=["r", "alpha", "a", "b"])
x, tx, T = master["frequency"].values, master["recency"].values, master["T_cal"].values
out["pred"] = {
    "p_alive": np.asarray(bg.conditional_probability_alive(x, tx, T), float).tolist(),
    "cond": np.asarray(bg.conditional_expected_number_of_purchases_up_to_time(39.0, x, tx, T), float).tolist(),
    "uncond": [float(bg.expected_number_of_purchases_up_to_time(t)) for t in (1.0, 10.0, 39.0, 78.0)],
}
print(json.dumps(out))
"""


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t0)
    return res, times


def boundary_cohort(n: int = 1682, seed: int = 7):
    """Simulated Pareto/NBD cohort whose maximum lies near the no-dropout edge (s small)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    T = rng.integers(70, 546, n) / 7.0  # weeks, whole days
    sim = btyd.simulate_summary("pareto_nbd", [0.6, 15.0, 0.03, 2.0], n, T_cal=T, seed=seed)
    rec = np.floor(sim["recency"].to_numpy() * 7) / 7
    rec = np.where(sim["frequency"] > 0, np.clip(rec, 1 / 7, None), 0.0)
    return pd.DataFrame({"frequency": sim["frequency"].to_numpy(), "recency": rec, "T_cal": T})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--repeat-pnbd", type=int, default=3)
    args = ap.parse_args()
    # the published convention (every CDNOW record is a purchase), as lifetimes counts them
    master = btyd.summarize(crmlab.datasets.load_cdnow("master"), "1997-09-30", unit="W",
                            purchase_rule="any_occasion")
    sample = btyd.summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", unit="W",
                            purchase_rule="any_occasion")
    boundary = boundary_cohort()
    bg, t_bg = timed(lambda: btyd.fit_bgnbd(master), args.repeat)
    mbg, t_mbg = timed(lambda: btyd.fit_mbgnbd(sample), 1)
    pn, t_pn = timed(lambda: btyd.fit_pareto_nbd(sample), args.repeat_pnbd)
    # near the no-dropout edge: keep the full fit (flagged) to compare it with lifetimes' full fit
    pb, t_pb = timed(lambda: btyd.fit_pareto_nbd(boundary, at_boundary="keep"), args.repeat_pnbd)
    res: dict = {
        "n_customers_master": len(master),
        "n_customers_boundary": len(boundary),
        "crmlab": {
            "bgnbd": {"times": t_bg, "params": bg.params.tolist(), "loglik": bg.loglik},
            "mbgnbd": {"times": t_mbg, "params": mbg.params.tolist(), "loglik": mbg.loglik},
            "pareto_nbd": {"times": t_pn, "params": pn.params.tolist(), "loglik": pn.loglik},
            "pareto_nbd_boundary": {"times": t_pb, "params": pb.params.tolist(), "loglik": pb.loglik},
        },
    }
    if not PEER_PY.exists():
        res["lifetimes"] = f"not run: {PEER_PY} missing (run benchmarks/setup_peers.sh)"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            pm, ps = Path(tmp) / "master.csv", Path(tmp) / "sample.csv"
            pbnd = Path(tmp) / "boundary.csv"
            cols = ["frequency", "recency", "T_cal"]
            master[cols].to_csv(pm, index=False)
            sample[cols].to_csv(ps, index=False)
            boundary[cols].to_csv(pbnd, index=False)
            out = subprocess.run(
                [str(PEER_PY), "-c", PEER_CODE, str(pm), str(ps), str(args.repeat),
                 json.dumps(bg.params.tolist()), str(pbnd), str(args.repeat_pnbd)],
                capture_output=True, text=True, check=True)
        peer = json.loads(out.stdout.strip().splitlines()[-1])
        res["lifetimes_version"] = peer["version"]
        summary = {}
        data_of = {"bgnbd": master, "mbgnbd": sample, "pareto_nbd": sample,
                   "pareto_nbd_boundary": boundary}
        for key, fit in [("bgnbd", bg), ("mbgnbd", mbg), ("pareto_nbd", pn),
                         ("pareto_nbd_boundary", pb)]:
            p = peer[key]
            if "error" in p:
                summary[key] = {"lifetimes_error": p["error"]}
                continue
            rel = np.abs(np.array(p["params"]) / fit.params.to_numpy() - 1)
            ours_t = res["crmlab"][key]["times"]
            summary[key] = {
                "lifetimes_params": p["params"],
                "lifetimes_times": p["times"],
                "max_rel_diff": float(rel.max()),
                "lifetimes_loglik_at_its_params": btyd.loglik(
                    "pareto_nbd" if key.startswith("pareto") else key, p["params"], data_of[key]),
                "crmlab_loglik": fit.loglik,
                "speedup_median": float(np.median(p["times"]) / np.median(ours_t)),
                "speedup_best": float(np.min(p["times"]) / np.min(ours_t)),
            }
        pa = bg.p_alive(master).to_numpy()
        ce = bg.conditional_expected_transactions(master, 39.0).to_numpy()
        ue = bg.expected_transactions(np.array([1.0, 10.0, 39.0, 78.0]))
        summary["predictions_max_rel_diff"] = {
            "p_alive": float(np.max(np.abs(np.array(peer["pred"]["p_alive"]) / pa - 1))),
            "conditional_39w": float(np.max(np.abs(np.array(peer["pred"]["cond"]) / ce - 1))),
            "expected_X_t": float(np.max(np.abs(np.array(peer["pred"]["uncond"]) / ue - 1))),
        }
        res["comparison"] = summary
    res["machine"] = f"{platform.machine()} {platform.system()} {platform.release()}"
    res["python"] = sys.version.split()[0]
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
