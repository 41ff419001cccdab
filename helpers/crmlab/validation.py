"""Input checks shared by every crmlab module.

The functions here turn bad input into a :class:`~crmlab.errors.DataError` or
:class:`~crmlab.errors.ParameterError` whose message names the column, the
first offending row (0-based position in the frame, plus its index label) and
the value, and says what was expected. Chapter modules call them instead of
letting a raw pandas/numpy traceback escape.

Examples
--------
>>> import pandas as pd
>>> from crmlab.validation import validate_transactions
>>> log = pd.DataFrame({"customer_id": [1, 1], "date": ["2024-01-02", "2024-02-01"],
...                     "amount": [10.0, 12.5]})
>>> validate_transactions(log)["amount"].sum()
np.float64(22.5)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import DataError, ParameterError

__all__ = [
    "TRANSACTION_COLUMNS",
    "require_columns",
    "first_bad",
    "check_numeric_column",
    "validate_transactions",
    "check_number",
    "check_probability",
    "check_choice",
    "as_float_array",
    "as_finite_vector",
    "check_date",
    "check_optional_date",
    "check_parameter_names",
]

#: The one schema every loader returns and every chapter function accepts.
TRANSACTION_COLUMNS: tuple[str, ...] = ("customer_id", "date", "amount")


def _describe_row(df: pd.DataFrame | pd.Series, pos: int) -> str:
    label = df.index[pos]
    if isinstance(label, (int, np.integer)) and label == pos:
        return f"row {pos}"
    return f"row {pos} (index {label!r})"


def first_bad(mask: pd.Series | np.ndarray) -> int | None:
    """Position of the first True in a boolean mask, or None.

    >>> first_bad(np.array([False, True, True]))
    1
    """
    arr = np.asarray(mask, dtype=bool)
    if not arr.any():
        return None
    return int(np.argmax(arr))


def require_columns(
    df: Any, columns: Iterable[str], *, what: str = "data"
) -> pd.DataFrame:
    """Check that ``df`` is a DataFrame holding every name in ``columns``.

    Suggests the closest existing column when a name looks misspelled.

    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"]).shape
    (1, 1)
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(
            f"{what} must be a pandas DataFrame, got {type(df).__name__}"
        )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        import difflib

        hints = []
        for c in missing:
            close = difflib.get_close_matches(
                str(c), [str(x) for x in df.columns], n=1, cutoff=0.6
            )
            hints.append(f"{c!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise DataError(
            f"{what} is missing column(s) {', '.join(hints)}; "
            f"it has {[str(x) for x in df.columns]}"
        )
    return df


def check_numeric_column(
    df: pd.DataFrame,
    column: str,
    *,
    what: str = "data",
    allow_nan: bool = False,
    min_value: float | None = None,
    min_inclusive: bool = True,
) -> pd.Series:
    """Return ``df[column]`` as float64, or raise naming the first bad row.

    >>> check_numeric_column(pd.DataFrame({"x": ["1", "2.5"]}), "x").tolist()
    [1.0, 2.5]
    """
    require_columns(df, [column], what=what)
    raw = df[column]
    if isinstance(raw, pd.DataFrame):
        raise DataError(f"{what}: {raw.shape[1]} columns are named {column!r}; expected one")
    if pd.api.types.is_bool_dtype(raw):
        raise DataError(f"{what}: column {column!r} holds booleans; expected numbers")
    if raw.dtype.kind == "c":
        raise DataError(f"{what}: column {column!r} holds complex numbers; expected real numbers")
    if raw.dtype == object:  # Python objects: booleans, complex and huge ints are not amounts
        kinds = raw.map(type)
        for bad_types, expected in (((bool, np.bool_), "is a boolean"),
                                    ((complex, np.complexfloating), "is complex")):
            pos = first_bad(kinds.map(lambda t, b=bad_types: issubclass(t, b)))
            if pos is not None:
                raise DataError(
                    f"{what}: column {column!r}, {_describe_row(df, pos)}: "
                    f"{_short(raw.iloc[pos])} {expected}; expected a number"
                )
    try:
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
    except (OverflowError, TypeError, ValueError):
        for pos, v in enumerate(raw):
            try:
                float(v)
            except OverflowError:
                raise DataError(
                    f"{what}: column {column!r}, {_describe_row(df, pos)}: {_short(v)} is too "
                    "large; expected a number of at most about 1.8e308 in size"
                ) from None
            except (TypeError, ValueError):
                continue
        raise DataError(f"{what}: column {column!r} could not be read as numbers") from None
    bad = values.isna() & raw.notna()
    pos = first_bad(bad)
    if pos is not None:
        raise DataError(
            f"{what}: column {column!r}, {_describe_row(df, pos)}: "
            f"{raw.iloc[pos]!r} is not a number"
        )
    if not allow_nan:
        pos = first_bad(values.isna())
        if pos is not None:
            raise DataError(
                f"{what}: column {column!r}, {_describe_row(df, pos)}: value is missing (NaN)"
            )
    pos = first_bad(np.isinf(values.to_numpy()))
    if pos is not None:
        raise DataError(
            f"{what}: column {column!r}, {_describe_row(df, pos)}: "
            f"{values.iloc[pos]} is infinite; expected a finite number"
        )
    if min_value is not None:
        below = values < min_value if min_inclusive else values <= min_value
        pos = first_bad(below.fillna(False))
        if pos is not None:
            op = ">=" if min_inclusive else ">"
            raise DataError(
                f"{what}: column {column!r}, {_describe_row(df, pos)}: "
                f"{values.iloc[pos]} is out of range; expected {op} {min_value}"
            )
    return values


def validate_transactions(
    transactions: Any,
    *,
    what: str = "transactions",
    require_positive: bool = False,
) -> pd.DataFrame:
    """Check a transaction log in the crmlab schema and return a clean copy.

    The schema is ``customer_id`` (any non-missing key), ``date`` (datetime64
    or parseable text) and ``amount`` (finite number); extra columns are kept.
    The copy has ``date`` as ``datetime64[ns]`` and ``amount`` as float64.
    Rows are never dropped or reordered.

    Parameters
    ----------
    transactions : DataFrame
        The log, e.g. from :func:`crmlab.datasets.load_cdnow`.
    what : str
        Name used in error messages.
    require_positive : bool
        Also reject zero or negative amounts.

    Raises
    ------
    DataError
        Not a DataFrame, empty, a missing column, a missing customer id, an
        unparseable or missing date, or a bad amount; the message names
        column, row and value.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-31"], "amount": [3]})
    >>> validate_transactions(log).dtypes["date"]
    dtype('<M8[ns]')
    """
    df = require_columns(transactions, TRANSACTION_COLUMNS, what=what)
    if len(df) == 0:
        raise DataError(f"{what} is empty: at least one transaction row is needed")
    out = df.copy()
    pos = first_bad(out["customer_id"].isna())
    if pos is not None:
        raise DataError(
            f"{what}: column 'customer_id', {_describe_row(out, pos)}: customer id is missing"
        )
    date = out["date"]
    if not pd.api.types.is_datetime64_any_dtype(date):
        parsed = pd.to_datetime(date, errors="coerce", format="ISO8601")
        if (parsed.isna() & date.notna()).any():  # not ISO: one format inferred from the column
            parsed = pd.to_datetime(date, errors="coerce")
        bad = parsed.isna() & date.notna()
        pos = first_bad(bad)
        if pos is not None:
            raise DataError(
                f"{what}: column 'date', {_describe_row(out, pos)}: "
                f"{date.iloc[pos]!r} is not a date; expected e.g. '2024-01-31'"
            )
        date = parsed
    if getattr(date.dt, "tz", None) is not None:
        date = date.dt.tz_localize(None)  # keep local wall time: the purchase day as the customer saw it
    pos = first_bad(date.isna())
    if pos is not None:
        raise DataError(f"{what}: column 'date', {_describe_row(out, pos)}: date is missing")
    out["date"] = date.astype("datetime64[ns]")
    out["amount"] = check_numeric_column(
        out,
        "amount",
        what=what,
        min_value=0.0 if require_positive else None,
        min_inclusive=False,
    )
    return out


def check_number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> float:
    """Validate a scalar parameter and return it as float (or int).

    Accepted: a real number (Python ``int``/``float``/``Fraction``, a numpy
    integer or floating scalar, or a 0-d numeric array holding one), finite,
    whose size fits a float (about 1.8e308), inside the bounds. Everything
    else raises :class:`~crmlab.errors.ParameterError` naming ``name``: NaN,
    ±inf, ``None``, booleans, text (``"3"`` is text, not a number), complex
    numbers, arrays of more than one value, integers too large for a float.

    >>> check_number(0.1, "discount", low=0, high=1)
    0.1
    >>> check_number(2, "n", low=1, integer=True)
    2
    >>> check_number(float("nan"), "SEED")
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: SEED must be a finite number, got nan
    """
    kind = f"{'whole ' if integer else ''}number"
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]  # a 0-d numeric array is its one value
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, (numbers.Real, np.integer, np.floating))
    ):
        raise ParameterError(
            f"{name} must be a {kind}, got {_short(value)} ({type(value).__name__})"
        )
    try:
        as_float = float(value)
    except (OverflowError, ValueError, TypeError):
        raise ParameterError(
            f"{name} must be a {kind} of at most about 1.8e308 in size, got {_short(value)}"
        ) from None
    if not math.isfinite(as_float):
        raise ParameterError(f"{name} must be a finite number, got {_short(value)}")
    if integer and as_float != math.floor(as_float):
        raise ParameterError(f"{name} must be a whole number, got {_short(value)}")
    if low is not None and (as_float < low or (not low_inclusive and as_float == low)):
        raise ParameterError(
            f"{name} must be {'>=' if low_inclusive else '>'} {low}, got {_short(value)}"
        )
    if high is not None and (as_float > high or (not high_inclusive and as_float == high)):
        raise ParameterError(
            f"{name} must be {'<=' if high_inclusive else '<'} {high}, got {_short(value)}"
        )
    if integer:
        return int(value) if isinstance(value, (int, np.integer)) else int(as_float)
    return as_float


def _short(value: Any, limit: int = 40) -> str:
    """``repr(value)`` cut to ``limit`` characters (huge numbers, long text)."""
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_probability(value: Any, name: str, *, allow_one: bool = True) -> float:
    """A number in [0, 1] (or [0, 1) when ``allow_one`` is False).

    >>> check_probability(0.8, "retention")
    0.8
    """
    return check_number(value, name, low=0.0, high=1.0, high_inclusive=allow_one)


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Check ``value`` is one of ``choices``.

    >>> check_choice("M", "period", ["D", "W", "M"])
    'M'
    """
    try:
        known = value in choices
    except (TypeError, ValueError):  # arrays, frames: no single truth value
        known = False
    if isinstance(value, (bool, np.bool_)) and not any(isinstance(c, (bool, np.bool_)) for c in choices):
        known = False  # True == 1, but True is not the choice 1
    if not isinstance(known, (bool, np.bool_)) or not known:
        raise ParameterError(f"{name} must be one of {list(choices)}, got {_short(value)}")
    return value


def as_float_array(values: Any, name: str, *, allow_nan: bool = False) -> np.ndarray:
    """Convert array-like input to a float64 ndarray, naming the first bad entry.

    Numbers (and numeric text such as ``"0.1"``) are accepted; booleans,
    complex numbers, values too large for a float, NaN (unless ``allow_nan``)
    and ±inf raise :class:`~crmlab.errors.ParameterError` naming ``name`` and
    the position.

    >>> as_float_array([1, 2], "x").dtype
    dtype('float64')
    >>> as_float_array([1, True], "x")
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: x[1] = True is a boolean; expected a number
    """
    if isinstance(values, (bool, np.bool_)) or (
        isinstance(values, np.ndarray) and values.dtype.kind == "b"
    ):
        raise ParameterError(f"{name} = {_short(values)} is a boolean; expected a number")
    if isinstance(values, (pd.Series, pd.Index)) and pd.api.types.is_bool_dtype(values):
        raise ParameterError(f"{name} holds booleans; expected numbers")
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError):  # ragged nesting
        raise ParameterError(f"{name} could not be read as numbers (ragged or nested input)") from None
    if raw.dtype.kind in "cO" or isinstance(values, (list, tuple)):
        items = np.asarray(values, dtype=object).ravel() if raw.dtype.kind != "O" else raw.ravel()
        for i, v in enumerate(items):
            if isinstance(v, (bool, np.bool_)):
                raise ParameterError(f"{name}[{i}] = {v!r} is a boolean; expected a number")
            if isinstance(v, (complex, np.complexfloating)):
                raise ParameterError(f"{name}[{i}] = {_short(v)} is complex; expected a real number")
    try:
        arr = np.asarray(values, dtype="float64")
    except (TypeError, ValueError, OverflowError):
        flat = np.asarray(values, dtype=object).ravel()
        for i, v in enumerate(flat):
            try:
                float(v)
            except OverflowError:
                raise ParameterError(
                    f"{name}[{i}] = {_short(v)} is too large; expected a number of at most "
                    "about 1.8e308 in size"
                ) from None
            except (TypeError, ValueError):
                raise ParameterError(
                    f"{name}[{i}] = {_short(v)} is not a number"
                ) from None
        raise ParameterError(f"{name} could not be read as numbers") from None
    if not allow_nan and np.isnan(arr).any():
        i = int(np.flatnonzero(np.isnan(arr.ravel()))[0])
        raise ParameterError(f"{name}[{i}] is NaN; expected a number")
    if np.isinf(arr).any():
        i = int(np.flatnonzero(np.isinf(arr.ravel()))[0])
        raise ParameterError(f"{name}[{i}] is infinite; expected a finite number")
    return arr


def check_date(value: Any, name: str, *, normalize: bool = True) -> pd.Timestamp:
    """Parse a date parameter (``as_of``, ``calibration_end`` …) or raise naming it.

    Time-zone-aware values keep their local wall time (as in
    :func:`validate_transactions`); ``normalize`` drops the time of day.

    >>> check_date("1998-06-30 14:00", "as_of")
    Timestamp('1998-06-30 00:00:00')
    >>> check_date("soon", "as_of")
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: as_of must be a date such as '1998-06-30', got 'soon'

    A number or boolean is refused (``pd.Timestamp(1997)`` would silently be
    1997 nanoseconds after 1970-01-01).
    """
    if isinstance(value, (numbers.Number, np.number, np.bool_)) or (
        isinstance(value, np.ndarray) and value.dtype.kind in "biufc"
    ):
        raise ParameterError(
            f"{name} must be a date such as '1998-06-30', got {_short(value)} "
            f"({type(value).__name__}); a number is not read as a date"
        )
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a date such as '1998-06-30', got {value!r}") from None
    if ts is pd.NaT or pd.isna(ts):
        raise ParameterError(f"{name} must be a date such as '1998-06-30', got {value!r}")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize() if normalize else ts


def as_finite_vector(values: Any, name: str, *, empty_hint: str = "") -> np.ndarray:
    """One-dimensional, non-empty array of finite floats, or a :class:`DataError`.

    >>> as_finite_vector([1, 2.5], "values").tolist()
    [1.0, 2.5]
    >>> as_finite_vector([1, float("nan")], "values")
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: values[1] = nan is not a finite number
    """
    try:
        x = np.asarray(values, dtype="float64")
    except (TypeError, ValueError, OverflowError):
        raise DataError(f"{name} must be numbers of at most about 1.8e308 in size") from None
    if np.asarray(values).dtype.kind == "b":
        raise DataError(f"{name} holds booleans; expected numbers")
    if x.ndim != 1:
        raise DataError(f"{name} must be one-dimensional, got shape {x.shape}")
    if len(x) == 0:
        raise DataError(f"{name} is empty" + (f": {empty_hint}" if empty_hint else ""))
    bad = ~np.isfinite(x)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(f"{name}[{i}] = {x[i]} is not a finite number")
    return x


def check_optional_date(value: Any, name: str) -> pd.Timestamp | None:
    """``None`` (derive the date from the data) or a date parameter parsed by :func:`check_date`.

    >>> check_optional_date(None, "AS_OF") is None
    True
    >>> check_optional_date("1998-06-30", "AS_OF")
    Timestamp('1998-06-30 00:00:00')
    """
    return None if value is None else check_date(value, name)


def check_parameter_names(namespace: dict[str, Any], known: Iterable[str]) -> None:
    """Stop a notebook run on a misspelled papermill parameter (``-p DATA_PTH …``).

    Papermill injects unknown names without complaint; a notebook calls this
    first in its validation cell with the names of its parameters cell. Every
    upper-case global that is not a known parameter is reported.

    >>> check_parameter_names({"SEED": 1}, ["SEED"])
    >>> check_parameter_names({"SEED": 1, "SEDD": 2}, ["SEED"])
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: unknown parameter 'SEDD' (did you mean 'SEED'?); this notebook's parameters are ['SEED']
    """
    import difflib
    import types

    known = list(known)
    for name, value in list(namespace.items()):
        if not name.isupper() or name.startswith("_") or name in known:
            continue
        if isinstance(value, (types.ModuleType, type, types.FunctionType)):
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        raise ParameterError(
            f"unknown parameter {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
            + f"; this notebook's parameters are {known}"
        )
