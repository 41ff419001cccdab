"""Benchmark: crmlab.btyd against lifetimes on CDNOW (speed and agreement).

1. BG/NBD on the full CDNOW master summary (23,570 customers; calibration
   1997-01-01..1997-09-30, weeks): ``crmlab.btyd.fit_bgnbd`` in this venv vs
   ``lifetimes.BetaGeoFitter`` (no penaliser) in the peers venv. Only the fit is
   timed (best and median of ``--repeat`` runs each, same summary written to a
   temp CSV); estimates are compared parameter by parameter.
2. MBG/NBD and Pareto/NBD on the 2,357-customer sample: one timed fit each.
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
for key, cls, names in [("mbgnbd", ModifiedBetaGeoFitter, ["r", "alpha", "a", "b"]),
                        ("pareto_nbd", ParetoNBDFitter, ["r", "alpha", "s", "beta"])]:
    t0 = time.perf_counter()
    try:
        f = cls(penalizer_coef=0.0).fit(sample["frequency"], sample["recency"], sample["T_cal"])
        out[key] = {"times": [time.perf_counter() - t0], "params": f.params_[names].tolist()}
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    master = btyd.summarize(crmlab.datasets.load_cdnow("master"), "1997-09-30", unit="W")
    sample = btyd.summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", unit="W")
    bg, t_bg = timed(lambda: btyd.fit_bgnbd(master), args.repeat)
    mbg, t_mbg = timed(lambda: btyd.fit_mbgnbd(sample), 1)
    pn, t_pn = timed(lambda: btyd.fit_pareto_nbd(sample), 1)
    res: dict = {
        "n_customers_master": len(master),
        "crmlab": {
            "bgnbd": {"times": t_bg, "params": bg.params.tolist(), "loglik": bg.loglik},
            "mbgnbd": {"times": t_mbg, "params": mbg.params.tolist(), "loglik": mbg.loglik},
            "pareto_nbd": {"times": t_pn, "params": pn.params.tolist(), "loglik": pn.loglik},
        },
    }
    if not PEER_PY.exists():
        res["lifetimes"] = f"not run: {PEER_PY} missing (run benchmarks/setup_peers.sh)"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            pm, ps = Path(tmp) / "master.csv", Path(tmp) / "sample.csv"
            cols = ["frequency", "recency", "T_cal"]
            master[cols].to_csv(pm, index=False)
            sample[cols].to_csv(ps, index=False)
            out = subprocess.run(
                [str(PEER_PY), "-c", PEER_CODE, str(pm), str(ps), str(args.repeat),
                 json.dumps(bg.params.tolist())],
                capture_output=True, text=True, check=True)
        peer = json.loads(out.stdout.strip().splitlines()[-1])
        res["lifetimes_version"] = peer["version"]
        summary = {}
        for key, fit in [("bgnbd", bg), ("mbgnbd", mbg), ("pareto_nbd", pn)]:
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
                    key, p["params"], master if key == "bgnbd" else sample),
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
