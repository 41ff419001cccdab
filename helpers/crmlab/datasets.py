"""Bundled data, loaders for your own data, and a synthetic lifecycle generator.

Every loader returns one schema, a transaction log with one row per purchase:

========== ============== ===================================================
column     dtype          meaning
========== ============== ===================================================
customer_id int or str    the customer's key (never missing)
date       datetime64[ns] purchase date (no time of day in the bundled data)
amount     float64        money spent on that row, in the data's currency
quantity   float64        units bought (optional; CDNOW: number of CDs)
========== ============== ===================================================

Nothing is dropped silently: when an option removes or changes rows, the count
is recorded in ``df.attrs["crmlab_report"]`` (see :func:`load_report`) and a
:class:`~crmlab.errors.CrmlabWarning` says so.

Examples
--------
>>> from crmlab.datasets import load_cdnow
>>> log = load_cdnow("sample")
>>> len(log), log["customer_id"].nunique()
(6919, 2357)
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab.errors import CrmlabWarning, DataError, ParameterError
from crmlab.validation import check_choice, check_date, check_number, validate_transactions

__all__ = [
    "data_dir",
    "load_cdnow",
    "load_transactions",
    "load_report",
    "load_seed_table",
    "SEED_TABLES",
    "simulate_transactions",
    "stage_at",
    "STAGES",
    "PATTERNS",
    "SimulationConfig",
    "pseudonymize",
    "to_occasions",
    "validate_transactions",
]

#: Lifecycle stages of Chen Mingliang's four-stage model, plus the end state.
STAGES: tuple[str, ...] = ("exploration", "formation", "stability", "decline", "terminated")
#: Exit patterns I-IV (seed 000 ch. 9).
PATTERNS: tuple[str, ...] = ("I", "II", "III", "IV")

#: Seed tables bundled in ``datasets/`` (name -> file).
SEED_TABLES: dict[str, str] = {
    "accumulation": "seed_accumulation.csv",
    "two_buyers": "seed_two_buyers.csv",
    "software_case": "seed_software_case.csv",
    "airline_rfm": "seed_airline_rfm.csv",
    "ahp_weights": "seed_ahp_weights.csv",
}


# --------------------------------------------------------------------------- paths
def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Folder holding the bundled data files.

    Resolution order: the ``path`` argument, the ``CRMLAB_DATA_DIR``
    environment variable, then ``datasets/`` of the source checkout that
    crmlab was installed from (editable install).

    >>> data_dir().name
    'datasets'
    """
    candidates: list[Path] = []
    if path is not None:
        candidates.append(Path(path))
    elif os.environ.get("CRMLAB_DATA_DIR"):
        candidates.append(Path(os.environ["CRMLAB_DATA_DIR"]))
    else:
        candidates.append(Path(__file__).resolve().parents[2] / "datasets")
    for c in candidates:
        if (c / "CDNOW_master.txt").is_file():
            return c
    raise DataError(
        f"bundled data not found in {candidates[0]}: expected CDNOW_master.txt there. "
        "Install crmlab from the repository checkout (pip install -e .) or set "
        "CRMLAB_DATA_DIR to the repository's datasets/ folder."
    )


# --------------------------------------------------------------------------- CDNOW
def load_cdnow(
    kind: Literal["master", "sample"] = "master", *, path: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Load the CDNOW transaction log (Fader & Hardie), every raw row kept.

    The master file holds all 69,659 purchases to 30 June 1998 of the 23,570
    customers who first bought at CDNOW in the first quarter of 1997; the
    sample is the 1/10 subset of 2,357 customers (6,919 rows) used by Fader,
    Hardie & Lee (2005). Rows that repeat an earlier row's customer and date
    (2,068 in the master, 255 exact duplicates) and 80 zero-dollar rows are
    real records and are kept; merge same-day rows yourself where a method
    needs purchase occasions (the chapter functions say how they do it).

    Parameters
    ----------
    kind : {"master", "sample"}
        Which file.
    path : path-like, optional
        Folder holding the files (default: :func:`data_dir`).

    Returns
    -------
    DataFrame
        ``customer_id`` (int, CDNOW's master id), ``date``, ``amount`` (US$),
        ``quantity`` (CDs); the sample also has ``sample_id`` (1..2357, the id
        used in the published summaries).

    Examples
    --------
    >>> log = load_cdnow("master")
    >>> len(log), log["customer_id"].nunique()
    (69659, 23570)
    """
    check_choice(kind, "kind", ["master", "sample"])
    folder = data_dir(path)
    if kind == "master":
        names = ["customer_id", "date", "quantity", "amount"]
        fname = "CDNOW_master.txt"
    else:
        names = ["customer_id", "sample_id", "date", "quantity", "amount"]
        fname = "CDNOW_sample.txt"
    raw = pd.read_csv(
        folder / fname,
        sep=r"\s+",
        header=None,
        names=names,
        dtype={"date": str},
        comment=None,
    )
    if kind == "master":  # the master file has a header line
        raw = raw.iloc[1:].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("int64"),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["amount"].astype("float64"),
            "quantity": raw["quantity"].astype("float64"),
        }
    )
    if kind == "sample":
        out["sample_id"] = raw["sample_id"].astype("int64")
    out["date"] = out["date"].astype("datetime64[ns]")
    return out


# --------------------------------------------------------------------------- own CSV
_CURRENCY_RE = re.compile(r"(?i)^\s*(?:[$€£¥￥₩₹]|rmb|cny|usd|eur|gbp|us\$)\s*|\s*(?:[$€£¥￥元]|rmb|cny|usd|eur|gbp)\s*$")


def load_report(df: pd.DataFrame) -> dict[str, Any]:
    """What a loader did to the rows: counts read, returned, kept, dropped, cleaned.

    >>> import pandas as pd
    >>> load_report(pd.DataFrame())
    {}
    """
    return dict(df.attrs.get("crmlab_report", {}))


def _line(pos: int) -> str:
    return f"row {pos + 1} (line {pos + 2} of the file)"


def _sniff_sep(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


_CN_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")


def _normalise_numbers(text: pd.Series) -> pd.Series:
    """Full-width digits/punctuation to ASCII (NFKC) and the Unicode minus to '-'."""
    import unicodedata

    if not text.map(str.isascii).all():
        text = text.map(lambda v: unicodedata.normalize("NFKC", v)).str.replace("\u2212", "-", regex=False)
    return text


def _normalise_dates(text: pd.Series) -> pd.Series:
    """Chinese dates ``2024年1月5日`` to ISO; full-width digits to ASCII."""
    text = _normalise_numbers(text)
    if text.str.contains("年", regex=False).any():
        text = text.str.replace(
            _CN_DATE, lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", regex=True
        ).str.strip()
    return text


def _infer_date_format(dtext: pd.Series, dayfirst: bool | None, name: str, column: str, where) -> str:
    """Infer one strftime format for the whole column (never a per-row guess)."""
    from pandas.tseries.api import guess_datetime_format

    first = dtext.iloc[0]
    month_first = guess_datetime_format(first, dayfirst=False)
    with warnings.catch_warnings():  # pandas warns when a year-first date meets dayfirst=True
        warnings.simplefilter("ignore", UserWarning)
        day_first = guess_datetime_format(first, dayfirst=True)
    if dayfirst is True:
        candidates = [day_first]
    elif dayfirst is False or (month_first or "").startswith("%Y"):
        candidates = [month_first]  # year-first dates are never read day-first
    else:
        candidates = [month_first, day_first]
    candidates = list(dict.fromkeys(c for c in candidates if c))
    if not candidates:
        hint = "pass date_format='%d/%m/%Y' (or similar)"
        if re.fullmatch(r"\d{5}(\.\d+)?", first):
            hint = "it looks like an Excel serial day number: pass date_format='excel'"
        raise DataError(
            f"{name}: column {column!r}, {where(0)}: {first!r} is not a date format crmlab "
            f"recognises; {hint}"
        )
    parsed = {c: pd.to_datetime(dtext, format=c, errors="coerce") for c in candidates}
    fits = [c for c in candidates if parsed[c].notna().all()]
    if len(fits) > 1 and not parsed[fits[0]].equals(parsed[fits[1]]):
        raise DataError(
            f"{name}: column {column!r}: dates such as {first!r} can be read day first "
            f"({fits[1]!r}) or month first ({fits[0]!r}) and every row fits both; "
            "pass dayfirst=True or dayfirst=False (or date_format=)"
        )
    return fits[0] if fits else candidates[0]


def _raise_ragged(text: str, sep: str, name: str) -> None:
    """Name the first data row whose field count differs from the header's."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(reader)
    for i, row in enumerate(reader):
        if row and len(row) > len(header):
            raise DataError(
                f"{name}: {_line(i)} has {len(row)} fields but the header has {len(header)} "
                f"({row!r}); a stray delimiter inside a value? quote the value or pass sep="
            )
    raise DataError(f"{name}: some rows have more fields than the header ({len(header)})")


def load_transactions(
    path: str | os.PathLike[str] | io.IOBase,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    quantity: str | None = None,
    sep: str | None = None,
    encoding: str = "utf-8-sig",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    decimal: str = ".",
    thousands: str | None = None,
    currency_symbols: bool = False,
    duplicates: Literal["keep", "drop", "error"] = "keep",
    nonpositive: Literal["error", "keep", "drop"] = "error",
    future: Literal["error", "keep", "drop"] = "error",
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Load your own transaction CSV into the crmlab schema, checking every row.

    Parameters
    ----------
    path : path or file-like
        The CSV file (any delimiter; see ``sep``).
    customer, date, amount, quantity : str
        Names of those columns in *your* file; they are renamed to the schema
        (``customer_id``, ``date``, ``amount``, ``quantity``). Other columns are
        not returned.
    sep : str, optional
        Field delimiter; sniffed from the first lines among ``, ; TAB |`` if omitted.
    encoding : str
        Text encoding (default UTF-8 with or without BOM; Chinese Excel exports
        are often ``"gbk"``).
    date_format : str, optional
        strftime format such as ``"%d/%m/%Y"``. If omitted, the format is
        inferred from the first date and *every* row must match it, so a column
        that mixes formats is reported, not half-guessed.
    dayfirst : bool, optional
        How to read dates such as ``01/05/2024`` when ``date_format`` is not
        given: ``True`` reads it as 1 May (day first), ``False`` as 5 January.
        Left at ``None``, the format is inferred from the whole column and an
        error asks you to choose if both readings fit every row and differ.
        Chinese dates (``2024年1月5日``) and Excel serial day numbers
        (``date_format="excel"``) are understood too.
    decimal, thousands : str
        Decimal mark and thousands separator of the amount column
        (e.g. ``decimal=",", thousands="."`` for "1.234,50"). Full-width digits
        and the Unicode minus sign are normalised; an accounting negative
        ``(12.50)`` is read as -12.50 (counted in the report).
    currency_symbols : bool
        Strip a currency sign or code (``$ ¥ € £ 元 CNY USD RMB`` …) around amounts;
        the number of rows touched is reported.
    duplicates : {"keep", "drop", "error"}
        Rows identical to an earlier row in every loaded column. They can be
        real (two identical purchases), so the default keeps them and reports
        the count; ``"drop"`` removes them (counted), ``"error"`` raises.
    nonpositive : {"error", "keep", "drop"}
        Zero or negative amounts (returns, refunds, free items).
    future : {"error", "keep", "drop"}
        Dates after ``as_of`` (default: today).
    as_of : date-like, optional
        The reference date for ``future``.

    Returns
    -------
    DataFrame
        The crmlab schema; ``df.attrs["crmlab_report"]`` holds the counts.

    Raises
    ------
    DataError
        Missing file, empty or header-only file, undecodable text, a missing
        column (with a did-you-mean hint and a wrong-delimiter hint), a missing
        customer id, an unparseable or missing date, a non-numeric amount, a
        NaN or infinite amount, or a row refused by ``duplicates``,
        ``nonpositive`` or ``future``. The message names the column, the first
        offending row (1-based data row and file line) and its value.

    Examples
    --------
    >>> import io
    >>> csv_text = "cust,day,spend\\na,2024-01-02,10\\na,2024-02-01,12.5\\n"
    >>> log = load_transactions(io.StringIO(csv_text), customer="cust", date="day",
    ...                         amount="spend", as_of="2025-01-01")
    >>> log["amount"].sum(), load_report(log)["rows_returned"]
    (np.float64(22.5), 2)
    """
    check_choice(duplicates, "duplicates", ["keep", "drop", "error"])
    check_choice(nonpositive, "nonpositive", ["error", "keep", "drop"])
    check_choice(future, "future", ["error", "keep", "drop"])
    # ---- read text
    if isinstance(path, (str, os.PathLike)):
        p = Path(path)
        if not p.is_file():
            raise DataError(f"file not found: {p}")
        data = p.read_bytes()
        name = str(p)
    else:
        content = path.read()
        data = content.encode("utf-8") if isinstance(content, str) else content
        name = "input"
        encoding = "utf-8-sig" if isinstance(content, str) else encoding
    if not data.strip():
        raise DataError(f"{name} is empty: expected a header line and transaction rows")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{name} is not valid {encoding} text: byte {data[exc.start:exc.start + 1]!r} "
            f"at line {line}; pass encoding='gbk' (Chinese Excel), 'latin-1' or the file's "
            "actual encoding"
        ) from None
    if sep is None:
        sep = _sniff_sep(text)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            raw = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                skipinitialspace=True,
                index_col=False,
            )
    except pd.errors.ParserError as exc:
        try:
            _raise_ragged(text, sep, name)
        except DataError as err:
            raise err from None
        raise DataError(f"{name} could not be parsed as CSV with sep={sep!r}: {exc}") from None
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        _raise_ragged(text, sep, name)
    raw.columns = [str(c).strip() for c in raw.columns]
    blank = (raw == "").all(axis=1) if len(raw.columns) else pd.Series(dtype=bool)
    n_blank = int(blank.sum())
    # ---- columns
    wanted = {customer: "customer_id", date: "date", amount: "amount"}
    if quantity is not None:
        wanted[quantity] = "quantity"
    missing = [c for c in wanted if c not in raw.columns]
    if missing:
        import difflib

        hints = []
        for c in missing:
            close = difflib.get_close_matches(c, list(raw.columns), n=1, cutoff=0.6)
            hints.append(f"{c!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        msg = f"{name} is missing column(s) {', '.join(hints)}; its header has {list(raw.columns)}"
        if len(raw.columns) == 1 and any(s in raw.columns[0] for s in ",;\t|"):
            msg += f". The header was read as one column: is the delimiter not {sep!r}? pass sep=..."
        else:
            msg += ". Name your columns with customer=, date=, amount="
        raise DataError(msg)
    if len(raw) - n_blank == 0:
        raise DataError(f"{name} has a header but no data rows")
    rows = raw[~blank.to_numpy()] if n_blank else raw
    positions = np.flatnonzero(~blank.to_numpy())  # original data-row positions

    def where(i: int) -> str:
        return _line(int(positions[i]))

    # ---- customer id
    cust = rows[customer].str.strip()
    bad = np.flatnonzero((cust == "").to_numpy())
    if len(bad):
        raise DataError(f"{name}: column {customer!r}, {where(bad[0])}: customer id is missing")
    # ---- dates
    dtext = rows[date].str.strip()
    bad = np.flatnonzero((dtext == "").to_numpy())
    if len(bad):
        raise DataError(f"{name}: column {date!r}, {where(bad[0])}: date is missing")
    dtext = _normalise_dates(dtext)
    fmt = date_format
    if fmt == "excel":
        serial = pd.to_numeric(dtext, errors="coerce")
        parsed = pd.to_datetime(serial, unit="D", origin="1899-12-30").dt.normalize()
    else:
        if fmt is None:
            fmt = _infer_date_format(dtext, dayfirst, name, date, where)
        parsed = pd.to_datetime(dtext, format=fmt, errors="coerce")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if len(bad):
        how = "inferred from row 1" if date_format is None else "given as date_format"
        raise DataError(
            f"{name}: column {date!r}, {where(bad[0])}: {dtext.iloc[bad[0]]!r} does not match "
            f"the date format {fmt!r} ({how}); the column may mix date formats — "
            "make them uniform or pass date_format="
        )
    # ---- amounts
    atext = _normalise_numbers(rows[amount].str.strip())
    n_currency = 0
    if currency_symbols:
        stripped = atext.str.replace(_CURRENCY_RE, "", regex=True)
        n_currency = int((stripped != atext).sum())
        atext = stripped
    n_thousands = 0
    if thousands:
        stripped = atext.str.replace(thousands, "", regex=False)
        n_thousands = int((stripped != atext).sum())
        atext = stripped
    if decimal != ".":
        atext = atext.str.replace(decimal, ".", regex=False)
    paren = atext.str.fullmatch(r"\(\s*[-+]?[\d.]+\s*\)")
    n_paren = int(paren.sum())
    if n_paren:
        atext = atext.where(~paren, "-" + atext.str.strip("() "))
    values = pd.to_numeric(atext, errors="coerce")
    bad = np.flatnonzero((values.isna() | ~np.isfinite(values)).to_numpy())
    if len(bad):
        v = rows[amount].iloc[bad[0]]
        hint = ""
        low = v.lower().lstrip("+-")
        if low in {"", "nan", "na", "n/a", "null", "none"}:
            hint = "; the amount is missing"
        elif low in {"inf", "infinity"}:
            hint = "; expected a finite number"
        elif re.search(r"[$€£¥￥元]|(?i:rmb|cny|usd|eur|gbp)", v):
            hint = "; it carries a currency sign — pass currency_symbols=True"
        elif re.search(r"\d[,.\s]\d{3}", v):
            hint = "; it looks like it has a thousands separator — pass thousands=','"
        elif re.fullmatch(r"\s*-?\d+,\d{1,2}\s*", v):
            hint = "; it looks like a decimal comma — pass decimal=','"
        raise DataError(
            f"{name}: column {amount!r}, {where(bad[0])}: {v!r} is not a number{hint}"
        )
    out = pd.DataFrame(
        {
            "customer_id": cust.to_numpy(),
            "date": parsed.to_numpy().astype("datetime64[ns]"),
            "amount": values.to_numpy(dtype="float64"),
        }
    )
    if quantity is not None:
        q = pd.to_numeric(rows[quantity].str.strip(), errors="coerce")
        bad = np.flatnonzero(q.isna().to_numpy())
        if len(bad):
            raise DataError(
                f"{name}: column {quantity!r}, {where(bad[0])}: "
                f"{rows[quantity].iloc[bad[0]]!r} is not a number"
            )
        out["quantity"] = q.to_numpy(dtype="float64")
    keep = np.ones(len(out), dtype=bool)
    report: dict[str, Any] = {
        "source": name,
        "rows_read": int(len(raw)),
        "blank_lines_skipped": n_blank,
        "amounts_currency_stripped": n_currency,
        "amounts_thousands_removed": n_thousands,
        "amounts_parenthesised_negative": n_paren,
    }
    notes: list[str] = []
    # ---- non-positive amounts
    nonpos = (out["amount"] <= 0).to_numpy()
    report["nonpositive_amounts"] = int(nonpos.sum())
    if nonpos.any():
        i = int(np.argmax(nonpos))
        if nonpositive == "error":
            raise DataError(
                f"{name}: column {amount!r}, {where(i)}: {out['amount'].iloc[i]} is not positive "
                f"({int(nonpos.sum())} such rows: returns, refunds or free items?); pass "
                "nonpositive='keep' to keep them or 'drop' to remove them (counted)"
            )
        if nonpositive == "drop":
            keep &= ~nonpos
            notes.append(f"dropped {int(nonpos.sum())} rows with zero or negative amount")
    # ---- future dates
    ref = check_date(as_of, "as_of") if as_of is not None else pd.Timestamp.today().normalize()
    fut = (out["date"] > ref).to_numpy()
    report["future_dates"] = int(fut.sum())
    if fut.any():
        i = int(np.argmax(fut))
        if future == "error":
            raise DataError(
                f"{name}: column {date!r}, {where(i)}: {out['date'].iloc[i].date()} is after "
                f"{ref.date()} ({int(fut.sum())} such rows); check the date format or pass "
                "future='keep'/'drop', or as_of="
            )
        if future == "drop":
            keep &= ~fut
            notes.append(f"dropped {int(fut.sum())} rows dated after {ref.date()}")
    # ---- duplicates
    dup = out.duplicated(keep="first").to_numpy()
    report["duplicate_rows"] = int(dup.sum())
    if dup.any():
        i = int(np.argmax(dup))
        if duplicates == "error":
            raise DataError(
                f"{name}: {where(i)} repeats an earlier row exactly "
                f"({int(dup.sum())} such rows); pass duplicates='keep' or 'drop'"
            )
        if duplicates == "drop":
            keep &= ~dup
            notes.append(f"dropped {int(dup.sum())} exact duplicate rows")
        else:
            notes.append(
                f"kept {int(dup.sum())} rows that exactly repeat an earlier row "
                "(pass duplicates='drop' to remove them)"
            )
    out = out[keep].reset_index(drop=True)
    report["rows_dropped"] = int((~keep).sum())
    report["rows_returned"] = int(len(out))
    if n_blank:
        notes.append(f"skipped {n_blank} blank lines")
    if n_currency or n_thousands:
        notes.append(
            f"cleaned amounts: {n_currency} currency signs, {n_thousands} thousands separators"
        )
    if n_paren:
        notes.append(f"read {n_paren} accounting negatives such as '(12.50)' as negative amounts")
    out.attrs["crmlab_report"] = report
    if notes:
        warnings.warn(f"load_transactions({name}): " + "; ".join(notes), CrmlabWarning, stacklevel=2)
    return out


# --------------------------------------------------------------------------- occasions
def to_occasions(transactions: pd.DataFrame, *, freq: str = "D") -> pd.DataFrame:
    """Merge rows of one customer in the same period into one purchase occasion.

    CDNOW, like most logs, has several rows for one visit (2,068 master rows
    repeat an earlier row's customer and date). Frequency-type measures
    (RFM frequency, BTYD repeat transactions, purchase rhythm) count
    *occasions*, so every crmlab function that counts purchases goes through
    this one definition: rows with the same ``customer_id`` and the same
    calendar period (``freq="D"``: day) form one occasion whose amount is the
    sum of the rows. No row is lost: ``n_rows`` says how many were merged.

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema (validated here).
    freq : str
        Pandas period alias for what counts as one occasion: ``"D"`` (day,
        default), ``"W"`` or ``"M"``.

    Returns
    -------
    DataFrame
        ``customer_id``, ``date`` (start of the period), ``amount`` (sum),
        ``n_rows``; sorted by customer and date.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [5.0, 7.0, 1.0],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-03"])})
    >>> to_occasions(log)[["customer_id", "amount", "n_rows"]].to_dict("records")
    [{'customer_id': 1, 'amount': 12.0, 'n_rows': 2}, {'customer_id': 2, 'amount': 1.0, 'n_rows': 1}]
    """
    check_choice(freq, "freq", ["D", "W", "M"])
    tx = validate_transactions(transactions)
    if freq == "D":
        period = tx["date"].dt.normalize()
    else:
        period = tx["date"].dt.to_period(freq).dt.start_time
    out = (
        tx.assign(date=period)
        .groupby(["customer_id", "date"], sort=True)["amount"]
        .agg(["sum", "size"])
        .reset_index()
        .rename(columns={"sum": "amount", "size": "n_rows"})
    )
    out["date"] = out["date"].astype("datetime64[ns]")
    out["n_rows"] = out["n_rows"].astype("int64")
    return out


# --------------------------------------------------------------------------- seeds
def load_seed_table(name: str, *, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """A worked-example table transcribed from the seed documents.

    Names: ``accumulation``, ``two_buyers``, ``software_case``, ``airline_rfm``,
    ``ahp_weights`` (see ``datasets/README.md`` for sources and schemas).

    >>> load_seed_table("accumulation")["a_customers"].tolist()
    [100, 99, 98, 90, 75, 50]
    """
    check_choice(name, "name", list(SEED_TABLES))
    return pd.read_csv(data_dir(path) / SEED_TABLES[name], comment="#")


# --------------------------------------------------------------------------- synthetic
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
    probs = np.asarray(cfg.pattern_probs, dtype=float)
    if probs.shape != (4,) or (probs < 0).any() or not np.isclose(probs.sum(), 1.0):
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
    lam = _gamma(rng, cfg.rate_per_year_mean, cfg.rate_per_year_shape, n) / 365.25
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
            "purchase_rate": lam * 365.25,
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


# --------------------------------------------------------------------------- privacy
def pseudonymize(
    df: pd.DataFrame,
    key: str | bytes,
    *,
    column: str = "customer_id",
    drop: Sequence[str] = (),
    length: int = 16,
) -> pd.DataFrame:
    """Replace customer ids with a keyed hash (HMAC-SHA256) and drop identifiers.

    The same key maps the same id to the same pseudonym, so tables made from
    one log still join (ids are compared as text, so ``2``, ``2.0`` and ``"2"``
    are one customer); without the key the mapping cannot be recomputed. The
    key is not stored in the result: keep it out of notebooks you share
    (read it from an environment variable or a file outside the repository).

    Parameters
    ----------
    df : DataFrame
        Data holding ``column``.
    key : str or bytes
        Secret key, at least 16 characters.
    column : str
        The identifier column to pseudonymise.
    drop : sequence of str
        Direct identifiers to remove (name, phone, e-mail, address …).
    length : int
        Hex characters kept of the digest (8-64).

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": [1, 2, 1], "email": ["a@x", "b@x", "a@x"]})
    >>> out = pseudonymize(df, "a-long-secret-key!", drop=["email"])
    >>> list(out.columns), out["customer_id"].nunique()
    (['customer_id'], 2)
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"pseudonymize needs a DataFrame, got {type(df).__name__}")
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or len(key) < 16:
        raise ParameterError("key must be a secret string of at least 16 characters")
    check_number(length, "length", low=8, high=64, integer=True)
    if column in drop:
        raise ParameterError(
            f"pseudonymize: {column!r} is the id column being pseudonymised; do not list it in drop="
        )
    missing = [c for c in [column, *drop] if c not in df.columns]
    if missing:
        raise DataError(f"pseudonymize: column(s) {missing} not found; the data has {list(df.columns)}")
    out = df.drop(columns=list(drop)).copy()
    ids = out[column]
    if ids.isna().any():
        pos = int(np.argmax(ids.isna().to_numpy()))
        raise DataError(f"pseudonymize: column {column!r}, row {pos}: id is missing")
    # the same customer must get the same pseudonym whether stored as 2, 2.0 or "2"
    if pd.api.types.is_float_dtype(ids) and np.all(np.mod(ids.to_numpy(), 1) == 0):
        ids = ids.astype("int64")
    text = ids.astype(str).str.strip()
    uniq, inv = np.unique(text.to_numpy(), return_inverse=True)
    hashed = np.array(
        [hmac.new(key, u.encode("utf-8"), hashlib.sha256).hexdigest()[:length] for u in uniq],
        dtype=object,
    )
    out[column] = hashed[inv]
    return out
