"""Bundled data and loaders for your own data (the synthetic generators are in :mod:`crmlab.simulate`).

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
import io
import os
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab.errors import DataError, ParameterError, warn
from crmlab.summary import to_occasions  # re-exported: the one definition lives in crmlab.summary
from crmlab.validation import (
    DATE_MAX,
    DATE_MIN,
    ID_STRIP_CHARS,
    MISSING_TEXT,
    _date_range_error,
    _distinct_ids,
    check_choice,
    check_date,
    check_money_total,
    customer_id_problem,
    excerpt,
    first_out_of_range,
    id_text,
    missing_columns_message,
    number_hint,
    validate_transactions,
)

__all__ = [
    "data_dir",
    "load_cdnow",
    "load_transactions",
    "load_log",
    "is_cdnow",
    "load_report",
    "load_seed_table",
    "SEED_TABLES",
    "to_occasions",
    "validate_transactions",
]

#: Seed tables bundled in ``datasets/`` (name -> file).
SEED_TABLES: dict[str, str] = {
    "accumulation": "seed_accumulation.csv",
    "two_buyers": "seed_two_buyers.csv",
    "software_case": "seed_software_case.csv",
    "airline_rfm": "seed_airline_rfm.csv",
    "ahp_weights": "seed_ahp_weights.csv",
    "random_index": "seed_random_index.csv",
    # lecture tables (where lecturers edit them, not Python)
    "stage_models": "seed_stage_models.csv",
    "strategy_by_stage": "seed_strategy_by_stage.csv",
    "value_components": "seed_value_components.csv",
    "value_properties": "seed_value_properties.csv",
    "value_drivers": "seed_value_drivers.csv",
    "value_directions": "seed_value_directions.csv",
    "retention_levels": "seed_retention_levels.csv",
    "privacy_laws": "seed_privacy_laws.csv",
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
    if path is not None:
        folder = Path(path)
    elif os.environ.get("CRMLAB_DATA_DIR"):
        folder = Path(os.environ["CRMLAB_DATA_DIR"])
    else:
        folder = Path(__file__).resolve().parents[2] / "datasets"
    if (folder / "CDNOW_master.txt").is_file():
        return folder
    raise DataError(
        f"bundled data not found in {folder}: expected CDNOW_master.txt there. "
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


# --------------------------------------------------------------------------- own data
_CURRENCY_RE = re.compile(r"(?i)^\s*(?:[$€£¥￥₩₹]|rmb|cny|usd|eur|gbp|us\$)\s*|\s*(?:[$€£¥￥元]|rmb|cny|usd|eur|gbp)\s*$")
#: a time of day followed by a UTC offset or Z (2024-01-05T23:30:00+08:00, ...T15:30Z)
_TZ_TIME = r":\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[+-]\d{2}(?::?\d{2})?|Z)$"
_TZ_SUFFIX = r"\s*(?:[+-]\d{2}(?::?\d{2})?|Z)$"


def load_report(df: pd.DataFrame) -> dict[str, Any]:
    """What a loader did to the rows: counts read, returned, kept, dropped, cleaned.

    >>> import pandas as pd
    >>> load_report(pd.DataFrame())
    {}
    """
    return dict(df.attrs.get("crmlab_report", {}))


def _line(pos: int) -> str:
    return f"row {pos + 1} (line {pos + 2} of the file)"


#: leading bytes of files that are not CSV text, and what to do instead
_MAGIC = [
    (b"\x1f\x8b", "a gzip-compressed file; decompress it first (gunzip) and pass the .csv"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?); export the sheet as CSV"),
    (b"\x89PNG", "a PNG image, not a CSV transaction log"),
    (b"%PDF", "a PDF document, not a CSV transaction log"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook; export the sheet as CSV"),
    (b"\xff\xfe", "UTF-16 text; pass encoding='utf-16'"),
    (b"\xfe\xff", "UTF-16 text; pass encoding='utf-16'"),
]


def _sniff_sep(text: str) -> str:
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


_CN_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")


def _as_text(col: pd.Series) -> pd.Series:
    """Cells as Python text; a missing cell (None, NaN, NaT, pd.NA) becomes "" (never the float NaN)."""
    return col.map(lambda v: "" if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)
                   else str(v)).astype(object)


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


def _infer_date_format(dtext: pd.Series, dayfirst: bool | None, name: str, column: str,
                       where) -> tuple[str, pd.Series]:
    """Infer one strftime format for the whole column (never a per-row guess); also the parse."""
    from pandas.tseries.api import guess_datetime_format

    first = dtext.iloc[0]
    with warnings.catch_warnings():  # pandas warns on a guess against its dayfirst: both are tried here
        warnings.simplefilter("ignore", UserWarning)
        month_first = guess_datetime_format(first, dayfirst=False)
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
            f"{name}: column {column!r}, {where(0)}: {excerpt(first)} is not a date format "
            f"crmlab recognises; {hint}"
        )
    parsed = {c: pd.to_datetime(dtext, format=c, errors="coerce") for c in candidates}
    fits = [c for c in candidates if parsed[c].notna().all()]
    if len(fits) > 1 and not parsed[fits[0]].equals(parsed[fits[1]]):
        raise DataError(
            f"{name}: column {column!r}: dates such as {excerpt(first)} can be read day first "
            f"({fits[1]!r}) or month first ({fits[0]!r}) and every row fits both; "
            "pass dayfirst=True or dayfirst=False (or date_format=)"
        )
    return fits[0] if fits else candidates[0], (parsed[fits[0]] if fits else parsed[candidates[0]])


def _raise_ragged(text: str, sep: str, name: str) -> None:
    """Name the first data row whose field count differs from the header's."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(reader)
    for i, row in enumerate(reader):
        if row and len(row) > len(header):
            raise DataError(
                f"{name}: {_line(i)} has {len(row)} fields but the header has {len(header)} "
                f"(first field {excerpt(row[0])}); a stray delimiter inside a value? quote the "
                "value or pass sep="
            )
    raise DataError(f"{name}: some rows have more fields than the header ({len(header)})")


# ---- reading ----------------------------------------------------------------------
def _source_path(source: str | os.PathLike[str], *, folders: bool = False) -> Path:
    """The path of a file to read (or of a folder, with ``folders``), checked (loader and engines)."""
    if not str(source).strip():
        raise ParameterError("the file path is empty; pass the path of a CSV file")
    p = Path(source)
    if not p.is_file() and not (folders and p.is_dir()):
        if p.exists() and not p.is_dir():
            raise DataError(f"{excerpt(str(p), 60)} is not a regular file (a device or a pipe?); "
                            "pass the path of a CSV file")
        raise DataError(f"file not found: {p}" + (" (it is a folder)" if p.is_dir() else ""))
    return p


def _read_source(
    source: Any, sep: str | None, encoding: str, wanted: list[str]
) -> tuple[pd.DataFrame, str, bool, str | None]:
    """The raw table (text cells for files), its name, whether it is text, the delimiter."""
    if isinstance(source, pd.DataFrame):
        if isinstance(source.columns, pd.MultiIndex):
            raise DataError("the DataFrame has two-level (MultiIndex) column names; flatten them first "
                            "(df.columns = ['_'.join(map(str, c)) for c in df.columns])")
        labels = pd.Index([str(c).strip() for c in source.columns])
        if labels.has_duplicates:
            raise DataError(
                f"the DataFrame has two columns named {excerpt(labels[labels.duplicated()][0])} (spaces "
                "around a name ignored, as in a CSV header); rename one so it is clear which one holds the data"
            )
        return source.copy(), "DataFrame", False, None
    if isinstance(source, (str, os.PathLike)):
        p = _source_path(source)
        data = p.read_bytes()
        name = str(p)
    elif hasattr(source, "read"):
        content = source.read()
        if isinstance(content, str):
            data, encoding = content.encode("utf-8"), "utf-8-sig"
        elif isinstance(content, bytes):
            data = content
        else:
            raise ParameterError(f"the file object's read() returned {type(content).__name__}, not text")
        name = "input"
    else:
        raise ParameterError(
            "load_transactions needs a file path, a file object or a DataFrame, got "
            f"{type(source).__name__}"
        )
    if not isinstance(encoding, str):
        raise ParameterError(f"encoding must be a text encoding name such as 'utf-8', got {encoding!r}")
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ParameterError(
            f"encoding {encoding!r} is not a known text encoding; try 'utf-8', 'gbk' or 'latin-1'"
        ) from None
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1 or sep in "\r\n\"'"):
        raise ParameterError(
            f"sep must be one delimiter character such as ',', ';', '\\t' or '|', got {sep!r}"
        )
    if not data.strip():
        raise DataError(f"{name} is empty: expected a header line and transaction rows")
    for magic, what in _MAGIC:
        if data.startswith(magic) and not (magic[:1] in b"\xff\xfe" and encoding.lower().startswith("utf-16")):
            raise DataError(f"{name} is {what}")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{name} is not valid {encoding} text: byte {data[exc.start:exc.start + 1]!r} "
            f"at line {line}; pass encoding='gbk' (Chinese Excel), 'latin-1' or the file's "
            "actual encoding"
        ) from None
    if "\x00" in text[:4096]:
        raise DataError(f"{name} looks like a binary file, not a CSV text export")
    if sep is None:
        sep = _sniff_sep(text)
    header = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    names = [h.strip() for h in header]
    if not set(wanted) & set(names):  # nothing of a transaction log (a system file?): quote none of it
        _check_columns(name, wanted, names, sep=sep)
    dups = sorted({h for h in names if names.count(h) > 1 and h})
    if dups:
        raise DataError(
            f"{name}: the header names column {dups[0]!r} more than once; rename the copies so "
            "it is clear which one holds the data"
        )
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
    except pd.errors.ParserError:
        try:
            _raise_ragged(text, sep, name)
        except DataError as err:
            raise err from None
        raise DataError(f"{name} could not be parsed as CSV with sep={sep!r}") from None
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        _raise_ragged(text, sep, name)
    raw.columns = [str(c).strip() for c in raw.columns]
    return raw, name, True, sep


#: the loader's parameters that name the columns (the SQL engines have the first three)
_COLUMN_OPTIONS = "customer=, date=, amount= (or quantity= and price=)"


def _check_columns(
    name: str, wanted: Iterable[str], columns: Sequence[Any], *, sep: str | None,
    options: str = _COLUMN_OPTIONS, sep_option: bool = True,
) -> None:
    """The loader's and the SQL engines' one check that a source has the columns asked for.

    ``sep`` is the delimiter a text file was read with (None for a DataFrame or a
    Parquet file): a file with none of the columns is not quoted at all (it may
    not be a transaction log), and a header read as one column points at the
    delimiter. ``options`` names the caller's column parameters and
    ``sep_option`` whether it takes ``sep=``.

    >>> _check_columns("log.csv", ["date", "amount"], ["date", "amount"], sep=",")
    >>> _check_columns("log.csv", ["date", "amount"], ["date", "amout"], sep=",")
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: log.csv is missing column(s) 'amount' (did you mean 'amout'?); its header has ["'date'", "'amout'"]. Name your columns with customer=, date=, amount= (or quantity= and price=)
    """
    wanted = list(wanted)
    missing = [c for c in wanted if c not in list(columns)]
    if not missing:
        return
    cols = [str(c) for c in columns]
    if sep is not None and not any(c.strip() in wanted for c in cols):
        # nothing of a transaction log (a system file?): name what is missing, quote none of it
        raise DataError(
            f"{name} does not look like a CSV transaction log: no column named "
            f"{', '.join(repr(c) for c in wanted)} (its first line has {len(cols)} field(s) "
            f"separated by {sep!r}; its content is not shown); pass the columns' names with {options}"
            + (f", or sep= if the delimiter is not {sep!r}" if sep_option else "")
        )
    msg = missing_columns_message(name, missing, cols)
    if sep is not None and len(cols) == 1 and any(s in cols[0] for s in ",;\t|"):
        msg += f". The header was read as one column: is the delimiter not {sep!r}?"
        msg += " pass sep=..." if sep_option else ""
    else:
        msg += f". Name your columns with {options}"
    raise DataError(msg)


def _count(mask: Any, weights: np.ndarray | None) -> int:
    """Rows where ``mask`` holds; ``weights`` are the rows behind each distinct value (None: one each)."""
    m = np.asarray(mask, dtype=bool)
    return int(m.sum() if weights is None else weights[m].sum())


def _by_unique(col: pd.Series, where, parse) -> np.ndarray:
    """Run a text parser once per distinct value and spread the result back to the rows.

    Exports repeat the same dates, prices, quantities and ids thousands of times;
    parsing the distinct values only is what makes half a million rows load in
    seconds. ``parse(values, where, weights)`` sees the distinct values in order of
    first appearance (so the first bad value is also the first bad row, which
    ``where`` names) and their row counts (``weights``) for the report.
    """
    codes, uniq, first = _distinct_ids(col)  # True, 1 and 1.0 stay three values
    weights = np.bincount(codes, minlength=len(uniq))
    out = np.asarray(parse(pd.Series(uniq, dtype=object), lambda j: where(int(first[j])), weights))
    return out[codes]


# ---- parsing customer ids -------------------------------------------------------
def _parse_ids(uniq: pd.Series, where, weights: np.ndarray, *, name: str, column: str, is_text: bool,
               report: dict[str, Any]) -> np.ndarray:
    """Distinct ids (in order of first appearance) as text, None where missing; changes counted."""
    if not is_text:  # a DataFrame's object column: booleans, bytes, fractions are not ids
        for j, v in enumerate(uniq):
            problem = None if isinstance(v, str) else customer_id_problem(v)
            if problem is not None and problem[0] == "bad":
                raise DataError(f"{name}: column {column!r}, {where(j)}: {excerpt(v)} {problem[1]}")
    raw_u = _as_text(uniq)
    text_u = raw_u.str.strip(ID_STRIP_CHARS)
    no_u = text_u.str.lower().isin(MISSING_TEXT).to_numpy()
    control = (text_u.str.contains(r"[\x00-\x1f\x7f-\x9f]", regex=True).to_numpy() & ~no_u)
    if control.any():
        j = int(np.flatnonzero(control)[0])
        raise DataError(
            f"{name}: column {column!r}, {where(j)}: {excerpt(text_u.iloc[j])} contains "
            "a control character (a line break or a tab inside a quoted id?); fix the id"
        )
    spaced = ((text_u != raw_u).to_numpy() & ~no_u)
    if spaced.any():  # (the keys appear when something was changed, as before)
        report["customer_ids_spaces_stripped"] = _count(spaced, weights)
    # the one id rule (crmlab.validation.id_text): an id written as a whole number with a zero
    # fraction (17850.0, a spreadsheet's float export) is that whole number (counted)
    canon = text_u.map(id_text)
    whole = ((canon != text_u).to_numpy() & ~no_u)
    if whole.any():
        report["customer_ids_trailing_zero_removed"] = _count(whole, weights)
    return canon.where(~no_u, None).to_numpy(dtype=object)


# ---- parsing dates --------------------------------------------------------------
def _parse_dates(
    col: pd.Series, *, name: str, column: str, where, date_format: str | None,
    dayfirst: bool | None, timezone: str | None, report: dict[str, Any], weights: np.ndarray | None = None,
) -> pd.Series:
    """Dates as datetime64[ns] (time of day kept), never shifted across a day silently."""
    if pd.api.types.is_datetime64_any_dtype(col):  # a DataFrame's datetime column
        parsed = col
    else:  # text (load_transactions passes other columns as text, once per distinct value)
        dtext = _as_text(col).str.strip()
        bad = np.flatnonzero(dtext.str.lower().isin(MISSING_TEXT).to_numpy())
        if len(bad):
            raise DataError(f"{name}: column {column!r}, {where(bad[0])}: date is missing")
        dtext = _normalise_dates(dtext)
        fmt = date_format
        if fmt == "excel":
            serial = pd.to_numeric(dtext, errors="coerce")
            # 1900-01-01 .. 2262-04-11 in Excel's serial day numbers
            ok = serial.between(1, 106_000)
            bad = np.flatnonzero(~ok.to_numpy())
            if len(bad):
                raise DataError(
                    f"{name}: column {column!r}, {where(bad[0])}: {excerpt(dtext.iloc[bad[0]])} is "
                    "not an Excel serial day number between 1 (1900-01-01) and 106000 (year 2190)"
                )
            parsed = pd.to_datetime(serial, unit="D", origin="1899-12-30")
        else:
            has_tz = dtext.str.contains(_TZ_TIME, regex=True)
            if has_tz.any():
                if timezone is None:
                    i = int(np.argmax(has_tz.to_numpy()))
                    raise DataError(
                        f"{name}: column {column!r}, {where(i)}: {excerpt(dtext.iloc[i])} carries a "
                        "time-zone offset; converting it could move a purchase to another day. Pass "
                        "timezone='local' to keep the wall-clock time as written, or an IANA zone "
                        "such as timezone='Asia/Shanghai' to convert every timestamp to it (the rows "
                        "whose calendar day changes are counted)"
                    )
                if not has_tz.all():
                    i = int(np.argmax((~has_tz).to_numpy()))
                    raise DataError(
                        f"{name}: column {column!r}, {where(i)}: {excerpt(dtext.iloc[i])} has no "
                        "time-zone offset while other rows do; make the column uniform"
                    )
                written = pd.to_datetime(dtext.str.replace(_TZ_SUFFIX, "", regex=True).str.strip(),
                                         format="ISO8601", errors="coerce")
                parsed = pd.to_datetime(dtext, format="ISO8601", errors="coerce", utc=True)
                bad = np.flatnonzero((parsed.isna() | written.isna()).to_numpy())
                if len(bad):
                    raise DataError(
                        f"{name}: column {column!r}, {where(bad[0])}: {excerpt(dtext.iloc[bad[0]])} "
                        "is not an ISO date-time with offset such as '2024-01-05T23:30:00+08:00'"
                    )
                _check_date_range(written, dtext, name, column, where)
                return _apply_timezone(parsed, written, timezone, report, weights)
            if timezone is not None:
                report["timezone"] = (f"{timezone} given, but no timestamp carries an offset: read as "
                                      "written (wall-clock time)")
            if fmt is None:
                fmt, parsed = _infer_date_format(dtext, dayfirst, name, column, where)
            else:
                parsed = pd.to_datetime(dtext, format=fmt, errors="coerce")
            bad = np.flatnonzero(parsed.isna().to_numpy())
            if len(bad):
                v = dtext.iloc[bad[0]]
                m = re.search(r"(?<!\d)(\d{4})(?!\d)", v)
                if m and not DATE_MIN.year <= int(m[1]) < DATE_MAX.year:
                    raise _date_range_error(name, f"column {column!r}, {where(bad[0])}", excerpt(v))
                how = "inferred from row 1" if date_format is None else "given as date_format"
                raise DataError(
                    f"{name}: column {column!r}, {where(bad[0])}: {excerpt(v)} does not match "
                    f"the date format {fmt!r} ({how}); the column may mix date formats — "
                    "make them uniform or pass date_format="
                )
    _check_date_range(parsed, col, name, column, where)
    tz = getattr(parsed.dt, "tz", None)
    if tz is not None:
        if timezone is None:
            raise DataError(
                f"{name}: column {column!r} holds time-zone-aware timestamps ({tz}); pass "
                "timezone='local' to keep the wall-clock time, or an IANA zone to convert to"
            )
        return _apply_timezone(parsed.dt.tz_convert("UTC"), parsed.dt.tz_localize(None), timezone, report,
                               weights)
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if len(bad):
        raise DataError(f"{name}: column {column!r}, {where(bad[0])}: date is missing")
    return parsed.astype("datetime64[ns]")


def _check_date_range(parsed: pd.Series, shown: pd.Series, name: str, column: str, where) -> None:
    """Dates datetime64[ns] cannot hold (before 1678, after 2261) are named, never wrapped."""
    i = first_out_of_range(parsed)
    if i is not None:
        raise _date_range_error(name, f"column {column!r}, {where(i)}", excerpt(str(shown.iloc[i])))


def _apply_timezone(utc: pd.Series, written: pd.Series, timezone: str, report: dict[str, Any],
                    weights: np.ndarray | None = None) -> pd.Series:
    # (load_transactions has checked the zone name)
    if timezone == "local":
        report["timezone"] = "local wall-clock time as written"
        return written.astype("datetime64[ns]")
    local = utc.dt.tz_convert(timezone).dt.tz_localize(None)
    changed = (local.dt.normalize() != written.dt.normalize()).to_numpy()
    report["timezone"] = timezone
    report["dates_moved_to_another_day_by_timezone"] = _count(changed, weights)
    return local.astype("datetime64[ns]")


# ---- parsing numbers ------------------------------------------------------------
def _parse_numbers(
    col: pd.Series, *, is_text: bool, name: str, column: str, where, decimal: str,
    thousands: str | None, currency_symbols: bool, report: dict[str, Any], what: str,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """A numeric column as float64, or a DataError naming the first bad row."""
    if not is_text and pd.api.types.is_complex_dtype(col):
        raise DataError(f"{name}: column {column!r} holds complex numbers; expected real {what}")
    if not is_text and (pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)):
        values = col.astype("float64")
        original = col
    else:
        if not is_text:
            col = col.astype("string").fillna("")
        original = _as_text(col)
        atext = _normalise_numbers(original.str.strip())
        if currency_symbols:
            stripped = atext.str.replace(_CURRENCY_RE, "", regex=True)
            report[f"{what}_currency_stripped"] = _count(stripped != atext, weights)
            atext = stripped
        if thousands:
            has = atext.str.contains(thousands, regex=False)
            if has.any():
                t, d = re.escape(thousands), re.escape(decimal)
                grouped = atext.str.fullmatch(rf"[-+(]?\s*\d{{1,3}}(?:{t}\d{{3}})+(?:{d}\d*)?\s*\)?")
                bad = np.flatnonzero((has & ~grouped).to_numpy())
                if len(bad):
                    raise DataError(
                        f"{name}: column {column!r}, {where(bad[0])}: {excerpt(original.iloc[bad[0]])} "
                        f"does not group digits in threes with thousands={thousands!r} (decimal mark "
                        f"{decimal!r}); is the thousands separator or the decimal mark wrong?"
                    )
                atext = atext.str.replace(thousands, "", regex=False)
            report[f"{what}_thousands_removed"] = _count(has, weights)
        if decimal != ".":
            atext = atext.str.replace(decimal, ".", regex=False)
        paren = atext.str.fullmatch(r"\(\s*[-+]?[\d.]+\s*\)")
        n_paren = _count(paren, weights)
        if n_paren:
            atext = atext.where(~paren, "-" + atext.str.strip("() "))
            report[f"{what}_parenthesised_negative"] = n_paren
        values = pd.to_numeric(atext, errors="coerce").astype("float64")
    arr = values.to_numpy(dtype="float64")
    bad = np.flatnonzero(~np.isfinite(arr))
    if len(bad):
        v = original.iloc[bad[0]]
        hint = number_hint(v, missing=not is_text and pd.isna(v),
                           infinite=not is_text and bool(np.isinf(arr[bad[0]])))
        raise DataError(f"{name}: column {column!r}, {where(bad[0])}: {excerpt(v)} is not a number{hint}")
    if np.abs(arr).max(initial=0.0) > 1e15:
        i = int(np.argmax(np.abs(arr) > 1e15))
        raise DataError(
            f"{name}: column {column!r}, {where(i)}: {excerpt(original.iloc[i])} is beyond 1e15; "
            "sums of such values lose every cent (expected an amount of money or a quantity)"
        )
    return arr


# ---- step 0: the options -----------------------------------------------------------
def _options_step(
    *, customer: Any, date: Any, amount: Any, quantity: Any, price: Any, invoice: Any,
    date_format: Any, dayfirst: Any, timezone: Any, decimal: Any, thousands: Any,
    currency_symbols: Any, missing_customer: Any, duplicates: Any, nonpositive: Any, future: Any,
    as_of: Any,
) -> tuple[pd.Timestamp, dict[str, str]]:
    """Every option of :func:`load_transactions` checked before the source is read.

    Returns the ``as_of`` day and the columns wanted (parameter -> column name;
    ``amount`` defaults to ``"amount"`` unless ``quantity`` and ``price`` are given).
    """
    check_choice(missing_customer, "missing_customer", ["error", "drop"])
    check_choice(duplicates, "duplicates", ["keep", "drop", "error"])
    check_choice(nonpositive, "nonpositive", ["error", "net", "keep", "drop"])
    check_choice(future, "future", ["error", "keep", "drop"])
    for opt, val in [("decimal", decimal), ("thousands", thousands)]:
        if val is not None and (not isinstance(val, str) or len(val) != 1):
            raise ParameterError(f"{opt} must be one character such as ',' or '.', got {val!r}")
    if thousands is not None and thousands == decimal:
        raise ParameterError(
            f"thousands={thousands!r} and decimal={decimal!r} are the same mark, so 12{decimal}50 "
            f"would be read as 1250; pass decimal=',' with thousands='.' (or the reverse)"
        )
    if date_format is not None and not isinstance(date_format, str):
        raise ParameterError(f"date_format must be a strftime format text or 'excel', got {date_format!r}")
    if date_format not in (None, "excel"):
        try:
            pd.to_datetime(pd.Series(["x"]), format=date_format, errors="coerce")
        except ValueError as exc:
            raise ParameterError(f"date_format {date_format!r} is not a strftime format: {exc}") from None
    for opt, val in [("dayfirst", dayfirst), ("currency_symbols", currency_symbols)]:
        if val is not None and not isinstance(val, (bool, np.bool_)):
            raise ParameterError(f"{opt} must be True or False, got {val!r}")
    if timezone is not None:
        if not isinstance(timezone, str):
            raise ParameterError(f"timezone must be 'local' or an IANA zone name, got {timezone!r}")
        if timezone != "local":
            try:
                pd.Timestamp("2024-01-01", tz=timezone)
            except Exception:  # pandas/zoneinfo raise several types for unknown zones
                raise ParameterError(
                    f"timezone {timezone!r} is not a known IANA time zone such as 'Asia/Shanghai' or 'UTC'"
                ) from None
    if price is not None and amount is not None:
        raise ParameterError(
            "give either amount= (money per row) or quantity= and price= (line items), not both"
        )
    if price is not None and quantity is None:
        raise ParameterError("price= needs quantity= too: the amount of a line is quantity × price")
    if price is None and amount is None:
        amount = "amount"
    ref = check_date(as_of, "as_of") if as_of is not None else pd.Timestamp.today().normalize()
    wanted = {"customer": customer, "date": date}
    for param, col in [("amount", amount), ("quantity", quantity), ("price", price), ("invoice", invoice)]:
        if col is not None:
            wanted[param] = col
    for param, col in wanted.items():
        if not isinstance(col, str) or not col:
            raise ParameterError(f"{param}= must be the name of a column (text), got {col!r}")
    return ref, wanted


# ---- step 1: read -----------------------------------------------------------------
def _read_step(
    source: Any, sep: str | None, encoding: str, wanted: dict[str, str]
) -> tuple[pd.DataFrame, str, bool, int, Callable[[int], str]]:
    """The source's data rows, blank lines of a file left out (they are counted).

    Returns the rows, the source's name, whether its cells are text (a file), the
    number of rows read (blank lines included) and ``where(i)``, which names data
    row ``i`` in messages (its file line, or its DataFrame index).
    """
    raw, name, is_text, used_sep = _read_source(source, sep, encoding, list(wanted.values()))
    _check_columns(name, wanted.values(), raw.columns, sep=used_sep)
    blank = np.zeros(len(raw), dtype=bool)
    if is_text and len(raw.columns):
        maybe = np.flatnonzero((raw.iloc[:, 0] == "").to_numpy())  # only these can be blank lines
        if len(maybe):
            blank[maybe] = (raw.iloc[maybe] == "").all(axis=1).to_numpy()
    if blank.all():
        raise DataError(f"{name} has a header but no data rows")
    positions = np.flatnonzero(~blank)

    def where(i: int) -> str:
        pos = int(positions[i])
        return _line(pos) if is_text else f"row {pos} (index {raw.index[pos]!r})"

    return (raw[~blank] if blank.any() else raw), name, is_text, len(raw), where


# ---- step 2: customer ids ----------------------------------------------------------
def _ids_step(
    ids: pd.Series, missing_customer: str, *, name: str, column: str, is_text: bool, where: Any,
    report: dict[str, Any], notes: list[str],
) -> tuple[np.ndarray, np.ndarray]:
    """The customer ids (text for files; numbers stay numbers) and the rows kept.

    Rows without an id are refused or dropped as ``missing_customer`` says (counted).
    """
    if pd.api.types.is_bool_dtype(ids):
        raise DataError(f"{name}: column {column!r} holds booleans (True/False), not customer ids; "
                        "the wrong column?")
    if not (pd.api.types.is_integer_dtype(ids) or pd.api.types.is_float_dtype(ids)):
        # text work once per distinct id (an export repeats each id on every line)
        cust = _by_unique(ids, where, lambda u, w, n: _parse_ids(
            u, w, n, name=name, column=column, is_text=is_text, report=report))
        no_id = pd.isna(cust)
    else:
        no_id = ids.isna().to_numpy()
        if pd.api.types.is_float_dtype(ids):
            v = ids.to_numpy(dtype="float64")
            ok = ~no_id
            if np.all(np.mod(v[ok], 1) == 0) and np.all(np.abs(v[ok]) < 2**53):
                cust = np.where(ok, v, 0).astype("int64")
            else:
                i = int(np.argmax(ok & ((np.mod(np.where(ok, v, 0), 1) != 0) | (np.abs(np.where(ok, v, 0)) >= 2**53))))
                problem = customer_id_problem(float(v[i]))
                raise DataError(
                    f"{name}: column {column!r}, {where(i)}: {excerpt(ids.iloc[i])} "
                    f"{problem[1] if problem else 'is not a customer id'}"
                )
        else:
            cust = ids.to_numpy()
    report["missing_customer_ids"] = int(no_id.sum())

    def _no_id_error(i: int, n: int) -> DataError:
        return DataError(
            f"{name}: column {column!r}, {where(i)}: customer id is missing ({n:,} of "
            f"{len(ids):,} rows have none: guest checkouts?); pass missing_customer='drop' to "
            "leave them out (counted, with their money, in load_report)"
        )

    keep = np.ones(len(ids), dtype=bool)
    _apply_policy(no_id, missing_customer, keep=keep, key="missing_customer_ids", report=report,
                  notes=notes, error=_no_id_error, note="rows without a customer id")
    return cust, keep


# ---- step 3: dates -----------------------------------------------------------------
def _dates_step(
    col: pd.Series, *, where: Any, name: str, column: str, date_format: str | None,
    dayfirst: bool | None, timezone: str | None, report: dict[str, Any],
) -> np.ndarray:
    """The purchase dates as datetime64[ns]; text is parsed once per distinct value."""
    dkw = {"name": name, "column": column, "date_format": date_format, "dayfirst": dayfirst,
           "timezone": timezone, "report": report}
    if not pd.api.types.is_datetime64_any_dtype(col):  # (a file's cells are text)
        return _by_unique(col, where, lambda u, w, n: _parse_dates(
            u, where=w, weights=n, **dkw).to_numpy(dtype="datetime64[ns]"))
    return _parse_dates(col, where=where, **dkw).to_numpy().astype("datetime64[ns]")


# ---- step 4: amounts ---------------------------------------------------------------
def _amounts_step(
    sub: pd.DataFrame, dropped: pd.DataFrame | None, *, amount: str | None, quantity: str | None,
    price: str | None, num: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray | None]:
    """The money of each row (``amount``, or ``quantity`` × ``price``) and the quantities.

    ``num`` holds :func:`_parse_numbers`' options. The money of the rows ``dropped``
    for a missing customer id is counted as ``missing_customer_amount``.
    """
    name, where, report, is_text = num["name"], num["where"], num["report"], num["is_text"]

    def numbers(column: str, what: str) -> np.ndarray:
        col = sub[column]
        if is_text or not (pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)):
            return _by_unique(col, where, lambda u, w, n: _parse_numbers(
                u, column=column, what=what, weights=n, **{**num, "where": w, "is_text": True})).astype("float64")
        return _parse_numbers(col, column=column, what=what, **num)

    qty = None
    if quantity is not None:
        qty = numbers(quantity, "quantities")
    if price is not None:
        unit = numbers(price, "prices")
        both = np.flatnonzero((qty < 0) & (unit < 0))
        if len(both):  # the product would be positive: a return read as a purchase
            i = int(both[0])
            raise DataError(
                f"{name}: {where(i)}: quantity {qty[i]:g} at a negative price {unit[i]:g} gives a "
                f"positive amount ({len(both):,} such rows); a return is a negative quantity at a "
                "positive price — fix the sign of one of them"
            )
        values = qty * unit
        # quantity x price in binary floats (6 x 2.55 = 15.299999999999999): round to 1e-9
        values = np.round(values, 9)
        report["amount_from"] = f"{quantity} × {price}"
    else:
        values = numbers(amount, "amounts")
    check_money_total(values, what=name, column=amount or f"{quantity} × {price}", where=where)
    if dropped is not None:
        quiet = {**num, "where": lambda i: "a row without customer id", "report": {}}
        try:
            money = np.ones(len(dropped))
            for column in [amount] if price is None else [quantity, price]:
                money = money * _parse_numbers(dropped[column], column=column, what="_dropped", **quiet)
            report["missing_customer_amount"] = float(np.round(money.sum(), 2))
        except DataError:
            report["missing_customer_amount"] = None  # unparseable money on rows without an id
    return values, qty


# ---- step 5: one policy step ------------------------------------------------------
def _apply_policy(
    mask: np.ndarray, policy: str, *, keep: np.ndarray, key: str, report: dict[str, Any],
    notes: list[str], error: Any, note: str,
) -> None:
    """The shared error / keep / drop decision for one kind of problem row (counted)."""
    n = int(mask.sum())
    report[key] = n
    if not n:
        return
    if policy == "error":
        raise error(int(np.argmax(mask)), n)
    if policy == "drop":
        keep &= ~mask
        notes.append(f"dropped {n} {note}")
    else:
        notes.append(f"kept {n} {note}")


def _policy_step(
    out: pd.DataFrame, source_rows: pd.DataFrame, *, nonpositive: str, future: str, duplicates: str,
    ref: pd.Timestamp, name: str, money_column: str, date_column: str, where: Any,
    report: dict[str, Any], notes: list[str],
) -> np.ndarray:
    """Which rows of ``out`` are kept: nonpositive amounts, future dates, duplicates.

    ``source_rows`` are the source rows behind ``out`` (duplicates are judged on
    every column of the source).
    """
    keep = np.ones(len(out), dtype=bool)

    def _nonpos_error(i: int, n: int) -> DataError:
        return DataError(
            f"{name}: column {money_column!r}, {where(i)}: {out['amount'].iloc[i]} is not "
            f"positive ({n:,} such rows: returns, cancellations, refunds or free items?); pass "
            "nonpositive='net' to keep them (summaries net them per customer-day) or 'drop' to "
            "remove them (counted)"
        )

    _apply_policy((out["amount"] <= 0).to_numpy(), "keep" if nonpositive == "net" else nonpositive,
                  keep=keep, key="nonpositive_amounts", report=report, notes=notes,
                  error=_nonpos_error, note="rows with zero or negative amount")
    if nonpositive in ("net", "keep"):
        report["nonpositive_policy"] = "net"

    def _future_error(i: int, n: int) -> DataError:
        return DataError(
            f"{name}: column {date_column!r}, {where(i)}: {out['date'].iloc[i]} is after {ref.date()} "
            f"(the as_of day; {n:,} such rows); check the date format or pass future='keep'/'drop', "
            "or as_of="
        )

    fut = (out["date"] >= ref + pd.Timedelta(days=1)).to_numpy()
    _apply_policy(fut, future, keep=keep, key="future_dates", report=report, notes=notes,
                  error=_future_error, note=f"rows dated after {ref.date()}")

    # duplicates: identical in every column of the source row
    src = source_rows.reset_index(drop=True)
    try:
        dup = src.duplicated(keep="first").to_numpy()
    except TypeError:  # unhashable cells (a DataFrame's lists, dicts): compare their text
        dup = src.astype(str).duplicated(keep="first").to_numpy()

    def _dup_error(i: int, n: int) -> DataError:
        return DataError(
            f"{name}: {where(i)} repeats an earlier row in every column ({n:,} such rows); pass "
            "duplicates='keep' or 'drop'"
        )

    _apply_policy(dup, duplicates, keep=keep, key="duplicate_rows", report=report, notes=notes,
                  error=_dup_error, note="rows that exactly repeat an earlier row in every column (duplicates)")
    return keep


def _notes(report: dict[str, Any], timezone: str | None) -> list[str]:
    """What the report's cleaning counts say, as sentences of the loader's warning."""
    notes = []
    if report["blank_lines_skipped"]:
        notes.append(f"skipped {report['blank_lines_skipped']} blank lines")
    for k, v in report.items():
        if k.endswith("_parenthesised_negative") and v:
            notes.append(f"read {v} accounting negatives such as '(12.50)' as negative {k.split('_')[0]}")
    cleaned = {k: v for k, v in report.items() if k.endswith(("_currency_stripped", "_thousands_removed")) and v}
    if cleaned:
        notes.append("cleaned numbers: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in cleaned.items()))
    if report.get("dates_moved_to_another_day_by_timezone"):
        notes.append(f"{report['dates_moved_to_another_day_by_timezone']} timestamps fall on another "
                     f"calendar day in {timezone} than as written")
    return notes


def load_transactions(
    source: str | os.PathLike[str] | io.IOBase | pd.DataFrame,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = None,
    quantity: str | None = None,
    price: str | None = None,
    invoice: str | None = None,
    sep: str | None = None,
    encoding: str = "utf-8-sig",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    timezone: str | None = None,
    decimal: str = ".",
    thousands: str | None = None,
    currency_symbols: bool = False,
    missing_customer: Literal["error", "drop"] = "error",
    duplicates: Literal["keep", "drop", "error"] = "keep",
    nonpositive: Literal["error", "net", "keep", "drop"] = "error",
    future: Literal["error", "keep", "drop"] = "error",
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Load your own transactions (CSV file or DataFrame) into the crmlab log, checking every row.

    The one transaction-log contract of the collection: every chapter function
    that takes a log expects what this returns. The work is done in steps
    (options, read, customer ids, dates, amounts, one policy step) and whatever an
    option changes is counted in :func:`load_report` and announced with a
    :class:`~crmlab.errors.CrmlabWarning`.

    Parameters
    ----------
    source : path, file-like or DataFrame
        A CSV export (any delimiter; see ``sep``) or a DataFrame already in memory.
    customer, date : str
        Names of those columns in *your* data.
    amount : str, optional
        Money of the row. Default ``"amount"``; leave it out and give
        ``quantity`` and ``price`` for a line-item export (amount = quantity ×
        unit price).
    quantity, price : str, optional
        Units and unit price of the row (line items). ``quantity`` alone is
        kept as information.
    invoice : str, optional
        Invoice / order id, kept as the ``invoice`` column (text).
    sep : str, optional
        Field delimiter; sniffed from the first lines among ``, ; TAB |`` if omitted.
    encoding : str
        Text encoding (default UTF-8 with or without BOM; Chinese Excel exports
        are often ``"gbk"``, Western ones ``"latin-1"``).
    date_format : str, optional
        strftime format such as ``"%d/%m/%Y %H:%M"`` or ``"excel"`` (serial day
        numbers). If omitted, one format is inferred from the first date and
        *every* row must match it.
    dayfirst : bool, optional
        How to read ``01/05/2024`` when ``date_format`` is not given; left at
        ``None``, an error asks you to choose if both readings fit every row.
    timezone : str, optional
        Timestamps with an offset (``+08:00``, ``Z``) or tz-aware DataFrame
        columns are refused unless you say what to do: ``"local"`` keeps the
        wall-clock time as written (the day the customer saw), an IANA zone
        such as ``"Asia/Shanghai"`` converts every timestamp to it (the rows
        whose calendar day changes are counted). The time of day is kept.
    decimal, thousands : str
        Decimal mark and thousands separator of numeric text (e.g.
        ``decimal=",", thousands="."`` for "1.234,50"). Digit groups are
        checked (``12,5`` with ``thousands=","`` is refused, not read as 125).
        Full-width digits and the Unicode minus are normalised; an accounting
        negative ``(12.50)`` is read as -12.50 (counted).
    currency_symbols : bool
        Strip a currency sign or code around numbers (counted).
    missing_customer : {"error", "drop"}
        Rows without a customer id (guest checkouts): the error states how many
        there are; ``"drop"`` leaves them out (counted with their net money).
    duplicates : {"keep", "drop", "error"}
        Rows identical to an earlier row in **every column of the source** (line
        items that share customer, date and price but differ in product are not
        duplicates). Kept and counted by default.
    nonpositive : {"error", "net", "keep", "drop"}
        Zero or negative amounts (returns, cancellations, free items).
        ``"net"`` (alias ``"keep"``) keeps them: every crmlab summary then nets a
        customer's rows per day, counts only days with a positive net amount as
        purchases, and the money still reconciles with the log. ``"drop"``
        removes them (counted).
    future : {"error", "keep", "drop"}
        Rows dated on a day after ``as_of``.
    as_of : date-like, optional
        Reference day for ``future`` (default: today); the whole day counts, so
        a 14:00 timestamp on the ``as_of`` day is not in the future.

    Returns
    -------
    DataFrame
        ``customer_id`` (text for files), ``date`` (datetime64[ns], time of day
        kept), ``amount`` (float64), and ``quantity`` / ``invoice`` when given;
        source row order. ``df.attrs["crmlab_report"]`` holds the counts.

    Raises
    ------
    DataError
        Missing or binary file, empty file, undecodable text, a missing or
        doubled column, a missing customer id or date, an unparseable or
        out-of-range date, a time-zone offset without ``timezone``, a
        non-numeric, non-finite or absurdly large number, badly grouped
        digits, or a row refused by a policy. The message names the column,
        the first offending row (1-based data row and file line) and a short
        excerpt of its value.
    ParameterError
        An unknown option value, encoding or delimiter.

    Examples
    --------
    >>> import io
    >>> csv_text = "cust,day,spend\\na,2024-01-02,10\\na,2024-02-01,12.5\\n"
    >>> log = load_transactions(io.StringIO(csv_text), customer="cust", date="day",
    ...                         amount="spend", as_of="2025-01-01")
    >>> log["amount"].sum(), load_report(log)["rows_returned"]
    (np.float64(22.5), 2)
    """
    ref, wanted = _options_step(
        customer=customer, date=date, amount=amount, quantity=quantity, price=price, invoice=invoice,
        date_format=date_format, dayfirst=dayfirst, timezone=timezone, decimal=decimal,
        thousands=thousands, currency_symbols=currency_symbols, missing_customer=missing_customer,
        duplicates=duplicates, nonpositive=nonpositive, future=future, as_of=as_of,
    )
    amount = wanted.get("amount")
    rows, name, is_text, rows_read, where = _read_step(source, sep, encoding, wanted)
    report: dict[str, Any] = {
        "source": name, "rows_read": rows_read, "blank_lines_skipped": rows_read - len(rows),
        "amounts_currency_stripped": 0, "amounts_thousands_removed": 0,
        "amounts_parenthesised_negative": 0,
    }
    notes: list[str] = []
    cust, keep = _ids_step(rows[customer], missing_customer, name=name, column=customer,
                           is_text=is_text, where=where, report=report, notes=notes)
    # rows without an id are not parsed further (they are dropped, or there are none)
    sub = rows if keep.all() else rows[keep]
    sub_pos = np.flatnonzero(keep)

    def where_sub(i: int) -> str:
        return where(int(sub_pos[i]))

    dates = _dates_step(sub[date], where=where_sub, name=name, column=date,
                        date_format=date_format, dayfirst=dayfirst, timezone=timezone, report=report)
    num = {"name": name, "where": where_sub, "decimal": decimal, "thousands": thousands,
           "currency_symbols": currency_symbols, "report": report, "is_text": is_text}
    values, qty = _amounts_step(sub, None if keep.all() else rows[~keep], amount=amount,
                                quantity=quantity, price=price, num=num)
    out = pd.DataFrame({"customer_id": cust[keep], "date": dates, "amount": values})
    if qty is not None:
        out["quantity"] = qty
    if invoice is not None:
        out["invoice"] = sub[invoice].astype("string").fillna("").str.strip().astype(object).to_numpy()
    kept = _policy_step(out, sub, nonpositive=nonpositive, future=future, duplicates=duplicates,
                        ref=ref, name=name, money_column=amount or price, date_column=date,
                        where=where_sub, report=report, notes=notes)
    out = out[kept].reset_index(drop=True)
    report["rows_dropped"] = int(len(rows) - len(out))
    report["rows_returned"] = int(len(out))
    report["net_amount"] = float(np.round(out["amount"].sum(), 2))
    notes += _notes(report, timezone)
    if len(out) == 0:
        raise DataError(f"{name}: no rows left after the options ({'; '.join(notes)})")
    out.attrs["crmlab_report"] = report
    if notes:
        warn(f"load_transactions({name}): " + "; ".join(notes))
    return out


# --------------------------------------------------------------------------- notebooks
def load_log(
    data_path: str | os.PathLike[str] | None = None,
    *,
    cdnow: Literal["master", "sample"] = "master",
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = None,
    quantity: str | None = None,
    price: str | None = None,
    invoice: str | None = None,
    options: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """The transaction log a notebook works on: bundled CDNOW, or your own file.

    The one data parameter contract of every notebook that reads transactions:
    ``DATA_PATH`` (``None`` = bundled CDNOW), ``CUSTOMER_COL``, ``DATE_COL``,
    ``AMOUNT_COL``, ``QUANTITY_COL``, ``PRICE_COL``, ``INVOICE_COL`` and
    ``LOAD_OPTIONS`` (a dict of :func:`load_transactions` options such as
    ``{"missing_customer": "drop", "nonpositive": "net", "encoding": "latin-1"}``)
    map to these arguments. Errors name the notebook parameter.

    Returns
    -------
    DataFrame
        The log; ``attrs["is_cdnow"]`` says whether it is the bundled CDNOW file
        and ``attrs["crmlab_report"]`` what the loader did.

    Examples
    --------
    >>> log = load_log(None, cdnow="sample")
    >>> len(log), is_cdnow(log)
    (6919, True)
    """
    if data_path is None:
        check_choice(cdnow, "CDNOW_KIND", ["master", "sample"])
        log = load_cdnow(cdnow)
        log.attrs["crmlab_report"] = {"source": f"CDNOW {cdnow} (bundled)", "rows_returned": len(log)}
        log.attrs["is_cdnow"] = True
        return log
    if not isinstance(data_path, (str, os.PathLike)):
        raise ParameterError(f"DATA_PATH must be None or a file path string, got {data_path!r}")
    for pname, value in [("CUSTOMER_COL", customer), ("DATE_COL", date), ("AMOUNT_COL", amount),
                         ("QUANTITY_COL", quantity), ("PRICE_COL", price), ("INVOICE_COL", invoice)]:
        if value is not None and (not isinstance(value, str) or not value):
            raise ParameterError(f"{pname} must be a column name (text) or None, got {excerpt(value)}")
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise ParameterError(f"LOAD_OPTIONS must be a dict of load_transactions options, got {options!r}")
    import inspect

    allowed = set(inspect.signature(load_transactions).parameters) - {
        "source", "customer", "date", "amount", "quantity", "price", "invoice"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ParameterError(
            f"LOAD_OPTIONS has unknown option(s) {unknown}; load_transactions accepts {sorted(allowed)}"
        )
    log = load_transactions(data_path, customer=customer, date=date, amount=amount,
                            quantity=quantity, price=price, invoice=invoice, **options)
    log.attrs["is_cdnow"] = False
    return log


def is_cdnow(log: pd.DataFrame) -> bool:
    """Whether a log is the bundled CDNOW data (from :func:`load_log`).

    >>> is_cdnow(pd.DataFrame())
    False
    """
    return bool(log.attrs.get("is_cdnow", False))


# --------------------------------------------------------------------------- seeds
def load_seed_table(name: str, *, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """A table transcribed from the seed documents: a worked example or a lecture table.

    Worked examples: ``accumulation``, ``two_buyers``, ``software_case``,
    ``airline_rfm``, ``ahp_weights``. Lecture tables: ``stage_models``,
    ``strategy_by_stage``, ``value_components``, ``value_properties``,
    ``value_drivers``, ``value_directions``, ``retention_levels``,
    ``privacy_laws``. Published reference data: ``random_index`` (AHP random
    indices by source). See ``datasets/README.md`` for sources and columns.

    >>> load_seed_table("accumulation")["a_customers"].tolist()
    [100, 99, 98, 90, 75, 50]
    """
    check_choice(name, "name", list(SEED_TABLES))
    return pd.read_csv(data_dir(path) / SEED_TABLES[name], comment="#")


