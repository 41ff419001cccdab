"""Synthetic data with known truth: a messy retailer export for testing the own-data path.

:func:`messy_export` writes what a real shop system exports — invoice lines
with quantity and unit price, cancellation invoices, returns on later days,
rows without a customer id (guest checkouts), timestamps with a time of day,
lines that look alike but are different products, and a few true duplicate
rows — built on top of :func:`crmlab.datasets.simulate_transactions` so the
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

from typing import Any

import numpy as np
import pandas as pd

from crmlab.validation import check_number

__all__ = ["messy_export", "MESSY_COLUMNS"]

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
    from crmlab.datasets import simulate_transactions

    n = check_number(n_customers, "n_customers", low=10, integer=True)
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
