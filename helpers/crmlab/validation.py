"""Input checks shared by every crmlab module.

The functions here turn bad input into a :class:`~crmlab.errors.DataError` or
:class:`~crmlab.errors.ParameterError` whose message names the column, the
first offending row (0-based position in the frame, plus its index label) and
the value, and says what was expected. Chapter modules call them instead of
letting a raw pandas/numpy traceback escape.

One validator per kind of value (a module that needs one of these kinds calls
it rather than writing its own ``if ... raise``):

=====================================  ===========================================
kind of value                          validator
=====================================  ===========================================
one number (a parameter; a count is    :func:`check_number` (``low``/``high``,
a whole number)                        ``integer=True``)
numbers in an array (a parameter)      :func:`as_float_array` (same bounds and
                                       wording as :func:`check_number`)
a data vector (1-D, non-empty)         :func:`as_finite_vector` (the rules of
                                       :func:`as_float_array`, as a DataError)
a column of a frame                    :func:`check_numeric_column`
a share or probability in [0, 1]       :func:`check_rate` (arrays too);
                                       :func:`check_probability` for one number
a discount rate per period             :func:`check_discount`
a date parameter                       :func:`check_date`,
                                       :func:`check_optional_date`
a date column of a frame               :func:`check_date_column`
one of a few options                   :func:`check_choice`
a customer id                          :func:`customer_id_problem` (one value),
                                       :func:`id_text` (written as text),
                                       :func:`check_customer_ids` (a column)
a transaction log                      :func:`validate_transactions`
=====================================  ===========================================

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
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import DataError, ParameterError

__all__ = [
    "TRANSACTION_COLUMNS",
    "require_columns",
    "did_you_mean",
    "missing_columns_message",
    "describe_row",
    "first_bad",
    "check_numeric_column",
    "validate_transactions",
    "check_number",
    "check_probability",
    "check_rate",
    "check_discount",
    "check_choice",
    "as_float_array",
    "check_broadcast",
    "as_finite_vector",
    "check_date",
    "check_optional_date",
    "check_date_column",
    "check_parameter_names",
    "MISSING_TEXT",
    "ID_STRIP_CHARS",
    "ZERO_FRACTION_ID",
    "id_text",
    "number_hint",
    "MAX_MONEY_TOTAL",
    "DATE_MIN",
    "DATE_MAX",
    "DATE_RANGE_TEXT",
    "MAX_DAYS",
    "excerpt",
    "customer_id_problem",
    "check_customer_ids",
    "first_out_of_range",
    "check_money_total",
]

#: The one schema every loader returns and every chapter function accepts.
TRANSACTION_COLUMNS: tuple[str, ...] = ("customer_id", "date", "amount")


def describe_row(df: pd.DataFrame | pd.Series, pos: int) -> str:
    """Name row ``pos`` of ``df`` for an error message, with its index label when that differs.

    >>> describe_row(pd.DataFrame({"a": [1, 2]}), 1)
    'row 1'
    >>> describe_row(pd.DataFrame({"a": [1, 2]}, index=["x", "y"]), 1)
    "row 1 (index 'y')"
    """
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
        have = [str(x) for x in df.columns]
        raise DataError(
            f"{what} is missing column(s) {', '.join(did_you_mean(c, have) for c in missing)}; "
            f"it has {have}"
        )
    return df


def did_you_mean(name: Any, choices: Sequence[str]) -> str:
    """``repr(name)``, followed by the closest of ``choices`` when one is close (a typo).

    >>> did_you_mean("amout", ["amount", "date"]), did_you_mean("x", ["amount"])
    ("'amout' (did you mean 'amount'?)", "'x'")
    """
    import difflib

    close = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0.6)
    return f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


def missing_columns_message(what: str, missing: Sequence[str], columns: Sequence[str]) -> str:
    """The loader's and the SQL engines' message for columns a source lacks (typos hinted).

    The header is shown escaped and cut: at most 12 names of at most 30 characters.

    >>> print(missing_columns_message("log.csv", ["amout"], ["customer_id", "amount"]))
    log.csv is missing column(s) 'amout' (did you mean 'amount'?); its header has ["'customer_id'", "'amount'"]
    """
    columns = list(columns)
    shown = columns if len(columns) <= 12 else columns[:12] + ["…"]
    hints = ", ".join(did_you_mean(c, columns) for c in missing)
    return f"{what} is missing column(s) {hints}; its header has {[excerpt(c, 30) for c in shown]}"


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
                    f"{what}: column {column!r}, {describe_row(df, pos)}: "
                    f"{excerpt(raw.iloc[pos])} {expected}; expected a number"
                )
    try:
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
    except (OverflowError, TypeError, ValueError):
        for pos, v in enumerate(raw):
            try:
                float(v)
            except OverflowError:
                raise DataError(
                    f"{what}: column {column!r}, {describe_row(df, pos)}: {excerpt(v)} is too "
                    "large; expected a number of at most about 1.8e308 in size"
                ) from None
            except (TypeError, ValueError):
                continue
        raise DataError(f"{what}: column {column!r} could not be read as numbers") from None
    bad = values.isna() & raw.notna()
    pos = first_bad(bad)
    if pos is not None:
        raise DataError(
            f"{what}: column {column!r}, {describe_row(df, pos)}: "
            f"{raw.iloc[pos]!r} is not a number"
        )
    if not allow_nan:
        pos = first_bad(values.isna())
        if pos is not None:
            raise DataError(
                f"{what}: column {column!r}, {describe_row(df, pos)}: value is missing (NaN)"
            )
    pos = first_bad(np.isinf(values.to_numpy()))
    if pos is not None:
        raise DataError(
            f"{what}: column {column!r}, {describe_row(df, pos)}: "
            f"{values.iloc[pos]} is infinite; expected a finite number"
        )
    if min_value is not None:
        below = values < min_value if min_inclusive else values <= min_value
        pos = first_bad(below.fillna(False))
        if pos is not None:
            op = ">=" if min_inclusive else ">"
            raise DataError(
                f"{what}: column {column!r}, {describe_row(df, pos)}: "
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
        Not a DataFrame, empty, a missing or doubled column, a missing or
        unusable customer id (see :func:`check_customer_ids`), an unparseable,
        numeric, missing or out-of-range (outside 1678-2261) date, a bad or
        complex amount, or amounts whose absolute sum passes
        :data:`MAX_MONEY_TOTAL`; the message names column, row and value.
        These are the rules :func:`crmlab.datasets.load_transactions` applies,
        so a frame that bypasses the loader cannot bypass them.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-31"], "amount": [3]})
    >>> validate_transactions(log).dtypes["date"]
    dtype('<M8[ns]')
    """
    df = require_columns(transactions, TRANSACTION_COLUMNS, what=what)
    doubled = [c for c in TRANSACTION_COLUMNS if list(df.columns).count(c) > 1]
    if doubled:
        raise DataError(f"{what} has two columns named {doubled[0]!r}; rename one so it is clear "
                        "which one holds the data")
    if len(df) == 0:
        raise DataError(f"{what} is empty: at least one transaction row is needed")
    out = df.copy()
    check_customer_ids(out["customer_id"], what=what)
    out["date"] = check_date_column(out, what)
    if pd.api.types.is_complex_dtype(out["amount"]):
        raise DataError(f"{what}: column 'amount' holds complex numbers; expected real amounts of money")
    out["amount"] = check_numeric_column(
        out,
        "amount",
        what=what,
        min_value=0.0 if require_positive else None,
        min_inclusive=False,
    )
    check_money_total(out["amount"].to_numpy(), what=what, column="amount",
                      where=lambda i: describe_row(out, i))
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
            f"{name} must be a {kind}, got {excerpt(value)} ({type(value).__name__})"
        )
    try:
        as_float = float(value)
    except (OverflowError, ValueError, TypeError):
        raise ParameterError(
            f"{name} must be a {kind} of at most about 1.8e308 in size, got {excerpt(value)}"
        ) from None
    if not math.isfinite(as_float):
        raise ParameterError(f"{name} must be a finite number, got {excerpt(value)}")
    _check_bounds(np.asarray(as_float), name, low, high, low_inclusive, high_inclusive, integer,
                  shown=value)
    if integer:
        return int(value) if isinstance(value, (int, np.integer)) else int(as_float)
    return as_float


def _check_bounds(
    arr: np.ndarray,
    name: str,
    low: float | None,
    high: float | None,
    low_inclusive: bool,
    high_inclusive: bool,
    integer: bool,
    *,
    shown: Any = None,
) -> None:
    """The bound and whole-number rules of :func:`check_number`, for one number or an array.

    The message names the first bad entry (``name[i]`` in an array) and its value
    (``shown`` for a scalar: the value as the caller gave it).
    """
    rules = []
    if integer:
        rules.append((arr != np.floor(arr), "a whole number"))
    if low is not None:
        rules.append((arr < low if low_inclusive else arr <= low,
                      f"{'>=' if low_inclusive else '>'} {low}"))
    if high is not None:
        rules.append((arr > high if high_inclusive else arr >= high,
                      f"{'<=' if high_inclusive else '<'} {high}"))
    for bad, expected in rules:
        if bad.any():
            if arr.ndim == 0:
                raise ParameterError(f"{name} must be {expected}, got {excerpt(shown)}")
            i = int(np.flatnonzero(bad.ravel())[0])
            raise ParameterError(f"{name}[{i}] must be {expected}, got {excerpt(float(arr.ravel()[i]))}")


def check_probability(value: Any, name: str, *, allow_one: bool = True) -> float:
    """One number in [0, 1] (or [0, 1) when ``allow_one`` is False).

    The scalar form of :func:`check_rate` (the one home of the [0, 1] rule):
    the value must first pass :func:`check_number`, so an array is refused.

    >>> check_probability(0.8, "retention")
    0.8
    """
    check_number(value, name)
    return float(check_rate(value, name, allow_one=allow_one))


def _percent_hint(value: float) -> str:
    return f"did you type a percentage? {value:g} means {100 * value:g}%; write {value / 100:g}"


def check_rate(value: Any, name: str = "retention", *, allow_one: bool = False) -> Any:
    """A share per period (retention, churn, a profit share) in [0, 1), or [0, 1] with ``allow_one``.

    The one home of the [0, 1] rule: probabilities are checked here too
    (:func:`check_probability` is its one-number form). A discount rate is
    another kind (:func:`check_discount`). The number rules are
    :func:`as_float_array`'s. Scalars and arrays are accepted; the result is a
    float or a float64 array.
    A value above 1 is refused with a hint that it may be a percentage.

    >>> check_rate(0.8)
    0.8
    >>> check_rate([0.5, 1.0], allow_one=True).tolist()
    [0.5, 1.0]
    >>> check_rate(80, "retention")
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: retention must be a share in [0, 1), got 80: did you type a percentage? 80 means 8000%; write 0.8
    """
    arr = as_float_array(value, name)
    bad = (arr < 0) | (arr > 1) | ((arr == 1) & (not allow_one))
    if bad.any():
        v = float(arr[bad].ravel()[0])
        interval = "[0, 1]" if allow_one else "[0, 1)"
        raise ParameterError(
            f"{name} must be a share in {interval}, got {v:g}" + (f": {_percent_hint(v)}" if v > 1 else "")
        )
    return float(arr) if arr.ndim == 0 else arr


def check_discount(value: Any, name: str = "discount", *, high: float = 1.0) -> Any:
    """A discount rate per period in [0, ``high``) (default [0, 1): 0.10 is 10% per period).

    The one validator of discount rates (every ``discount`` argument in crmlab);
    its number rules are :func:`as_float_array`'s.

    Scalars and arrays are accepted; the result is a float or a float64 array.
    A rate of 1 or more is refused with a hint that it may be a percentage;
    pass a larger ``high`` (e.g. ``np.inf``) where rates above 100% are
    meant, such as a search for a break-even rate.

    >>> check_discount(0.1)
    0.1
    >>> check_discount(10)
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: discount must be a rate per period in [0, 1), got 10: did you type a percentage? 10 means 1000%; write 0.1
    """
    if isinstance(high, bool) or not isinstance(high, numbers.Real) or not high > 0:
        raise ParameterError(f"the bound on {name} (max_rate) must be a number > 0 or np.inf, got {high!r}")
    arr = as_float_array(value, name)
    if (arr < 0).any():
        v = float(arr[arr < 0].ravel()[0])
        raise ParameterError(f"{name} must be a rate per period >= 0 (0.10 for 10%), got {v:g}")
    if (arr >= high).any():
        v = float(arr[arr >= high].ravel()[0])
        raise ParameterError(
            f"{name} must be a rate per period in [0, {high:g}), got {v:g}"
            + (f": {_percent_hint(v)}" if high == 1 else "")
        )
    return float(arr) if arr.ndim == 0 else arr


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
        raise ParameterError(f"{name} must be one of {list(choices)}, got {excerpt(value)}")
    return value


def as_float_array(
    values: Any,
    name: str,
    *,
    allow_nan: bool = False,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> np.ndarray:
    """Convert numbers (one or an array: a parameter) to a float64 ndarray, naming the first bad entry.

    The array form of :func:`check_number`, with the same rules: real numbers
    are accepted; booleans, text (``"0.1"`` is text, not a number), complex
    numbers, values too large for a float, NaN (unless ``allow_nan``) and ±inf
    raise :class:`~crmlab.errors.ParameterError` naming ``name`` and the
    position. ``low``/``high`` (inclusive unless ``low_inclusive`` /
    ``high_inclusive`` is False) and ``integer`` (whole numbers, e.g. counts of
    periods) bound every entry, in :func:`check_number`'s wording. The shape
    is kept.

    >>> as_float_array([1, 2], "x").dtype
    dtype('float64')
    >>> as_float_array([1, True], "x")
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: x[1] = True is a boolean; expected a number
    >>> as_float_array([3, -1], "t", low=0, integer=True)
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: t[1] must be >= 0, got -1.0
    """
    if isinstance(values, (bool, np.bool_)) or (
        isinstance(values, np.ndarray) and values.dtype.kind == "b"
    ):
        raise ParameterError(f"{name} = {excerpt(values)} is a boolean; expected a number")
    if isinstance(values, (pd.Series, pd.Index)) and pd.api.types.is_bool_dtype(values):
        raise ParameterError(f"{name} holds booleans; expected numbers")
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError):  # ragged nesting
        raise ParameterError(f"{name} could not be read as numbers (ragged or nested input)") from None
    if raw.ndim == 0 and raw.dtype.kind in "SUO" and isinstance(raw[()], (str, bytes)):
        raise ParameterError(
            f"{name} must be a number, got {excerpt(raw.item())} (text is not read as a number)"
        )
    if raw.dtype.kind in "cOSU" or isinstance(values, (list, tuple)):
        items = np.asarray(values, dtype=object).ravel() if raw.dtype.kind != "O" else raw.ravel()
        for i, v in enumerate(items):
            if isinstance(v, (bool, np.bool_)):
                raise ParameterError(f"{name}[{i}] = {v!r} is a boolean; expected a number")
            if isinstance(v, (complex, np.complexfloating)):
                raise ParameterError(f"{name}[{i}] = {excerpt(v)} is complex; expected a real number")
            if isinstance(v, (str, bytes)):
                raise ParameterError(f"{name}[{i}] = {excerpt(v)} is text; expected a number")
    try:
        arr = np.asarray(values, dtype="float64")
    except (TypeError, ValueError, OverflowError):
        flat = np.asarray(values, dtype=object).ravel()
        for i, v in enumerate(flat):
            try:
                float(v)
            except OverflowError:
                raise ParameterError(
                    f"{name}[{i}] = {excerpt(v)} is too large; expected a number of at most "
                    "about 1.8e308 in size"
                ) from None
            except (TypeError, ValueError):
                raise ParameterError(
                    f"{name}[{i}] = {excerpt(v)} is not a number"
                ) from None
        raise ParameterError(f"{name} could not be read as numbers") from None
    if not allow_nan and np.isnan(arr).any():
        i = int(np.flatnonzero(np.isnan(arr.ravel()))[0])
        raise ParameterError(f"{name}[{i}] = nan is missing (NaN); expected a number")
    if np.isinf(arr).any():
        i = int(np.flatnonzero(np.isinf(arr.ravel()))[0])
        raise ParameterError(f"{name}[{i}] = {arr.ravel()[i]} is infinite; expected a finite number")
    _check_bounds(arr, name, low, high, low_inclusive, high_inclusive, integer, shown=values)
    return arr


def check_broadcast(names: Sequence[str], *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Broadcast arrays that go together (one per name), or raise naming their shapes.

    >>> [a.tolist() for a in check_broadcast(["m", "r"], np.array([1.0, 2.0]), np.array(0.5))]
    [[1.0, 2.0], [0.5, 0.5]]
    """
    try:
        return tuple(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(a)}" for n, a in zip(names, arrays))
        raise ParameterError(
            f"array arguments have mismatched lengths/shapes that cannot be broadcast: {shapes}"
        ) from None


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
            f"{name} must be a date such as '1998-06-30', got {excerpt(value)} "
            f"({type(value).__name__}); a number is not read as a date"
        )
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a date such as '1998-06-30', got {excerpt(value)}") from None
    if ts is pd.NaT or pd.isna(ts):
        raise ParameterError(f"{name} must be a date such as '1998-06-30', got {excerpt(value)}")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize() if normalize else ts


def as_finite_vector(values: Any, name: str, *, empty_hint: str = "") -> np.ndarray:
    """A data vector (one value per customer): one-dimensional, non-empty, finite floats.

    The number rules are :func:`as_float_array`'s (booleans, text, complex,
    NaN, ±inf and too-large values are named with their position); as the
    values are data, not a parameter, a :class:`DataError` is raised. A
    vector must also be 1-D and hold at least one value (``empty_hint`` says
    why that matters to the caller).

    >>> as_finite_vector([1, 2.5], "values").tolist()
    [1.0, 2.5]
    >>> as_finite_vector([1, float("nan")], "values")
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: values[1] = nan is missing (NaN); expected a number
    """
    try:
        x = as_float_array(values, name)
    except ParameterError as exc:
        raise DataError(str(exc)) from None
    if x.ndim != 1:
        raise DataError(f"{name} must be one-dimensional, got shape {x.shape}")
    if len(x) == 0:
        raise DataError(f"{name} is empty" + (f": {empty_hint}" if empty_hint else ""))
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
    import types

    known = list(known)
    for name, value in list(namespace.items()):
        if not name.isupper() or name.startswith("_") or name in known:
            continue
        if isinstance(value, (types.ModuleType, type, types.FunctionType)):
            continue
        raise ParameterError(
            f"unknown parameter {did_you_mean(name, known)}; this notebook's parameters are {known}"
        )


# --------------------------------------------------------------------------- log values
# One home for the rules on customer ids, dates and money that the loader
# (crmlab.datasets.load_transactions) and validate_transactions (raw frames passed
# straight to the summaries) share: what the loader refuses, a raw frame cannot slip past.

#: Cell text that means "no value" (compared after stripping and lower-casing).
MISSING_TEXT: frozenset[str] = frozenset(
    {"", "nan", "na", "n/a", "null", "none", "nat", "#n/a", "#na", "#null!", "#value!", "#ref!"}
)
#: Largest sum of absolute amounts crmlab adds up: 2**53 cents. Beyond it float64 sums
#: cannot hold every cent (and two amounts near 1e308 would even sum to inf).
MAX_MONEY_TOTAL: float = 2.0**53 / 100
#: Dates crmlab stores (datetime64[ns] holds 1677-09-22 .. 2262-04-11): whole years 1678-2261.
DATE_MIN: pd.Timestamp = pd.Timestamp("1678-01-01")
DATE_MAX: pd.Timestamp = pd.Timestamp("2262-01-01")  # exclusive
#: How messages name that range.
DATE_RANGE_TEXT: str = f"the supported years {DATE_MIN.year}-{DATE_MAX.year - 1}"
#: The most days a span of dates can have (the supported range): the upper bound of every
#: day-count parameter (thresholds, windows), so none overflows a date or a Timedelta.
MAX_DAYS: int = (DATE_MAX - DATE_MIN).days


def _date_range_error(name: str, place: str, shown: str) -> DataError:
    """A date datetime64[ns] cannot hold, named (validation, the loader and the engines).

    ``place`` is the column and row, ``shown`` the value as written.
    """
    return DataError(f"{name}: {place}: {shown} is outside {DATE_RANGE_TEXT}; a placeholder such as "
                     "9999-12-31? fix or remove the row")


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000"
#: Characters stripped from around an id written as text (spaces, also invisible ones).
ID_STRIP_CHARS: str = " \t\r\n\v\f" + _INVISIBLE
#: An id written as a whole number with a zero fraction (a spreadsheet's ``17850.0``).
ZERO_FRACTION_ID: str = r"[-+]?\d+\.0+"
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ZERO_FRACTION = re.compile(ZERO_FRACTION_ID)


def id_text(text: str) -> str:
    """The one rule for an id written as text, used by the loader and by pseudonymisation.

    Surrounding spaces (also invisible ones) are stripped, and a whole number written
    with a zero fraction is that whole number: ``" 17850.0 "`` is ``"17850"``. Case,
    leading zeros and everything else are kept (``"007"`` and ``"7"`` stay distinct).

    >>> id_text(" 17850.0 "), id_text("007"), id_text("A1")
    ('17850', '007', 'A1')
    """
    text = text.strip(ID_STRIP_CHARS)
    return text.partition(".")[0] if _ZERO_FRACTION.fullmatch(text) else text


def excerpt(value: Any, limit: int = 40) -> str:
    """A short, escaped excerpt of a bad value for an error message (never a whole line).

    >>> excerpt("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxx'"
    """
    text = repr(value)
    if "\n" in text:  # an array or a Series: one line, its alignment spaces collapsed
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def number_hint(value: Any, *, missing: bool = False, infinite: bool = False) -> str:
    """Why a cell of an amount column is not a number, as a hint to append to an error.

    The loader and the SQL engines give the same hint: missing value, a number too
    large to sum to the cent, a currency sign, digit grouping or a decimal comma.
    Empty when no reason is recognised.

    >>> number_hint("$10.00")
    '; it carries a currency sign — pass currency_symbols=True'
    >>> number_hint("12,50")
    "; it looks like a decimal comma — pass decimal=','"
    """
    text = str(value)
    low = text.strip().lower().lstrip("+-")
    if missing or low in MISSING_TEXT:
        return "; the value is missing"
    if (infinite or low in {"inf", "infinity"} or low.startswith("1e")
            or re.fullmatch(r"\d{16,}(\.\d*)?", low)):
        return "; expected a finite number below 1e15 (sums of larger values lose every cent)"
    if re.search(r"[$€£¥￥元]|(?i:rmb|cny|usd|eur|gbp)", text):
        return "; it carries a currency sign — pass currency_symbols=True"
    if re.search(r"\d[,.\s]\d{3}", text):
        return "; it looks like it has a thousands separator — pass thousands=','"
    if re.fullmatch(r"\s*-?\d+,\d{1,2}\s*", text):
        return "; it looks like a decimal comma — pass decimal=','"
    return ""


def customer_id_problem(value: Any, *, stripped: bool = False) -> tuple[str, str] | None:
    """Why one customer id cannot identify a customer: ``(kind, reason)`` or None.

    ``kind`` is ``"missing"`` (no id: a guest checkout, which
    ``missing_customer="drop"`` may leave out) or ``"bad"`` (never accepted):
    booleans, fractional or inexact floats (beyond 2**53), bytes and other
    non-scalar objects, text with control characters, and — unless the caller
    strips it (``stripped=True``), as the loader and pseudonymisation do and
    count — text with spaces around it (``"a "`` and ``"a"`` would be two
    customers).

    >>> customer_id_problem(17850), customer_id_problem(" ")[0], customer_id_problem(True)[0]
    (None, 'missing', 'bad')
    """
    if isinstance(value, str):  # the usual case first (the rule runs once per distinct id)
        text = value.strip(ID_STRIP_CHARS)
        if text.lower() in MISSING_TEXT:
            return "missing", "is missing"
        if _CONTROL_CHARS.search(text if stripped else value):
            return "bad", "contains a control character (a line break or a tab?)"
        if not stripped and text != value:
            return "bad", ("has spaces around it, so it would differ from the same id without them; "
                           "strip the ids (load_transactions does, and counts them)")
        return None
    if value is None or value is pd.NA or value is pd.NaT:
        return "missing", "is missing"
    if isinstance(value, (bool, np.bool_)):
        return "bad", "is a boolean, not a customer id (the wrong column?)"
    if isinstance(value, (int, np.integer)):
        return None
    if isinstance(value, (float, np.floating)):
        if value != value:
            return "missing", "is missing"
        if not math.isfinite(value):
            return "bad", "is infinite; customer ids must be whole numbers or text"
        if value % 1 != 0:
            return "bad", "is a fractional number; customer ids must be whole numbers or text"
        if abs(value) >= 2**53:
            return "bad", "is a float beyond 2**53, where distinct ids collide; store the ids as text"
        return None
    if isinstance(value, bytes):
        return "bad", "is bytes; decode the ids to text first"
    return "bad", f"is a {type(value).__name__}, not a customer id (text or a whole number)"


def check_customer_ids(ids: pd.Series, *, what: str = "transactions", column: str = "customer_id") -> None:
    """Refuse customer ids that cannot identify a customer (a raw frame's column).

    Every rule of :func:`customer_id_problem`, once per distinct id, plus: a
    column where one id is written both as a number and as text (``1`` and
    ``"1"`` would be two customers). Raises naming the row and an excerpt of
    the id.

    >>> check_customer_ids(pd.Series([1, 2, 1]))
    >>> check_customer_ids(pd.Series(["a", "nan"]))
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: transactions: column 'customer_id', row 1: customer id 'nan' is missing
    """
    if pd.api.types.is_bool_dtype(ids):
        raise DataError(f"{what}: column {column!r} holds booleans (True/False), not customer ids")
    if pd.api.types.is_integer_dtype(ids) and not ids.hasnans:
        return
    _, uniq, first = _distinct_ids(ids)
    u = pd.Series(uniq, dtype=object)
    if pd.api.types.infer_dtype(u, skipna=False) == "string":
        # all text (the usual case, millions of rows): the text rules vectorised, the rest per id
        core = u.str.strip(ID_STRIP_CHARS)
        suspect = (core.str.lower().isin(MISSING_TEXT) | (core != u)
                   | u.str.contains(_CONTROL_CHARS)).to_numpy()
        candidates = np.flatnonzero(suspect)
        kinds = {str}
    else:
        candidates = np.arange(len(u))
        kinds = {str if isinstance(v, str) else int for v in u}
    for k in candidates:
        problem = customer_id_problem(u.iloc[k])
        if problem is not None:
            raise DataError(
                f"{what}: column {column!r}, {describe_row(ids, int(first[k]))}: "
                f"customer id {excerpt(u.iloc[k])} {problem[1]}"
            )
    if len(kinds) > 1:
        # numbers and text side by side: refused where they spell the same id (1 and "1")
        numbers = {str(int(v)) for v in u if not isinstance(v, str)}
        clash = [k for k in range(len(u)) if isinstance(u.iloc[k], str) and u.iloc[k] in numbers]
        if clash:
            pos = int(first[clash[0]])
            raise DataError(
                f"{what}: column {column!r}, {describe_row(ids, pos)}: {excerpt(ids.iloc[pos])} is text "
                "while the same id is also a number (1 and '1' would be two customers); make the "
                "column one type"
            )


def _distinct_ids(ids: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An id column's distinct values in order of first appearance: ``(codes, values, first_rows)``.

    ``codes`` gives each row's value. Values of different types stay apart
    (``True``, ``1`` and ``1.0``, which Python calls equal, are three values) and
    an unhashable cell (a list) is a value of its own, so every id rule sees
    every value as written.

    >>> codes, values, first = _distinct_ids(pd.Series([1, True, 1, "1"], dtype=object))
    >>> codes.tolist(), values.tolist(), first.tolist()
    ([0, 1, 0, 2], [1, True, '1'], [0, 1, 3])
    """
    values = ids.to_numpy(dtype=object)
    keys: Any = ids.to_numpy() if pd.api.types.is_numeric_dtype(ids.dtype) else values
    if pd.api.types.infer_dtype(values) not in ("string", "integer", "floating", "boolean", "empty"):
        keys = pd.Series([_typed_key(v) for v in values], dtype=object)
    codes, _ = pd.factorize(keys, use_na_sentinel=False)
    first = np.empty(codes.max(initial=-1) + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return codes, values[first], first


def _typed_key(value: Any) -> tuple[type, Any]:
    try:
        hash(value)
    except TypeError:  # a list or a dict where an id belongs: a value of its own
        return type(value), id(value)
    return type(value), value


def first_out_of_range(dates: pd.Series) -> int | None:
    """Position of the first date outside :data:`DATE_MIN` .. :data:`DATE_MAX` (any resolution).

    >>> first_out_of_range(pd.Series(pd.to_datetime(["2024-01-01", "9999-12-31"], format="%Y-%m-%d")))
    1
    """
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return first_bad(((dates < DATE_MIN) | (dates >= DATE_MAX)).fillna(False).to_numpy())


def check_money_total(amounts: np.ndarray, *, what: str, column: str, where: Any = None) -> None:
    """Refuse amounts whose absolute sum exceeds :data:`MAX_MONEY_TOTAL` (cents would be lost).

    ``where(i)`` describes row ``i`` (default ``"row i"``); the row named is the
    one at which the running sum of absolute amounts passes the limit.

    >>> check_money_total(np.array([1e13, 5.0]), what="log", column="amount")
    >>> check_money_total(np.array([1e308, 1e308]), what="log", column="amount")
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: log: column 'amount', row 0: 1e+308 takes the sum of absolute amounts beyond 9.0e+13 (2**53 cents), where float64 sums lose cents; a wrong column (ids, phone numbers) or a value in the wrong unit?
    """
    values = np.asarray(amounts, dtype="float64")
    a = np.abs(values)
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(a.sum()) if len(a) else 0.0
        if total <= MAX_MONEY_TOTAL:
            return
        i = int(np.argmax(np.cumsum(a) > MAX_MONEY_TOTAL))
    place = where(i) if where is not None else f"row {i}"
    raise DataError(
        f"{what}: column {column!r}, {place}: {values[i]:.6g} takes the sum of absolute amounts beyond "
        f"{MAX_MONEY_TOTAL:.1e} (2**53 cents), where float64 sums lose cents; a wrong column (ids, "
        "phone numbers) or a value in the wrong unit?"
    )


def check_date_column(frame: pd.DataFrame, what: str = "data") -> pd.Series:
    """The ``date`` column of a frame (a log, an event table) as datetime64[ns], or a DataError.

    Text is parsed (ISO first, else one format inferred from the column);
    numbers are refused (``1.7e9`` would be read as nanoseconds after 1970),
    dates outside 1678-2261 are named (datetime64[ns] cannot hold them), a
    missing date is refused, and a time-zone-aware column keeps its local
    wall-clock time (the day the customer saw). Messages name the row and
    the value. The rule :func:`validate_transactions` applies to a log.

    >>> check_date_column(pd.DataFrame({"date": ["2024-01-31"]})).tolist()
    [Timestamp('2024-01-31 00:00:00')]
    >>> check_date_column(pd.DataFrame({"date": ["2024-01-31", "soon"]}), "events")
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: events: column 'date', row 1: 'soon' is not a date; expected e.g. '2024-01-31'
    """
    require_columns(frame, ["date"], what=what)
    date = frame["date"]
    if len(date) and (pd.api.types.is_bool_dtype(date) or pd.api.types.is_numeric_dtype(date)):
        raise DataError(
            f"{what}: column 'date', {describe_row(frame, 0)}: {excerpt(date.iloc[0])} is a number, not a "
            "date; convert it first (pd.to_datetime(..., format='%Y%m%d') or unit='s'), or load the "
            "data with load_transactions(date_format=...)"
        )
    if not pd.api.types.is_datetime64_any_dtype(date):
        kinds = date.map(lambda v: isinstance(v, (bool, int, float, np.number, np.bool_)) and v == v)
        pos = first_bad(kinds.to_numpy(dtype=bool))
        if pos is not None:
            raise DataError(
                f"{what}: column 'date', {describe_row(frame, pos)}: {excerpt(date.iloc[pos])} is a number, "
                "not a date; expected e.g. '2024-01-31'"
            )
        parsed = pd.to_datetime(date, errors="coerce", format="ISO8601")
        if (parsed.isna() & date.notna()).any():  # not ISO: one format inferred from the column
            parsed = pd.to_datetime(date, errors="coerce")
        bad = parsed.isna() & date.notna()
        pos = first_bad(bad)
        if pos is not None:
            raise DataError(
                f"{what}: column 'date', {describe_row(frame, pos)}: "
                f"{excerpt(date.iloc[pos])} is not a date; expected e.g. '2024-01-31'"
            )
        date = parsed
    pos = first_out_of_range(date)
    if pos is not None:
        raise _date_range_error(what, f"column 'date', {describe_row(frame, pos)}", excerpt(str(date.iloc[pos])))
    if getattr(date.dt, "tz", None) is not None:
        date = date.dt.tz_localize(None)  # keep local wall time: the purchase day as the customer saw it
    pos = first_bad(date.isna())
    if pos is not None:
        raise DataError(f"{what}: column 'date', {describe_row(frame, pos)}: date is missing")
    return date.astype("datetime64[ns]")
