"""Synthetic data with known truth: a lifecycle transaction log and a messy retailer export.

:func:`simulate_transactions` generates customers who move through Chen's
lifecycle stages (exit patterns I-IV of seed 000) and returns the truth with
the log; :func:`stage_at` gives each customer's true stage on a date.

:func:`messy_export` writes what a real shop system exports — invoice lines
with quantity and unit price, cancellation invoices, returns on later days,
rows without a customer id (guest checkouts), timestamps with a time of day,
lines that look alike but are different products, and a few true duplicate
rows — built on top of :func:`simulate_transactions` so the
purchases follow a lifecycle. The truth (net money, customers, purchase days)
is returned with it, so a test can check that every count and cent survives
:func:`crmlab.datasets.load_transactions` and
:func:`crmlab.summary.customer_summary`.

Examples
--------
>>> export, truth = messy_export(50, seed=1)
>>> sorted(export.columns)[:3], truth["customers"] > 0
(['Country', 'Customer ID', 'Description'], True)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import ParameterError
from crmlab.finance import DAYS_PER_YEAR
from crmlab.lifecycle import PATTERNS
from crmlab.validation import as_float_array, check_date, check_number, check_probability

__all__ = ["SimulationConfig", "simulate_transactions", "stage_at", "messy_export", "MESSY_COLUMNS"]


# --------------------------------------------------------------------------- lifecycle log
@dataclass(frozen=True)
class SimulationConfig:
    """Parameters of :func:`simulate_transactions` (durations in days).

    Stage durations are Gamma distributed with the given means and shape
    ``duration_shape`` (coefficient of variation ``1/sqrt(shape)``).
    """

    pattern_probs: tuple[float, float, float, float] = (0.30, 0.25, 0.20, 0.25)
    exploration_days: float = 90.0
    formation_days: float = 150.0
    stability_days_III: float = 180.0
    stability_days_IV: float = 900.0
    decline_days: float = 120.0
    duration_shape: float = 6.0
    rate_per_year_mean: float = 12.0
    rate_per_year_shape: float = 3.0
    amount_mean: float = 50.0
    amount_sigma_between: float = 0.5
    amount_sigma_within: float = 0.35
    rate_multiplier: tuple[float, float, float, float] = (0.35, 1.0, 1.0, 0.15)
    amount_multiplier: tuple[float, float, float, float] = (0.75, 1.0, 1.1, 0.85)
    acquisition_share: float = 0.6


def _gamma(rng: np.random.Generator, mean: float, shape: float, size: int) -> np.ndarray:
    return rng.gamma(shape, mean / shape, size)


def simulate_transactions(
    n_customers: int = 1000,
    *,
    seed: int = 0,
    start: str | pd.Timestamp = "2020-01-01",
    end: str | pd.Timestamp = "2023-12-31",
    config: SimulationConfig | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A transaction log whose customers move through the lifecycle, with the truth.

    Generative model (Chen's four stages, exit patterns I-IV of seed 000):

    1. Each customer is acquired on a day uniform in the first
       ``acquisition_share`` of ``[start, end]`` and buys on that day.
    2. An exit pattern is drawn with ``pattern_probs``; it fixes the stage path:
       I early abort = exploration -> terminated; II midway abort =
       exploration -> formation -> decline -> terminated; III early exit = ...
       -> stability (short, mean ``stability_days_III``) -> decline ->
       terminated; IV long-lasting = the same with a long stability (mean
       ``stability_days_IV``). Stage lengths are Gamma distributed.
    3. Purchases after the first follow a Poisson process whose rate is the
       customer's own base rate ``lambda`` (Gamma across customers, mean
       ``rate_per_year_mean`` a year) times a stage profile: ``0.35`` in
       exploration, rising linearly to ``1`` through formation, ``1`` in
       stability, falling linearly from ``1`` to ``0.15`` through decline, and
       0 once terminated (drawn by thinning, so exact).
    4. Each purchase amount is log-normal around the customer's mean spend
       (log-normal across customers, mean about ``amount_mean``) times a stage
       multiplier (exploration 0.75, formation rising to 1, stability 1.1,
       decline 0.85): stable customers accept higher prices (seed 000).
       Amounts are rounded to cents.

    Parameters
    ----------
    n_customers : int
        Number of customers (>= 1).
    seed : int
        Seed of the NumPy random generator; the same seed gives the same data.
    start, end : date-like
        Observation window; purchases after ``end`` are not generated (the
        truth still holds stage dates beyond ``end``, i.e. right-censored).
    config : SimulationConfig, optional
        Every other knob of the model.

    Returns
    -------
    transactions : DataFrame
        crmlab schema (``customer_id`` int, ``date``, ``amount``), sorted by
        customer and date.
    truth : DataFrame
        One row per customer: ``customer_id``, ``pattern`` (I-IV),
        ``acquired``, ``formation_start``, ``stability_start``,
        ``decline_start``, ``terminated`` (NaT where the path skips a stage),
        ``purchase_rate`` (base purchases per year), ``mean_amount`` (base
        spend per purchase) and ``spend_rate`` (their product: spend per year
        at stability level).

    Examples
    --------
    >>> tx, truth = simulate_transactions(50, seed=1)
    >>> sorted(truth["pattern"].unique())
    ['I', 'II', 'III', 'IV']
    >>> bool((tx.groupby("customer_id")["date"].min() == truth.set_index("customer_id")["acquired"]).all())
    True
    """
    n = check_number(n_customers, "n_customers", low=1, integer=True)
    check_number(seed, "seed", low=0, integer=True)
    cfg = config or SimulationConfig()
    if not isinstance(cfg, SimulationConfig):
        raise ParameterError(f"config must be a SimulationConfig, got {type(cfg).__name__}")
    for f in fields(SimulationConfig):  # numbers >= 0 (shapes > 0); thinning multipliers, share <= 1
        as_float_array(getattr(cfg, f.name), f.name, low=0, low_inclusive=not f.name.endswith("shape"),
                       high=1 if f.name in ("rate_multiplier", "acquisition_share") else None)
    probs = as_float_array(cfg.pattern_probs, "pattern_probs", low=0)
    if probs.shape != (4,) or not np.isclose(probs.sum(), 1.0):
        raise ParameterError(f"pattern_probs must be 4 non-negative numbers summing to 1, got {cfg.pattern_probs}")
    t0 = check_date(start, "start")
    t1 = check_date(end, "end")
    if t1 <= t0:
        raise ParameterError(f"end ({t1.date()}) must be after start ({t0.date()})")
    horizon = float((t1 - t0).days)
    rng = np.random.default_rng(seed)

    acq = np.floor(rng.uniform(0, cfg.acquisition_share * horizon, n))
    pattern = rng.choice(4, size=n, p=probs)  # 0..3 = I..IV
    d_exp = np.maximum(_gamma(rng, cfg.exploration_days, cfg.duration_shape, n), 14.0)
    d_form = np.maximum(_gamma(rng, cfg.formation_days, cfg.duration_shape, n), 14.0)
    stab_mean = np.where(pattern == 3, cfg.stability_days_IV, cfg.stability_days_III)
    d_stab = np.maximum(rng.gamma(cfg.duration_shape, stab_mean / cfg.duration_shape), 14.0)
    d_dec = np.maximum(_gamma(rng, cfg.decline_days, cfg.duration_shape, n), 14.0)
    d_form = np.where(pattern >= 1, d_form, 0.0)
    d_stab = np.where(pattern >= 2, d_stab, 0.0)
    d_dec = np.where(pattern >= 1, d_dec, 0.0)
    # boundaries in days since start
    b_form = acq + d_exp
    b_stab = b_form + d_form
    b_dec = b_stab + d_stab
    b_end = b_dec + d_dec
    lam = _gamma(rng, cfg.rate_per_year_mean, cfg.rate_per_year_shape, n) / DAYS_PER_YEAR
    s = cfg.amount_sigma_between
    mean_amt = cfg.amount_mean * np.exp(rng.normal(-0.5 * s * s, s, n))

    # candidate events at the maximal rate lam (profile <= 1), then thinning
    live_end = np.minimum(b_end, horizon + 1)
    span = np.maximum(live_end - acq, 0.0)
    k = rng.poisson(lam * span)
    cust = np.repeat(np.arange(n), k)
    t = acq[cust] + rng.uniform(0, 1, k.sum()) * span[cust]
    rm = cfg.rate_multiplier
    am = cfg.amount_multiplier
    in_exp = t < b_form[cust]
    in_form = (~in_exp) & (t < b_stab[cust])
    in_stab = (~in_exp) & (~in_form) & (t < b_dec[cust])
    in_dec = (~in_exp) & (~in_form) & (~in_stab)
    frac_form = np.clip((t - b_form[cust]) / np.maximum(d_form[cust], 1e-9), 0, 1)
    frac_dec = np.clip((t - b_dec[cust]) / np.maximum(d_dec[cust], 1e-9), 0, 1)
    prof = np.select(
        [in_exp, in_form, in_stab, in_dec],
        [
            np.full_like(t, rm[0]),
            rm[0] + (rm[1] - rm[0]) * frac_form,
            np.full_like(t, rm[2]),
            rm[2] + (rm[3] - rm[2]) * frac_dec,
        ],
    )
    amult = np.select(
        [in_exp, in_form, in_stab, in_dec],
        [
            np.full_like(t, am[0]),
            am[0] + (am[1] - am[0]) * frac_form,
            np.full_like(t, am[2]),
            np.full_like(t, am[3]),
        ],
    )
    accept = rng.uniform(0, 1, len(t)) < prof
    cust, t, amult = cust[accept], np.floor(t[accept]), amult[accept]
    # first purchase on the acquisition day
    cust = np.concatenate([np.arange(n), cust])
    t = np.concatenate([acq, t])
    amult = np.concatenate([np.full(n, am[0]), amult])
    inside = t <= horizon
    cust, t, amult = cust[inside], t[inside], amult[inside]
    w = cfg.amount_sigma_within
    amount = mean_amt[cust] * amult * np.exp(rng.normal(-0.5 * w * w, w, len(t)))
    amount = np.round(np.maximum(amount, 0.01), 2)
    order = np.lexsort((t, cust))
    transactions = pd.DataFrame(
        {
            "customer_id": (cust[order] + 1).astype("int64"),
            "date": (t0 + pd.to_timedelta(t[order], unit="D")).astype("datetime64[ns]"),
            "amount": amount[order],
        }
    )

    def to_date(days: np.ndarray, mask: np.ndarray) -> pd.Series:
        d = pd.Series(t0 + pd.to_timedelta(np.floor(days), unit="D"))
        return d.where(mask).astype("datetime64[ns]")

    names = np.array(PATTERNS)
    truth = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1, dtype="int64"),
            "pattern": names[pattern],
            "acquired": to_date(acq, np.ones(n, bool)),
            "formation_start": to_date(b_form, pattern >= 1),
            "stability_start": to_date(b_stab, pattern >= 2),
            "decline_start": to_date(b_dec, pattern >= 1),
            "terminated": to_date(b_end, np.ones(n, bool)),
            "purchase_rate": lam * DAYS_PER_YEAR,
            "mean_amount": mean_amt,
        }
    )
    # pattern I ends straight from exploration
    truth.loc[pattern == 0, "terminated"] = to_date(b_form, np.ones(n, bool))[pattern == 0]
    truth["spend_rate"] = truth["purchase_rate"] * truth["mean_amount"] * am[2]
    return transactions, truth


def stage_at(truth: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.Series:
    """True lifecycle stage of each simulated customer on ``as_of``.

    Customers acquired after ``as_of`` get ``<NA>`` (not yet customers).

    >>> from crmlab.lifecycle import STAGES
    >>> tx, truth = simulate_transactions(20, seed=3)
    >>> set(stage_at(truth, "2021-06-30").dropna()) <= set(STAGES)
    True
    """
    ref = check_date(as_of, "as_of", normalize=False)
    t = truth.set_index("customer_id")
    stage = pd.Series(pd.NA, index=t.index, dtype="object", name="stage")
    acquired = t["acquired"] <= ref
    stage[acquired] = "exploration"
    for col, name in [
        ("formation_start", "formation"),
        ("stability_start", "stability"),
        ("decline_start", "decline"),
        ("terminated", "terminated"),
    ]:
        stage[acquired & (t[col] <= ref).fillna(False)] = name
    return stage


# --------------------------------------------------------------------------- messy export
#: Column names of :func:`messy_export` (those of a well-known public retail export).
MESSY_COLUMNS: dict[str, str] = {
    "customer": "Customer ID",
    "date": "InvoiceDate",
    "quantity": "Quantity",
    "price": "Price",
    "invoice": "Invoice",
}


def messy_export(
    n_customers: int = 400,
    *,
    seed: int = 0,
    start: str = "2010-12-01",
    end: str = "2011-12-09",
    guest_share: float = 0.25,
    cancel_share: float = 0.04,
    duplicate_share: float = 0.01,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A raw line-item export with the mess of a real shop system, and its truth.

    Parameters
    ----------
    n_customers : int
        Registered customers (guests come on top).
    seed : int
        Random seed.
    start, end : date-like
        Export window (the defaults mirror a public online-retail export).
    guest_share : float
        Share of invoices without a customer id.
    cancel_share : float
        Share of registered customers' lines cancelled later by a "C" invoice
        (negative quantity, a later day, sometimes the same day).
    duplicate_share : float
        Share of lines exported twice (identical in every column).

    Returns
    -------
    export : DataFrame
        Text columns ``Invoice``, ``StockCode``, ``Description``, ``Quantity``,
        ``InvoiceDate`` (``M/D/YYYY H:MM``), ``Price``, ``Customer ID``
        (``17850.0`` style, blank for guests), ``Country``.
    truth : dict
        ``customers`` (registered customers with a purchase day), ``net_amount``
        (money of the registered customers' rows, duplicates included),
        ``guest_rows``, ``duplicate_rows``, ``cancel_rows``, ``last_day``.
    """
    n = check_number(n_customers, "n_customers", low=10, integer=True)
    shares = {"guest_share": guest_share, "cancel_share": cancel_share, "duplicate_share": duplicate_share}
    for name, share in shares.items():
        check_probability(share, name)
    rng = np.random.default_rng(seed)
    tx, _ = simulate_transactions(n, seed=seed, start=start, end=end)
    # each purchase occasion becomes an invoice of 1-5 lines at a time of day
    inv = np.arange(len(tx)) + 536_365
    n_lines = rng.integers(1, 6, len(tx))
    rows = np.repeat(np.arange(len(tx)), n_lines)
    qty = rng.integers(1, 13, len(rows))
    # unit prices in cents, the invoice's lines scaled to about the simulated basket
    weights = rng.uniform(0.2, 1.0, len(rows))
    share = weights / np.bincount(rows, weights)[rows]
    price_cents = np.maximum(np.rint(tx["amount"].to_numpy()[rows] * share * 100 / qty), 1).astype(int)
    minutes = rng.integers(8 * 60, 20 * 60, len(tx))
    when = tx["date"].to_numpy()[rows] + (minutes[rows] * 60_000_000_000).astype("timedelta64[ns]")
    stock = rng.integers(20_000, 23_000, len(rows))
    # look-alike lines: same price and quantity as the previous line, another product
    alike = np.r_[False, (rows[1:] == rows[:-1]) & (rng.uniform(size=len(rows) - 1) < 0.08)]
    price_cents[alike] = price_cents[np.flatnonzero(alike) - 1]
    qty[alike] = qty[np.flatnonzero(alike) - 1]
    cust = tx["customer_id"].to_numpy()[rows] + 12_345
    guest_inv = rng.uniform(size=len(tx)) < guest_share
    guest = guest_inv[rows]
    df = pd.DataFrame(
        {
            "Invoice": inv[rows].astype(str),
            "StockCode": stock.astype(str),
            "Description": np.char.add("ITEM ", stock.astype(str)),
            "Quantity": qty,
            "when": when,
            "price_cents": price_cents,
            "cust": np.where(guest, -1, cust),
            "Country": np.where(rng.uniform(size=len(rows)) < 0.9, "United Kingdom", "France"),
        }
    )
    # cancellations: a "C" invoice with negative quantity, 0-30 days later (within the window)
    reg = np.flatnonzero(~guest)
    pick = reg[rng.uniform(size=len(reg)) < cancel_share]
    canc = df.iloc[pick].copy()
    later = rng.integers(0, 31, len(canc)) * 86_400_000_000_000
    canc["when"] = canc["when"].to_numpy() + later.astype("timedelta64[ns]") + np.timedelta64(3600, "s")
    last = pd.Timestamp(end) + pd.Timedelta(hours=23)
    canc = canc[canc["when"] <= last]
    canc["Invoice"] = "C" + canc["Invoice"]
    canc["Quantity"] = -canc["Quantity"]
    df = pd.concat([df, canc], ignore_index=True)
    # exact duplicate export rows
    dup = df.iloc[np.flatnonzero(rng.uniform(size=len(df)) < duplicate_share)]
    df = pd.concat([df, dup], ignore_index=True).sort_values(["when", "Invoice"], kind="stable")
    money = df["Quantity"].to_numpy() * df["price_cents"].to_numpy()
    registered = df["cust"].to_numpy() >= 0
    # purchase days of registered customers: net > 0 per customer-day
    day = df["when"].dt.normalize()
    net = pd.Series(money[registered]).groupby(
        [df["cust"].to_numpy()[registered], day.to_numpy()[registered]]).sum()
    buyers = net[net > 0].index.get_level_values(0).nunique()
    w = df["when"]
    export = pd.DataFrame(
        {
            "Invoice": df["Invoice"].to_numpy(),
            "StockCode": df["StockCode"].to_numpy(),
            "Description": df["Description"].to_numpy(),
            "Quantity": df["Quantity"].astype(str).to_numpy(),
            "InvoiceDate": (w.dt.month.astype(str) + "/" + w.dt.day.astype(str) + "/" + w.dt.year.astype(str)
                            + " " + w.dt.hour.astype(str) + ":" + w.dt.strftime("%M")).to_numpy(),
            "Price": (df["price_cents"] / 100).map("{:.2f}".format).to_numpy(),
            "Customer ID": np.where(registered, df["cust"].astype(str) + ".0", ""),
            "Country": df["Country"].to_numpy(),
        }
    ).reset_index(drop=True)
    truth = {
        "customers": int(buyers),
        "net_amount": float(money[registered].sum()) / 100,
        "purchase_days": int((net > 0).sum()),
        "guest_rows": int((~registered).sum()),
        "duplicate_rows": int(export.duplicated().sum()),
        "cancel_rows": int(export["Invoice"].str.startswith("C").sum()),
        "last_day": str(pd.Timestamp(w.max()).date()),
    }
    return export, truth
