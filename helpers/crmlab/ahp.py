"""Analytic hierarchy process (AHP, 层次分析法) for weighting customer-value indicators.

A complete, vectorised AHP toolkit:

* build reciprocal judgment matrices (判断矩阵) from an upper triangle
  (:func:`from_upper_triangle`) or from pairwise statements
  (:func:`from_statements`), and validate them (:func:`validate_matrix`);
* priority vectors by the principal eigenvector, the row geometric mean or the
  normalised column average ("sum method", 和法) (:func:`priority_vector`);
* consistency: λmax, CI = (λmax − n)/(n − 1), the random index RI by order
  (:data:`RANDOM_INDEX`, several published tables) and CR = CI/RI
  (:func:`analyze`), with the judgment whose revision most improves an
  inconsistent matrix (:func:`most_inconsistent_judgment`);
* hierarchies → global weights (:func:`global_weights`, :func:`plot_global_weights`);
* batch analysis of a stack of matrices (:func:`batch_analyze`) and a Monte Carlo
  random index (:func:`simulate_random_index`);
* recovery of 1–9-scale matrices from published weights (:func:`recover_judgments`);
* weighted composite scores (:func:`standardize`, :func:`composite_score`) and
  current × potential value segments (:func:`value_segments`).

Examples
--------
>>> res = analyze([[1, 3], [1/3, 1]])
>>> res.weights.round(4).tolist(), res.cr, res.consistent
([0.75, 0.25], 0.0, True)
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab.errors import ConvergenceError, DataError, ParameterError, warn
from crmlab.validation import (
    as_float_array,
    check_choice,
    check_number,
    check_numeric_column,
    require_columns,
)

__all__ = [
    "SAATY_SCALE",
    "RANDOM_INDEX",  # noqa: F822 (module __getattr__: read from datasets/ on first use)
    "METHODS",
    "JUDGMENT_RANGE",
    "AHPResult",
    "BatchResult",
    "Node",
    "validate_matrix",
    "from_upper_triangle",
    "from_statements",
    "consistent_matrix",
    "priority_vector",
    "lambda_max",
    "random_index",
    "analyze",
    "most_inconsistent_judgment",
    "saaty_step",
    "batch_analyze",
    "random_reciprocal_matrices",
    "simulate_random_index",
    "recover_judgments",
    "global_weights",
    "plot_global_weights",
    "standardize",
    "composite_score",
    "value_segments",
    "load_customers",
    "format_judgment",
]

#: Saaty's fundamental 1–9 scale with reciprocals, ascending (17 values).
SAATY_SCALE: tuple[float, ...] = tuple(
    [1 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)]
)

@functools.cache
def _random_index_tables() -> dict[str, dict[int, float]]:
    """The published random-index tables, read from ``datasets/seed_random_index.csv``."""
    from crmlab.datasets import load_seed_table

    t = load_seed_table("random_index").set_index("n")
    return {name: {int(n): float(v) for n, v in t[name].items()} for name in t.columns}


def __getattr__(name: str) -> Any:
    """``RANDOM_INDEX``: published RI tables by name and order n, read on first use.

    The tables and their sources (Saaty 1980, Saaty & Vargas 2012, Alonso &
    Lamata 2006) are in ``datasets/seed_random_index.csv``; orders 1 and 2 have
    RI = 0 (every 1×1 or 2×2 reciprocal matrix is consistent).
    """
    if name == "RANDOM_INDEX":
        return _random_index_tables()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Priority-vector methods accepted by :func:`priority_vector` and :func:`analyze`.
METHODS: tuple[str, ...] = ("eigenvector", "geometric_mean", "column_average")
Method = Literal["eigenvector", "geometric_mean", "column_average"]

_DEFAULT_RTOL = 1e-3
_MAX_RTOL = 0.1

#: Judgments crmlab accepts: ratios in [1e-6, 1e6]. Saaty's scale is 1/9..9; the
#: wider range admits ratio-scale data and matrices rebuilt from published
#: weights, and keeps the eigenvalue computation exact to ~1e-9 (λmax ≥ n holds).
JUDGMENT_RANGE: tuple[float, float] = (1e-6, 1e6)


# --------------------------------------------------------------------------- formatting
def format_judgment(value: float) -> str:
    """Write a judgment as Saaty writes it: ``'3'``, ``'1/5'`` or ``'2.5'``.

    >>> format_judgment(0.2), format_judgment(3.0), format_judgment(0.4)
    ('1/5', '3', '0.4')
    """
    v = float(value)
    for k in range(1, 10):
        if math.isclose(v, k, rel_tol=1e-9):
            return str(k)
        if math.isclose(v, 1 / k, rel_tol=1e-9):
            return f"1/{k}"
    return f"{v:.4g}"


def _label_list(labels: Any, n: int, what: str) -> list[Any] | None:
    if labels is None:
        return None
    out = list(labels)
    if len(out) != n:
        raise ParameterError(f"{what}: {len(out)} labels given for a {n}×{n} matrix")
    if len(set(map(str, out))) != n:
        raise ParameterError(f"{what}: labels must be distinct, got {out}")
    return out


# --------------------------------------------------------------------------- validation
def validate_matrix(
    matrix: Any,
    labels: Sequence[Any] | None = None,
    *,
    rtol: float = _DEFAULT_RTOL,
    what: str = "judgment matrix",
) -> tuple[np.ndarray, list[Any] | None]:
    """Check a pairwise judgment matrix and return it as float array plus labels.

    A judgment matrix must be square, finite, inside :data:`JUDGMENT_RANGE`
    (1e-6..1e6; Saaty's scale is 1/9..9), have a unit diagonal and be
    reciprocal: ``a[j, i] == 1 / a[i, j]`` within relative tolerance ``rtol``
    (default 1e-3 so that hand-typed ``0.333`` passes; at most 0.1).

    The returned array is exactly reciprocal (so that λmax ≥ n holds): of
    each pair the judgment ≥ 1 is kept as typed and its partner is replaced
    by its exact reciprocal (``3`` and ``0.333`` become ``3`` and ``1/3``),
    the diagonal is set to exactly 1. Only differences within ``rtol`` are
    changed this way; anything larger is refused.

    Parameters
    ----------
    matrix : array-like or DataFrame
        n×n judgments; a DataFrame's index gives the labels (it must equal its
        columns).
    labels : sequence, optional
        Criterion names (override the DataFrame's).
    rtol : float
        Tolerance of the reciprocal check.

    Returns
    -------
    (ndarray, list or None)

    Raises
    ------
    DataError
        Naming the offending entry by row/column label and its value.

    Examples
    --------
    >>> validate_matrix([[1, 2], [0.5, 1]])[0].tolist()
    [[1.0, 2.0], [0.5, 1.0]]
    >>> validate_matrix([[1, 2], [0.4, 1]], ["loyalty", "trust"])
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: judgment matrix is not reciprocal: entry [loyalty, trust] = 2 but [trust, loyalty] = 0.4; expected 1/2 = 0.5
    """
    check_number(rtol, "rtol", low=0.0, high=_MAX_RTOL)
    frame_labels = None
    if isinstance(matrix, pd.DataFrame):
        if list(map(str, matrix.index)) != list(map(str, matrix.columns)):
            raise DataError(
                f"{what}: row labels {list(matrix.index)} differ from column labels "
                f"{list(matrix.columns)}; the criteria must be in the same order"
            )
        frame_labels = list(matrix.index)
        raw = matrix.to_numpy()
    else:
        raw = matrix
    try:
        arr = np.asarray(raw, dtype="float64")
        if any(isinstance(v, (bool, np.bool_)) for v in np.asarray(raw, dtype=object).ravel()):
            arr = _parse_array(raw, what)  # True is not the judgment 1: named there
    except (TypeError, ValueError):
        arr = _parse_array(raw, what)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise DataError(f"{what} must be square (n×n, n ≥ 1), got shape {arr.shape}")
    n = arr.shape[0]
    names = _label_list(labels if labels is not None else frame_labels, n, what)
    show = names if names is not None else list(range(n))

    def at(i: int, j: int) -> str:
        return f"[{show[i]}, {show[j]}]"

    entry_rules, off_diagonal, not_reciprocal = _violations(arr, rtol)
    for test, msg in entry_rules:
        if test.any():
            i, j = np.argwhere(test)[0]
            raise DataError(f"{what}: entry {at(i, j)} = {arr[i, j]:g} {msg}")
    off = np.flatnonzero(off_diagonal)
    if off.size:
        i = int(off[0])
        raise DataError(
            f"{what}: diagonal entry {at(i, i)} = {arr[i, i]:g}; expected 1 "
            "(a criterion is equally important as itself)"
        )
    bad = np.argwhere(not_reciprocal)
    if bad.size:
        i, j = bad[0]
        raise DataError(
            f"{what} is not reciprocal: entry {at(i, j)} = {format_judgment(arr[i, j])} "
            f"but {at(j, i)} = {format_judgment(arr[j, i])}; expected "
            f"1/{format_judgment(arr[i, j])} = {1 / arr[i, j]:.4g}"
        )
    return _exact_reciprocal(arr), names


def _violations(
    arr: np.ndarray, rtol: float
) -> tuple[list[tuple[np.ndarray, str]], np.ndarray, np.ndarray]:
    """The rules of a judgment matrix, as masks of the entries that break them.

    Works on one (n, n) matrix or a (k, n, n) stack (:func:`validate_matrix`
    and :func:`batch_analyze` share it). Returns the entry rules in the order
    they are reported, as (mask, what is wrong), then the diagonal entries
    that are not 1 (shape (..., n)) and the upper-triangle entries whose
    partner is not their reciprocal within ``rtol``.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        entry_rules = [
            (np.isnan(arr), "is missing (NaN); every pair must be judged"),
            (np.isinf(arr), "is infinite; expected a finite judgment"),
            (arr <= 0, "is not positive; judgments are ratios > 0 (use 1/3, not -3)"),
            ((arr < JUDGMENT_RANGE[0]) | (arr > JUDGMENT_RANGE[1]),
             f"is outside the accepted judgments {JUDGMENT_RANGE[0]:g}..{JUDGMENT_RANGE[1]:g} "
             "(Saaty's scale is 1/9..9)"),
        ]
        diagonal = np.diagonal(arr, axis1=-2, axis2=-1)
        off_diagonal = ~np.isclose(diagonal, 1.0, rtol=rtol, atol=0)
        prod = arr * np.swapaxes(arr, -1, -2)
        not_reciprocal = np.triu(~np.isclose(prod, 1.0, rtol=rtol, atol=0), 1)
    return entry_rules, off_diagonal, not_reciprocal


def _from_upper(upper: np.ndarray, n: int) -> np.ndarray:
    """Reciprocal matrices from their upper triangles read row by row: (..., m) → (..., n, n).

    The diagonal is 1 and every lower entry the exact reciprocal of its partner.
    """
    iu, ju = np.triu_indices(n, 1)
    out = np.ones(upper.shape[:-1] + (n, n))
    out[..., iu, ju] = upper
    out[..., ju, iu] = 1.0 / upper
    return out


def _exact_reciprocal(arr: np.ndarray) -> np.ndarray:
    """Of each pair keep the judgment ≥ 1, set its partner to the exact reciprocal.

    Works on one (n, n) matrix or a (k, n, n) stack; the diagonal becomes 1.
    """
    n = arr.shape[-1]
    iu, ju = np.triu_indices(n, 1)
    upper = arr[..., iu, ju]
    lower = arr[..., ju, iu]
    return _from_upper(np.where(upper >= 1, upper, 1.0 / lower), n)


def _parse_array(raw: Any, what: str) -> np.ndarray:
    """Read judgments typed as text ('3', '1/3') or numbers; name the first bad one."""
    try:
        obj = np.asarray(raw, dtype=object)
    except ValueError:
        raise DataError(f"{what} must be square (n×n): rows have different lengths") from None
    if obj.ndim == 1 and any(isinstance(v, (list, tuple, np.ndarray)) for v in obj):
        raise DataError(f"{what} must be square (n×n): rows have different lengths")
    out = np.empty(obj.shape, dtype=float)
    for idx, v in np.ndenumerate(obj):
        out[idx] = _read_number(v, f"{what}:" + (f" entry {list(idx)}" if obj.ndim == 2 else ""))
    return out


def _read_number(v: Any, what: str) -> float:
    """A judgment typed as a number or a text such as ``'3'`` or ``' 1/3'``, as float; else a DataError."""
    if isinstance(v, str):
        try:
            return float(Fraction(v.strip()))
        except (ValueError, ZeroDivisionError):
            pass
    elif not isinstance(v, (bool, np.bool_)):
        try:
            return float(v)
        except (TypeError, ValueError):
            pass
    raise DataError(f"{what} {v!r} is not a number; expected e.g. 3 or '1/3'")


def _as_frame(arr: np.ndarray, labels: list[Any] | None) -> pd.DataFrame:
    idx = labels if labels is not None else list(range(arr.shape[0]))
    return pd.DataFrame(arr, index=idx, columns=idx)


def _parse_value(v: Any, what: str) -> float:
    val = _read_number(v, f"{what}:")
    for test, msg in _violations(np.array([[val]]), _DEFAULT_RTOL)[0]:  # the matrix's entry rules
        if test.any():
            raise DataError(f"{what}: {val:g} {msg}")
    return val


# --------------------------------------------------------------------------- builders
def from_upper_triangle(
    values: Any, labels: Sequence[Any] | None = None
) -> pd.DataFrame:
    """Build a reciprocal judgment matrix from its upper triangle.

    Parameters
    ----------
    values : sequence or square array
        Either the n(n−1)/2 judgments above the diagonal read row by row
        (a12, a13, …, a1n, a23, …), or an n×n array whose upper triangle is
        used (the diagonal and lower triangle are ignored). Strings such as
        ``'1/3'`` are accepted.
    labels : sequence, optional
        Criterion names; default 0..n−1.

    Returns
    -------
    DataFrame
        The full reciprocal matrix, labelled.

    Examples
    --------
    >>> from_upper_triangle([2, 4, 2], ["a", "b", "c"]).round(3).to_numpy().tolist()
    [[1.0, 2.0, 4.0], [0.5, 1.0, 2.0], [0.25, 0.5, 1.0]]
    """
    if isinstance(values, pd.DataFrame):
        labels = labels if labels is not None else list(values.index)
        values = values.to_numpy()
    obj = np.asarray(values, dtype=object)
    if obj.ndim == 2:
        if obj.shape[0] != obj.shape[1]:
            raise DataError(f"upper triangle: a 2-D input must be square, got shape {obj.shape}")
        n = obj.shape[0]
        flat = [obj[i, j] for i in range(n) for j in range(i + 1, n)]
    elif obj.ndim == 1:
        flat = list(obj)
        m = len(flat)
        n = int(round((1 + math.sqrt(1 + 8 * m)) / 2))
        if n * (n - 1) // 2 != m:
            raise DataError(
                f"upper triangle: {m} values is not n(n-1)/2 for any n "
                "(3 values → 3×3, 6 → 4×4, 10 → 5×5, …)"
            )
    else:
        raise DataError(f"upper triangle: expected a list or a square array, got {obj.ndim}-D")
    names = _label_list(labels, n, "upper triangle")
    show = names if names is not None else list(range(n))
    upper = [_parse_value(v, f"upper triangle entry [{show[i]}, {show[j]}]")
             for v, (i, j) in zip(flat, zip(*np.triu_indices(n, 1)))]
    return _as_frame(_from_upper(np.array(upper, dtype=float), n), names)


_STATEMENT_RE = re.compile(
    r"^\s*(?P<a>.+?)\s+is\s+(?P<v>[\d.]+(?:\s*/\s*[\d.]+)?)\s*(?:x|×|times)\s+"
    r"(?:as\s+important\s+as|more\s+important\s+than)\s+(?P<b>.+?)\s*\.?\s*$",
    re.IGNORECASE,
)


def from_statements(
    statements: Iterable[Any], labels: Sequence[Any] | None = None
) -> pd.DataFrame:
    """Build a judgment matrix from pairwise statements.

    Each statement is a tuple ``(a, b, value)`` meaning "a is ``value`` times as
    important as b", or a string such as ``"loyalty is 4x as important as
    trust"`` / ``"loyalty is 1/3 times as important as trust"``. Every pair of
    criteria must be judged exactly once (either direction).

    Parameters
    ----------
    statements : iterable of tuple or str
    labels : sequence, optional
        Order of the criteria; default: order of first appearance.

    Examples
    --------
    >>> m = from_statements(["loyalty is 4x as important as trust"])
    >>> m.loc["trust", "loyalty"]
    np.float64(0.25)
    """
    parsed: list[tuple[str, str, float]] = []
    for k, st in enumerate(statements):
        where = f"statement {k} ({st!r})"
        if isinstance(st, str):
            m = _STATEMENT_RE.match(st)
            if m is None:
                raise DataError(
                    f"{where}: cannot read it; write e.g. 'loyalty is 4x as important as trust'"
                )
            a, b, v = m["a"].strip(), m["b"].strip(), _parse_value(m["v"].replace(" ", ""), where)
        else:
            try:
                a, b, raw = st
            except (TypeError, ValueError):
                raise DataError(f"{where}: expected (a, b, value) or a sentence") from None
            v = _parse_value(raw, where)
        if str(a) == str(b):
            raise DataError(f"{where}: compares {a!r} with itself")
        parsed.append((a, b, v))
    if not parsed:
        raise DataError("statements: none given")
    # the criteria in the order given, or in order of first appearance
    order = list(labels) if labels is not None else list(dict.fromkeys(x for a, b, _ in parsed for x in (a, b)))
    pos = {str(x): i for i, x in enumerate(order)}
    n = len(order)
    arr = np.full((n, n), np.nan)
    np.fill_diagonal(arr, 1.0)
    for a, b, v in parsed:
        for x in (a, b):
            if str(x) not in pos:
                raise DataError(f"statements: {x!r} is not one of the labels {order}")
        i, j = pos[str(a)], pos[str(b)]
        if not np.isnan(arr[i, j]):
            raise DataError(
                f"statements: the pair ({order[i]}, {order[j]}) is judged twice "
                f"({format_judgment(arr[i, j])} and {format_judgment(v)})"
            )
        arr[i, j], arr[j, i] = v, 1.0 / v
    missing = np.argwhere(np.isnan(np.triu(arr, 1)))  # np.triu sets the lower triangle to 0
    if missing.size:
        i, j = missing[0]
        raise DataError(
            f"statements: {len(missing)} pair(s) not judged, e.g. ({order[i]}, {order[j]}); "
            "every pair needs a statement"
        )
    return _as_frame(arr, order)


def consistent_matrix(weights: Any, labels: Sequence[Any] | None = None) -> pd.DataFrame:
    """The perfectly consistent matrix ``a[i, j] = w[i] / w[j]`` of a weight vector.

    >>> consistent_matrix([0.5, 0.25, 0.25]).to_numpy().tolist()
    [[1.0, 2.0, 2.0], [0.5, 1.0, 1.0], [0.5, 1.0, 1.0]]
    """
    if isinstance(weights, pd.Series) and labels is None:
        labels = list(weights.index)
    w = _positive_vector(weights, "weights")
    return _as_frame(w[:, None] / w[None, :], _label_list(labels, w.size, "weights"))


def _positive_vector(values: Any, name: str) -> np.ndarray:
    w = as_float_array(values, name).ravel()
    if w.size == 0 or np.any(w <= 0):
        raise ParameterError(f"{name} must be positive finite numbers, got {w.tolist()}")
    return w


# --------------------------------------------------------------------------- core maths
def _rescale(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``B = D^-1 A D`` with ``D = diag(g)``, ``g`` the row geometric means.

    ``B`` has the eigenvalues of ``A`` and entries ``a_ij g_j / g_i`` near 1 for
    a near-consistent matrix, so the eigen-solver works on numbers of similar
    size whatever the scale of the judgments. Works on (n, n) or (k, n, n).
    """
    logg = np.log(arr).mean(axis=-1)
    logg = logg - logg.max(axis=-1, keepdims=True)
    g = np.exp(logg)
    return arr * g[..., None, :] / g[..., :, None], g


def _at_least_n(lam: Any, n: int) -> Any:
    """λmax ≥ n for a positive reciprocal matrix; lift round-off below n to n."""
    lam = np.asarray(lam, dtype=float)
    if np.any(lam < n * (1 - 1e-9)):
        raise ConvergenceError(
            f"the principal eigenvalue came out as {float(lam.min()):.12g} < n = {n}; "
            "the eigen-solver lost precision on this matrix"
        )
    return np.maximum(lam, float(n))


def _solve(stack: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """λmax (k,) and the priority vectors (k, n) of a (k, n, n) stack of exact reciprocal matrices.

    ``numpy.linalg.eig`` works on the whole stack at once; λmax is always the
    principal eigenvalue, the weights are those of ``method``.
    """
    b, g = _rescale(stack)
    vals, vecs = np.linalg.eig(b)
    k = np.argmax(vals.real, axis=-1)
    rows = np.arange(stack.shape[0])
    lam = _at_least_n(vals.real[rows, k], stack.shape[-1])
    if method != "eigenvector":
        return lam, _solve_weights(stack, method)
    w = np.abs(vecs.real[rows, :, k]) * g  # Perron vector of B (abs() fixes its sign); of A: D v
    return lam, w / w.sum(axis=-1, keepdims=True)


def _solve_weights(stack: np.ndarray, method: str) -> np.ndarray:
    """The priority vectors (k, n) of the two methods that need no eigen-solver."""
    if method == "column_average":  # "sum method": normalise each column, average the rows
        return (stack / stack.sum(axis=-2, keepdims=True)).mean(axis=-1)
    w = np.exp(np.log(stack).mean(axis=-1))  # geometric mean of each row
    return w / w.sum(axis=-1, keepdims=True)


def priority_vector(
    matrix: Any,
    method: Method = "eigenvector",
    *,
    labels: Sequence[Any] | None = None,
    rtol: float = _DEFAULT_RTOL,
) -> pd.Series | np.ndarray:
    """Priority (weight) vector of a judgment matrix, summing to 1.

    ``method``: ``"eigenvector"`` (principal right eigenvector, Saaty's method,
    特征根法), ``"geometric_mean"`` (normalised row geometric means, 几何平均法/方根法)
    or ``"column_average"`` (normalise columns then average rows, 和法). All three
    coincide for a consistent matrix.

    Returns a Series when labels are known (DataFrame input or ``labels``),
    otherwise an array.

    >>> priority_vector([[1, 2, 4], [1/2, 1, 2], [1/4, 1/2, 1]]).round(4).tolist()
    [0.5714, 0.2857, 0.1429]
    """
    check_choice(method, "method", METHODS)
    arr, names = validate_matrix(matrix, labels, rtol=rtol)
    w = _solve(arr[None], method)[1][0]
    return pd.Series(w, index=names, name="weight") if names is not None else w


def lambda_max(matrix: Any, *, rtol: float = _DEFAULT_RTOL) -> float:
    """Principal (Perron) eigenvalue λmax of a judgment matrix; λmax ≥ n.

    >>> round(lambda_max([[1, 2], [1/2, 1]]), 10)
    2.0
    """
    arr, _ = validate_matrix(matrix, rtol=rtol)
    return float(_solve(arr[None], "eigenvector")[0][0])


def random_index(n: int, table: str = "saaty1980") -> float:
    """Random consistency index RI for order ``n`` from a published table.

    See :data:`RANDOM_INDEX` for the tables and their sources.

    >>> random_index(3), random_index(9), random_index(3, table="alonso_lamata2006")
    (0.58, 1.45, 0.5245)
    """
    n = check_number(n, "n", low=1, integer=True)
    tables = _random_index_tables()
    check_choice(table, "ri_table", list(tables))
    t = tables[table]
    if n not in t:
        raise ParameterError(
            f"random index table {table!r} covers n = 1..{max(t)}, got n = {n}; "
            "use simulate_random_index() for larger orders"
        )
    return t[n]


@dataclass(frozen=True)
class AHPResult:
    """Outcome of :func:`analyze` for one judgment matrix.

    Attributes
    ----------
    weights : Series or ndarray
        Priority vector (sums to 1); a Series indexed by label if labels are known.
    lambda_max : float
        Principal eigenvalue (whatever the weighting method).
    lambda_max_estimate : float
        The textbook estimate (1/n) Σ (A w)_i / w_i with *this method's* w; equals
        ``lambda_max`` for the eigenvector method. Some textbooks compute CI
        from it when using the sum or geometric-mean method.
    ci, ri, cr : float
        Consistency index (λmax − n)/(n − 1), random index, ratio CI/RI
        (0 for n ≤ 2).
    consistent : bool
        ``cr < threshold``.
    """

    weights: pd.Series | np.ndarray
    lambda_max: float
    lambda_max_estimate: float
    ci: float
    ri: float
    cr: float
    consistent: bool
    n: int
    method: str
    ri_table: str
    threshold: float
    matrix: pd.DataFrame = field(repr=False)

    def suggestion(self) -> pd.Series | None:
        """For an inconsistent matrix, the one judgment whose revision helps most."""
        if self.consistent:
            return None
        return most_inconsistent_judgment(
            self.matrix, method=self.method,
            ri_table="saaty1980" if self.ri_table == "custom" else self.ri_table,
            ri=self.ri if self.ri_table == "custom" else None,
        ).iloc[0]


def _consistency(lam: np.ndarray, n: int, ri: float) -> tuple[np.ndarray, np.ndarray]:
    """CI and CR for λmax values of order n (0 for n ≤ 2; CR is NaN if ``ri`` is 0)."""
    if n <= 2:
        return np.zeros_like(lam), np.zeros_like(lam)
    ci = np.maximum((lam - n) / (n - 1), 0.0)  # clip −1e-16 round-off
    return ci, ci / ri if ri > 0 else np.full_like(ci, np.nan)


def analyze(
    matrix: Any,
    method: Method = "eigenvector",
    *,
    labels: Sequence[Any] | None = None,
    ri_table: str = "saaty1980",
    ri: float | None = None,
    threshold: float = 0.1,
    rtol: float = _DEFAULT_RTOL,
) -> AHPResult:
    """Weights and consistency of one pairwise judgment matrix.

    Parameters
    ----------
    matrix : array-like or DataFrame
        Reciprocal judgment matrix (see :func:`validate_matrix`).
    method : {"eigenvector", "geometric_mean", "column_average"}
        How the priority vector is computed.
    labels : sequence, optional
        Criterion names (a DataFrame's index is used otherwise).
    ri_table : str
        Key of :data:`RANDOM_INDEX`; default Saaty (1980).
    ri : float, optional
        An explicit random index (e.g. from :func:`simulate_random_index` for
        n > 15); overrides ``ri_table``, which is then reported as ``"custom"``.
    threshold : float
        CR below this is "consistent" (Saaty: 0.1).

    Returns
    -------
    AHPResult
        ``.weights``, ``.lambda_max``, ``.ci``, ``.ri``, ``.cr``, ``.consistent``.

    Notes
    -----
    λmax is the exact principal eigenvalue for every method. Textbooks that use
    the sum method often estimate it as mean((A w)_i / w_i) with the sum-method
    w; that estimate is ≥ the exact value only approximately.

    Examples
    --------
    >>> r = analyze([[1, 2, 4], [1/2, 1, 2], [1/4, 1/2, 1]], labels=["a", "b", "c"])
    >>> round(r.lambda_max, 10), r.cr, r.weights["a"].round(4)
    (3.0, 0.0, np.float64(0.5714))
    """
    check_choice(method, "method", METHODS)
    check_number(threshold, "threshold", low=0.0)
    arr, names = validate_matrix(matrix, labels, rtol=rtol)
    n = arr.shape[0]
    if ri is None:
        ri = random_index(n, ri_table)
    else:
        ri = check_number(ri, "ri", low=0.0, low_inclusive=n <= 2)
        ri_table = "custom"
    lams, ws = _solve(arr[None], method)
    lam, w = float(lams[0]), ws[0]
    ci, cr = (float(x[0]) for x in _consistency(lams, n, ri))
    weights: pd.Series | np.ndarray = (
        pd.Series(w, index=names, name="weight") if names is not None else w
    )
    lam_est = float(np.mean((arr @ w) / w))
    return AHPResult(
        weights=weights, lambda_max=lam, lambda_max_estimate=lam_est, ci=ci, ri=ri, cr=cr,
        consistent=bool(cr < threshold), n=n, method=method, ri_table=ri_table,
        threshold=float(threshold), matrix=_as_frame(arr, names),
    )


# --------------------------------------------------------------------------- revision / sensitivity
def saaty_step(value: float, steps: int = 1) -> float | None:
    """Move a judgment ``steps`` places along the 17-value Saaty scale.

    Values off the scale are first snapped to the nearest scale value (in log
    terms). Returns None if the move leaves the scale.

    >>> saaty_step(3, 1), saaty_step(1, -1), saaty_step(9, 1)
    (4.0, 0.5, None)
    """
    value = check_number(value, "value", low=0, low_inclusive=False)  # NaN snapped to 1/9
    steps = check_number(steps, "steps", integer=True)
    logs = np.log(np.array(SAATY_SCALE))
    k = int(np.argmin(np.abs(logs - math.log(value))))
    k2 = k + steps
    if not 0 <= k2 < len(SAATY_SCALE):
        return None
    return SAATY_SCALE[k2]


def _with_judgment(arr: np.ndarray, i: int, j: int, v: float) -> np.ndarray:
    out = arr.copy()
    out[i, j], out[j, i] = v, 1.0 / v
    return out


def most_inconsistent_judgment(
    matrix: Any,
    *,
    method: Method = "eigenvector",
    ri_table: str = "saaty1980",
    ri: float | None = None,
    scale: Sequence[float] = SAATY_SCALE,
    rtol: float = _DEFAULT_RTOL,
) -> pd.DataFrame:
    """Which single judgment, revised to its best scale value, lowers CR most.

    Every pair (i < j) is tried with every value of ``scale`` (all candidate
    matrices are analysed in one batch); for each pair the best value is kept.
    The table is sorted by the CR reached. Saaty's classic hint, the entry
    with the largest ``a[i,j]·w[j]/w[i]`` deviation, is given as ``deviation``.

    Returns
    -------
    DataFrame
        Columns ``row``, ``col``, ``current``, ``suggested``, ``steps`` (scale
        steps between them), ``cr_before``, ``cr_after``, ``deviation``; one row
        per pair, best first (lowest CR reached, then fewest steps).

    Examples
    --------
    >>> m = from_upper_triangle([2, 1/4, 2])   # a>b, b>c but c>a: circular
    >>> t = most_inconsistent_judgment(m)
    >>> bool(t["cr_after"].iloc[0] < t["cr_before"].iloc[0])
    True
    """
    res = analyze(matrix, method, ri_table=ri_table, ri=ri, rtol=rtol)
    arr = res.matrix.to_numpy()
    names = list(res.matrix.index)
    n = arr.shape[0]
    w = np.asarray(res.weights, dtype=float)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    sc = [float(s) for s in scale]
    if not pairs:
        return pd.DataFrame(columns=["row", "col", "current", "suggested", "steps",
                                     "cr_before", "cr_after", "deviation"])
    stack = np.stack([_with_judgment(arr, i, j, v) for (i, j) in pairs for v in sc])
    crs = batch_analyze(stack, method, ri=res.ri).cr.reshape(len(pairs), len(sc))
    logs = np.log(np.array(sc))
    rows = []
    for p, (i, j) in enumerate(pairs):
        # best value for this pair; ties (to 1e-9) go to the smallest move
        steps = np.abs(logs - math.log(arr[i, j]))
        key = np.lexsort((steps, np.round(crs[p], 9)))
        k = int(key[0])
        dev = arr[i, j] * w[j] / w[i]
        cur = int(np.argmin(steps))
        rows.append({
            "row": names[i], "col": names[j], "current": arr[i, j], "suggested": sc[k],
            "steps": abs(k - cur), "cr_before": res.cr, "cr_after": float(crs[p, k]),
            "deviation": max(dev, 1 / dev),
        })
    out = pd.DataFrame(rows)
    out = out.assign(_cr=out["cr_after"].round(9)).sort_values(
        ["_cr", "steps", "deviation"], ascending=[True, True, False], kind="stable")
    return out.drop(columns="_cr").reset_index(drop=True)


# --------------------------------------------------------------------------- batch
@dataclass(frozen=True)
class BatchResult:
    """Weights and consistency of a stack of k matrices (arrays of length k)."""

    weights: np.ndarray  # (k, n)
    lambda_max: np.ndarray
    ci: np.ndarray
    cr: np.ndarray
    ri: float
    threshold: float = 0.1

    @property
    def consistent(self) -> np.ndarray:
        """``cr < threshold`` for each matrix (as :attr:`AHPResult.consistent`)."""
        return self.cr < self.threshold


def batch_analyze(
    stack: Any,
    method: Method = "eigenvector",
    *,
    ri_table: str = "saaty1980",
    ri: float | None = None,
    threshold: float = 0.1,
) -> BatchResult:
    """Analyse a stack of k n×n judgment matrices in one vectorised call.

    ``numpy.linalg.eig`` works on the whole (k, n, n) array at once, so 10,000
    9×9 matrices take well under a second (see ``benchmarks/RESULTS_ahp.md``).

    Parameters
    ----------
    stack : array-like, shape (k, n, n)
    method : str
        Weighting method (λmax is always the exact principal eigenvalue).
    ri_table, ri : str, float
        Random index source, or an explicit ``ri`` (e.g. from a simulation).
    threshold : float
        ``consistent`` is ``cr < threshold``, as in :func:`analyze`.

    Examples
    --------
    >>> b = batch_analyze([[[1, 2], [0.5, 1]], [[1, 4], [0.25, 1]]])
    >>> b.weights.round(2).tolist(), b.cr.tolist()
    ([[0.67, 0.33], [0.8, 0.2]], [0.0, 0.0])
    """
    check_choice(method, "method", METHODS)
    arr = np.asarray(stack, dtype="float64")
    if arr.ndim != 3 or arr.shape[1] != arr.shape[2]:
        raise DataError(f"stack must have shape (k, n, n), got {arr.shape}")
    # the rules of validate_matrix (finite, inside JUDGMENT_RANGE, unit diagonal,
    # reciprocal within 1e-3), vectorised; validate_matrix then names the first bad entry
    entry_rules, off_diagonal, not_reciprocal = _violations(arr, _DEFAULT_RTOL)
    bad = off_diagonal.any(axis=1) | not_reciprocal.any(axis=(1, 2))
    for test, _ in entry_rules:
        bad |= test.any(axis=(1, 2))
    if bad.any():
        k = int(np.argmax(bad))
        validate_matrix(arr[k], what=f"matrix {k} of the stack")
    arr = _exact_reciprocal(arr)
    n = arr.shape[1]
    ri_val = random_index(n, ri_table) if ri is None else check_number(ri, "ri", low=0.0)
    lam, w = _solve(arr, method)
    ci, cr = _consistency(lam, n, ri_val)
    threshold = check_number(threshold, "threshold", low=0.0)  # the rule of analyze
    return BatchResult(weights=w, lambda_max=lam, ci=ci, cr=cr, ri=ri_val, threshold=threshold)


def random_reciprocal_matrices(
    size: int,
    n: int,
    *,
    seed: int | np.random.Generator | None = None,
    scale: Sequence[float] = SAATY_SCALE,
) -> np.ndarray:
    """A (size, n, n) stack of random reciprocal matrices.

    Each upper-triangle entry is drawn uniformly from ``scale`` (default the 17
    Saaty values 1/9..9, as in Saaty's and Alonso & Lamata's simulations).

    >>> random_reciprocal_matrices(2, 3, seed=1).shape
    (2, 3, 3)
    """
    size = check_number(size, "size", low=1, integer=True)
    n = check_number(n, "n", low=1, integer=True)
    rng = np.random.default_rng(seed)
    sc = np.asarray(scale, dtype=float)
    draws = sc[rng.integers(0, sc.size, size=(size, n * (n - 1) // 2))]
    return _from_upper(draws, n)


def simulate_random_index(
    orders: Iterable[int] = range(3, 11),
    *,
    size: int = 10_000,
    seed: int = 0,
    scale: Sequence[float] = SAATY_SCALE,
) -> pd.DataFrame:
    """Monte Carlo random index: the mean CI of ``size`` random matrices per order.

    Returns a DataFrame indexed by ``n`` with ``ri`` (simulated), ``se`` (its
    standard error) and the published tables of :data:`RANDOM_INDEX`.

    >>> simulate_random_index([3], size=2000, seed=1)["ri"].round(1).tolist()
    [0.5]
    """
    rng = np.random.default_rng(seed)
    rows = []
    for n in orders:
        n = check_number(n, "order", low=1, integer=True)
        stack = random_reciprocal_matrices(size, n, seed=rng, scale=scale)
        ci = batch_analyze(stack, ri=1.0).ci
        row = {"n": n, "ri": float(ci.mean()), "se": float(ci.std(ddof=1) / math.sqrt(size))
               if size > 1 else float("nan")}
        for name, table in _random_index_tables().items():
            row[name] = table.get(n, float("nan"))
        rows.append(row)
    return pd.DataFrame(rows).set_index("n")


# --------------------------------------------------------------------------- recovery
def recover_judgments(
    weights: Any,
    *,
    decimals: int = 4,
    method: Method = "eigenvector",
    max_cr: float = 0.1,
    ri_table: str = "saaty1980",
    scale: Sequence[float] = SAATY_SCALE,
    search: Literal["pruned", "exhaustive"] = "pruned",
    max_candidates: int = 5_000_000,
    chunk: int = 250_000,
) -> list[pd.DataFrame]:
    """All Saaty-scale judgment matrices whose weights round to ``weights``.

    Searches the reciprocal matrices with upper-triangle entries in ``scale``
    whose priority vector (by ``method``), rounded to ``decimals``, equals the
    published vector and whose CR ≤ ``max_cr``.

    ``search="pruned"`` (default) only tries, for each pair, the scale values
    within a window around w_i/w_j. For the eigenvector method the window is
    exact: λmax − n = (1/n) Σ_{i<j} (e_ij + 1/e_ij − 2) with e_ij = a_ij w_j / w_i,
    so CR ≤ max_cr bounds every e_ij + 1/e_ij − 2 by n(n−1)·RI·max_cr; widened
    for the rounding of w, the pruning loses no solution. For the other methods
    the same window is a heuristic; ``search="exhaustive"`` tries all
    17^(n(n−1)/2) matrices (24 million for n = 4: seconds for the geometric
    mean, which needs only row sums of logs; minutes for the others). For
    n ≤ 2 every scale value is tried.

    Returns
    -------
    list of DataFrame
        Matching matrices (empty if none); labelled if ``weights`` is a Series.

    Examples
    --------
    >>> [m.iloc[0, 1] for m in recover_judgments([0.8, 0.2])]
    [np.float64(4.0)]
    """
    labels = list(weights.index) if isinstance(weights, pd.Series) else None
    target = _positive_vector(weights, "weights")
    decimals = check_number(decimals, "decimals", low=0, integer=True)
    check_number(max_cr, "max_cr", low=0.0)
    check_choice(method, "method", METHODS)
    check_choice(search, "search", ["pruned", "exhaustive"])
    n = target.size
    sc = np.asarray(scale, dtype=float)
    half = 0.5 * 10.0 ** (-decimals)
    rows, cols = np.triu_indices(n, 1)
    if n <= 2 or search == "exhaustive":
        cands = [sc for _ in rows]
    else:
        bound = n * (n - 1) * random_index(n, ri_table) * max_cr
        b = bound + 2.0  # e + 1/e − 2 ≤ bound  ⇔  e in [1/e_hi, e_hi]
        e_hi = (b + math.sqrt(b * b - 4)) / 2
        cands = []
        for i, j in zip(rows, cols):
            r_lo = max(target[i] - half, 1e-12) / (target[j] + half)
            r_hi = (target[i] + half) / max(target[j] - half, 1e-12)
            cands.append(sc[(sc >= r_lo / e_hi * (1 - 1e-9)) & (sc <= r_hi * e_hi * (1 + 1e-9))])
    shape = tuple(len(c) for c in cands)
    total = math.prod(shape)
    if total == 0:
        return []
    if total > max_candidates:
        raise ParameterError(
            f"recover_judgments: {total:,} candidate matrices exceed max_candidates="
            f"{max_candidates:,}; use search='pruned', lower max_cr or raise max_candidates"
        )
    goal = np.round(target, decimals)
    out: list[pd.DataFrame] = []
    for start in range(0, total, chunk):
        idx = np.unravel_index(np.arange(start, min(start + chunk, total)), shape)
        stack = _from_upper(np.column_stack([c[ix] for c, ix in zip(cands, idx)]), n)
        if method == "geometric_mean":
            # the weights need no eigen-solver: keep the matches, then find λmax of those only
            stack = stack[np.all(np.round(_solve_weights(stack, method), decimals) == goal, axis=1)]
            if not len(stack):
                continue
        res = batch_analyze(stack, method, ri_table=ri_table)
        match = np.all(np.round(res.weights, decimals) == goal, axis=1)
        match &= res.cr <= max_cr + 1e-12
        for k in np.flatnonzero(match):
            out.append(_as_frame(stack[k], labels))
    return out


# --------------------------------------------------------------------------- hierarchy
@dataclass(frozen=True)
class Node:
    """A node of an AHP hierarchy.

    A node with children carries either a judgment ``matrix`` over its
    children (in order) or given ``weights``; a leaf has neither.
    """

    name: str
    children: tuple[Node, ...] = ()
    matrix: Any = None
    weights: Any = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Node:
        """Build from nested dicts ``{"name", "matrix"|"weights", "children": [...]}``."""
        if not isinstance(d, Mapping) or "name" not in d:
            raise DataError(f"hierarchy node must be a dict with a 'name', got {d!r}")
        kids = tuple(
            c if isinstance(c, Node) else cls.from_dict(c if isinstance(c, Mapping)
                                                      else {"name": c})
            for c in d.get("children", ())
        )
        return cls(str(d["name"]), kids, d.get("matrix"), d.get("weights"))


def _tree_from_table(df: pd.DataFrame) -> Node:
    require_columns(df, ["node", "parent", "local_weight"], what="hierarchy table")
    root_rows = df["parent"].isna()
    if root_rows.sum() > 1:
        raise DataError(
            f"hierarchy table has {int(root_rows.sum())} rows without a parent "
            f"({df.loc[root_rows, 'node'].tolist()}); expected one root"
        )
    df = df[~root_rows]
    w = check_numeric_column(df, "local_weight", what="hierarchy table")
    parents = set(df["parent"]) - set(df["node"])
    if len(parents) != 1:
        raise DataError(
            f"hierarchy table must have exactly one root (a parent that is nobody's child), "
            f"found {sorted(map(str, parents))}"
        )

    def build(name: str) -> Node:
        kids = df[df["parent"] == name]
        if kids.empty:
            return Node(str(name))
        return Node(str(name), tuple(build(k) for k in kids["node"]),
                    weights=w[kids.index].to_numpy())

    return build(parents.pop())


def global_weights(
    tree: Node | Mapping[str, Any] | pd.DataFrame,
    *,
    method: Method = "eigenvector",
    ri_table: str = "saaty1980",
) -> pd.DataFrame:
    """Global weights of every node of an AHP hierarchy (local weights multiplied down).

    Parameters
    ----------
    tree : Node, nested dict or DataFrame
        A :class:`Node` tree; nested dicts with keys ``name``, ``children``
        and ``matrix`` or ``weights``; or a table with columns ``node``,
        ``parent``, ``local_weight`` (as ``load_seed_table("ahp_weights")``).
    method, ri_table : str
        Passed to :func:`analyze` for nodes given by a judgment matrix.

    Returns
    -------
    DataFrame
        One row per non-root node in depth-first order: ``node``, ``parent``,
        ``level``, ``local_weight``, ``global_weight``, ``is_leaf``, ``path``
        and ``parent_cr`` (CR of the matrix that produced the local weight;
        NaN for given weights). Leaf global weights sum to 1.

    Examples
    --------
    >>> t = global_weights({"name": "goal", "weights": [0.6, 0.4], "children": [
    ...     {"name": "A", "matrix": [[1, 3], [1/3, 1]], "children": ["a1", "a2"]}, "B"]})
    >>> t.loc[t.is_leaf, ["node", "global_weight"]].round(2).to_numpy().tolist()
    [['a1', 0.45], ['a2', 0.15], ['B', 0.4]]
    """
    if isinstance(tree, pd.DataFrame):
        root = _tree_from_table(tree)
    elif isinstance(tree, Node):
        root = tree
    else:
        root = Node.from_dict(tree)
    rows: list[dict[str, Any]] = []

    def walk(node: Node, gw: float, level: int, path: str) -> None:
        k = len(node.children)
        if k == 0:
            return
        names = [c.name for c in node.children]
        cr = float("nan")
        if node.matrix is not None:
            res = analyze(node.matrix, method, ri_table=ri_table)
            if res.n != k:
                raise DataError(
                    f"hierarchy node {node.name!r}: {res.n}×{res.n} judgment matrix for "
                    f"{k} children {names}"
                )
            local, cr = np.asarray(res.weights, dtype=float), res.cr
        elif node.weights is not None:
            local = np.asarray(node.weights, dtype=float).ravel()
            if local.size != k or not np.all(np.isfinite(local)) or np.any(local < 0):
                raise DataError(
                    f"hierarchy node {node.name!r}: weights {local.tolist()} must be {k} "
                    f"non-negative numbers (one per child {names})"
                )
            if not math.isclose(local.sum(), 1.0, abs_tol=5e-3):
                raise DataError(
                    f"hierarchy node {node.name!r}: weights sum to {local.sum():.4f}; "
                    "expected 1 (within rounding)"
                )
        elif k == 1:
            local = np.ones(1)
        else:
            raise DataError(
                f"hierarchy node {node.name!r} has {k} children but neither a judgment "
                "matrix nor weights"
            )
        for c, lw in zip(node.children, local):
            p = f"{path} / {c.name}"
            rows.append({"node": c.name, "parent": node.name, "level": level + 1,
                         "local_weight": float(lw), "global_weight": gw * float(lw),
                         "is_leaf": not c.children, "path": p, "parent_cr": cr})
            walk(c, gw * float(lw), level + 1, p)

    walk(root, 1.0, 0, root.name)
    if not rows:
        raise DataError(f"hierarchy {root.name!r} has no children")
    return pd.DataFrame(rows)


def plot_global_weights(
    table: pd.DataFrame,
    *,
    kind: Literal["bar", "sunburst"] = "bar",
    ax: Any = None,
    title: str = "AHP global weights",
) -> Any:
    """Draw a :func:`global_weights` table as a bar chart or a sunburst.

    ``bar``: leaf global weights, coloured by top-level criterion. ``sunburst``:
    concentric rings, one per level, each wedge's angle its global weight.
    Returns the Axes.
    """
    import matplotlib.pyplot as plt

    check_choice(kind, "kind", ["bar", "sunburst"])
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5) if kind == "bar" else (6.5, 6.5))
    top = {}
    for _, r in table.iterrows():
        top[r["node"]] = r["node"] if r["level"] == 1 else top.get(r["parent"], r["parent"])
    tops = list(dict.fromkeys(table.loc[table["level"] == 1, "node"]))
    cmap = plt.get_cmap("tab10")
    colour = {t: cmap(i % 10) for i, t in enumerate(tops)}
    if kind == "bar":
        leaves = table[table["is_leaf"]]
        ax.bar(leaves["node"].astype(str), leaves["global_weight"],
               color=[colour[top[x]] for x in leaves["node"]])
        for x, y in zip(range(len(leaves)), leaves["global_weight"]):
            ax.text(x, y, f"{y:.3f}", ha="center", va="bottom", fontsize=8)
        ax.set_xlabel("indicator (leaf)")
        ax.set_ylabel("global weight (share of 1)")
        ax.tick_params(axis="x", rotation=45)
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=colour[t], label=str(t)) for t in tops],
                  title="top-level criterion", fontsize=8)
    else:
        levels = int(table["level"].max())
        width = 1.0 / (levels + 0.5)
        for lev in range(1, levels + 1):
            sub = table[table["level"] == lev]
            # wedges in depth-first order keep children under their parent
            sizes = sub["global_weight"].to_numpy()
            shades = []
            for _, r in sub.iterrows():
                base = np.array(colour[top[r["node"]]])
                shades.append(tuple(np.clip(base[:3] + 0.18 * (lev - 1), 0, 1)) + (1.0,))
            wedges, _ = ax.pie(
                sizes, radius=0.5 * width + lev * width, colors=shades, startangle=90,
                counterclock=False,
                wedgeprops={"width": width, "edgecolor": "white", "linewidth": 1},
            )
            for wdg, (_, r) in zip(wedges, sub.iterrows()):
                if r["global_weight"] < 0.025:
                    continue
                ang = np.deg2rad((wdg.theta1 + wdg.theta2) / 2)
                rad = lev * width
                ax.text(rad * np.cos(ang), rad * np.sin(ang),
                        f"{str(r['node']).replace(' ', chr(10))}\n{r['global_weight']:.3f}",
                        ha="center", va="center", fontsize=7)
        ax.set_aspect("equal")
    ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- scoring
def standardize(
    indicators: pd.DataFrame,
    method: Literal["zscore", "minmax", "none"] = "zscore",
    *,
    direction: Mapping[str, int | str] | None = None,
    ddof: int = 1,
) -> pd.DataFrame:
    """Make indicators dimensionless (无量纲化).

    ``zscore``: (x − mean)/sd with sample sd (``ddof=1``, as SPSS "Save
    standardized values"); ``minmax``: (x − min)/(max − min) in [0, 1];
    ``none``: unchanged. ``direction`` marks cost-type indicators (lower is
    better) with ``-1`` or ``"cost"``; they are reversed. A constant column
    carries no information and becomes 0 (with a :class:`CrmlabWarning`).

    >>> standardize(pd.DataFrame({"x": [1.0, 2.0, 3.0]}))["x"].tolist()
    [-1.0, 0.0, 1.0]
    """

    check_choice(method, "standardize", ["zscore", "minmax", "none"])
    if not isinstance(indicators, pd.DataFrame) or indicators.empty:
        raise DataError("indicators must be a non-empty DataFrame (rows = customers)")
    out = pd.DataFrame(index=indicators.index)
    for c in indicators.columns:
        out[c] = check_numeric_column(indicators, c, what="indicators")
    sign = pd.Series(1.0, index=out.columns)
    for c, d in (direction or {}).items():
        if c not in out.columns:
            raise ParameterError(f"direction names {c!r}, not an indicator column")
        if d in (-1, "cost"):
            sign[c] = -1.0
        elif d not in (1, "benefit"):
            raise ParameterError(f"direction[{c!r}] must be 1/'benefit' or -1/'cost', got {d!r}")
    if method == "none":
        return out * sign
    if method == "zscore":
        if len(out) <= ddof:
            raise DataError(f"z-scores need more than {ddof} row(s), got {len(out)}")
        spread = out.std(ddof=ddof)
        res = (out - out.mean()) / spread * sign
    else:
        spread = out.max() - out.min()
        low = out.min().where(sign > 0, out.max())
        res = (out - low) / spread * sign
    const = spread.index[spread == 0].tolist()
    if const:
        warn(f"{len(const)} constant indicator column(s) {const} set to 0 after "
            "standardisation (they cannot discriminate between customers)")
        res[const] = 0.0
    return res


def _align_weights(indicators: pd.DataFrame, weights: Any) -> pd.Series:
    if not isinstance(weights, pd.Series):
        w = as_float_array(weights, "weights").ravel()
        if w.size != indicators.shape[1]:
            raise ParameterError(
                f"{w.size} weights for {indicators.shape[1]} indicator columns"
            )
        weights = pd.Series(w, index=indicators.columns)
    if weights.index.has_duplicates:  # two weights for one indicator cannot both apply
        raise ParameterError(f"weights name {weights.index[weights.index.duplicated()].tolist()[0]!r} "
                             "more than once")
    missing = [c for c in indicators.columns if c not in weights.index]
    extra = [c for c in weights.index if c not in indicators.columns]
    if missing or extra:
        raise ParameterError(
            f"weights and indicators do not match: no weight for {missing}, "
            f"no indicator column for {extra}"
        )
    not_bool = weights.map(lambda v: not isinstance(v, (bool, np.bool_)))  # True is not the weight 1
    w = pd.to_numeric(weights.where(not_bool), errors="coerce").astype(float)[list(indicators.columns)]
    if w.isna().any() or (w < 0).any() or np.isinf(w).any():
        bad = w.index[w.isna() | (w < 0) | np.isinf(w)][0]
        v = weights[bad].item() if isinstance(weights[bad], np.generic) else weights[bad]
        raise ParameterError(f"weight for {bad!r} is {v!r}; expected a number ≥ 0")
    return w


def composite_score(
    indicators: pd.DataFrame,
    weights: Any,
    standardize: Literal["zscore", "minmax", "none"] = "zscore",
    *,
    direction: Mapping[str, int | str] | None = None,
    normalize_weights: bool = False,
    atol: float = 5e-3,
) -> pd.Series:
    """Weighted composite score Σ wᵢ·zᵢ of standardised indicators, one per row.

    Used for customer value (Y = Σ Rᵢ Xᵢ, seed 003 No. 15) and for the
    retention-effectiveness score (seed 000 §9.4).

    Parameters
    ----------
    indicators : DataFrame
        Rows = units (customers, periods, branches), columns = indicators.
    weights : Series or sequence
        Non-negative, aligned by label (a Series) or by position; must sum to 1
        within ``atol`` (published weights are rounded) unless
        ``normalize_weights`` rescales them.
    standardize : {"zscore", "minmax", "none"}
        See :func:`standardize`.
    direction : mapping, optional
        ``{column: -1 or "cost"}`` for lower-is-better indicators.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 2.0, 1.0]})
    >>> composite_score(x, pd.Series({"a": 0.75, "b": 0.25}), "minmax").tolist()
    [0.25, 0.5, 0.75]
    """
    if not isinstance(indicators, pd.DataFrame) or indicators.empty:
        raise DataError("indicators must be a non-empty DataFrame (rows = units)")
    w = _align_weights(indicators, weights)
    total = float(w.sum())
    if normalize_weights:
        if total <= 0:
            raise ParameterError("weights sum to 0; cannot normalise")
        w = w / total
    elif not math.isclose(total, 1.0, abs_tol=atol):
        raise ParameterError(
            f"weights sum to {total:.4f}, expected 1 (within {atol}); pass "
            "normalize_weights=True to rescale them"
        )
    z = _standardize(indicators, standardize, direction=direction)
    return (z * w).sum(axis=1).rename("score")


_standardize = standardize


def value_segments(
    indicators: pd.DataFrame,
    weights: pd.Series,
    groups: Mapping[str, Sequence[str]],
    *,
    standardize: Literal["zscore", "minmax", "none"] = "zscore",
    direction: Mapping[str, int | str] | None = None,
) -> pd.DataFrame:
    """Current × potential value segmentation (seed 003 No. 15, Tables 5–7).

    Indicators are standardised, multiplied by their *global* weights (Table 5)
    and summed within each group (e.g. ``{"current": [...], "potential":
    [...]}``, Table 6); each group score is compared with its mean across
    customers (above → "high", Table 7). The segment combines the levels.

    Returns
    -------
    DataFrame
        One column per group, ``total``, ``<group>_level`` columns, ``segment``
        (e.g. "high current / low potential") and ``rank`` of ``total``.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 3.0, 2.0]}, index=[1, 2, 3])
    >>> s = value_segments(x, pd.Series({"a": 0.5, "b": 0.5}), {"current": ["a"], "potential": ["b"]})
    >>> s["segment"].tolist()
    ['low current / low potential', 'low current / high potential', 'high current / low potential']
    """
    if not isinstance(groups, Mapping) or len(groups) == 0:
        raise ParameterError("groups must map a group name to its indicator columns")
    w = _align_weights(indicators, weights)
    z = _standardize(indicators, standardize, direction=direction)
    weighted = z * w
    out = pd.DataFrame(index=indicators.index)
    for g, cols in groups.items():
        cols = list(cols)
        bad = [c for c in cols if c not in weighted.columns]
        if bad:
            raise ParameterError(f"group {g!r} names unknown indicator(s) {bad}")
        out[g] = weighted[cols].sum(axis=1)
    out["total"] = out[list(groups)].sum(axis=1)
    for g in groups:
        out[f"{g}_level"] = np.where(out[g] > out[g].mean(), "high", "low")
    # e.g. "high current / low potential"
    out["segment"] = [" / ".join(f"{lv} {g}" for lv, g in zip(row, groups))
                      for row in out[[f"{g}_level" for g in groups]].to_numpy()]
    out["rank"] = out["total"].rank(ascending=False, method="min").astype(int)
    return out


# --------------------------------------------------------------------------- data
def load_customers(file: Any = None, indicators: Sequence[str] | None = None, *,
                   what: str | None = None) -> pd.DataFrame:
    """A customer × indicator table to score: your CSV, or the bundled reconstruction.

    ``file=None`` reads ``datasets/reconstructed_ahp_customers.csv``, the
    *reconstructed* 7-customer × 12-indicator table of seed 003 No. 15 (the
    paper's Table 3 is lost; the file is a documented reconstruction, see its
    header, not the company's data).

    Parameters
    ----------
    file : path, optional
        A CSV with a ``customer`` column (one row per customer) and one numeric
        column per indicator; lines starting with ``#`` are comments. Columns
        not in ``indicators`` are left out.
    indicators : sequence of str, optional
        Indicator columns to read (default: every column but ``customer``).
    what : str, optional
        How error messages name the table, e.g. a notebook parameter
        (default: "customer table <file>").

    Returns
    -------
    DataFrame
        Indexed by ``customer``, one numeric column per indicator;
        ``attrs["columns_not_used"]`` lists the file's other columns.

    Raises
    ------
    DataError
        The file cannot be read as a CSV, has no rows, a column is missing, a
        customer id is missing or repeated, or a value is not a number (naming
        column and row).

    Examples
    --------
    >>> load_customers().shape
    (7, 12)
    """
    from crmlab.datasets import data_dir

    where = what or ("the bundled AHP customer table" if file is None else f"customer table {file}")
    source = data_dir() / "reconstructed_ahp_customers.csv" if file is None else file
    try:
        table = pd.read_csv(source, comment="#")
    except (OSError, ValueError) as e:  # no such file, a folder, not a CSV, empty
        raise DataError(f"{where} cannot be read as a CSV file: {e}") from None
    require_columns(table, ["customer"], what=where)
    if table.empty:
        raise DataError(f"{where} has a header but no rows; expected one row per customer")
    names = [c for c in table.columns if c != "customer"] if indicators is None else list(indicators)
    require_columns(table, names, what=where)
    ids = table["customer"]
    for bad, problem in [(ids.isna(), "has no customer id"), (ids.duplicated(), "repeats customer {!r}")]:
        if bad.any():
            pos = int(bad.to_numpy().argmax())
            raise DataError(f"{where}: row {pos} " + problem.format(str(ids.iloc[pos]))
                            + "; expected one row per customer, each with its own id")
    checked = {c: check_numeric_column(table, c, what=where) for c in names}
    out = table.set_index("customer")[names]  # numeric columns keep their dtype (ints print as ints)
    out = out.assign(**{c: v.to_numpy() for c, v in checked.items() if out[c].dtype.kind not in "iuf"})
    out.attrs["columns_not_used"] = [c for c in table.columns if c not in ["customer", *names]]
    return out
