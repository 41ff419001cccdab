"""Maximum likelihood on log-parameters, and intervals for derived quantities.

Two small tools shared by the retention and purchase models
(:mod:`crmlab.sbg`, :mod:`crmlab.bgbb`, :mod:`crmlab.btyd`):

* :func:`maximize` maximises a log-likelihood over the logs of positive
  parameters (BFGS, then Newton steps with a numerical Hessian) and returns the
  estimates with the inverse observed information on the log scale, or raises
  :class:`~crmlab.errors.ConvergenceError`.
* :func:`delta_interval` turns that covariance into standard errors and
  intervals for any quantity computed from the parameters (expected purchases,
  P(alive), survival, CLV per customer or in total) by the **delta method**:
  with ``z`` the log-parameters, ``g(z)`` the quantity and ``J = dg/dz``
  (central differences), ``Var g = J Cov(z) J'``. The interval is built on a
  scale where the quantity is unbounded and back-transformed: ``log`` for
  positive quantities, ``logit`` for probabilities, so it never leaves the
  quantity's range. The intervals cover *parameter* uncertainty only (how well
  the model's parameters are pinned down by the data), not the randomness of a
  single customer's future, and they take the model as true. Why the delta
  method rather than a parametric bootstrap: lessons/07_probabilistic_clv.md.

Examples
--------
>>> import numpy as np
>>> g = lambda z: np.exp(z[0]) * np.ones(2)      # a quantity equal to the parameter
>>> t = delta_interval(g, np.log([2.0]), np.array([[0.01]]))
>>> t["se"].round(3).tolist()                    # 2 * 0.1: the usual delta method
[0.2, 0.2]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg, optimize, special, stats

from crmlab.errors import ConvergenceError, ParameterError
from crmlab.validation import as_float_array, check_choice, check_number

__all__ = ["MLE", "maximize", "num_jacobian", "delta_interval", "positive_params", "SCALES"]

#: Scales on which :func:`delta_interval` builds the interval.
SCALES = ("log", "logit", "identity")


def num_jacobian(f: Callable[[np.ndarray], Any], z: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference Jacobian of a scalar- or 1-d-array-valued function: shape (outputs, len(z)).

    The one first-difference rule of crmlab: :func:`maximize` (a gradient is
    the first row of a scalar function's Jacobian; the Hessian of an analytic
    gradient) and :func:`delta_interval` call it.

    >>> num_jacobian(lambda z: z ** 2, np.array([1.0, 2.0])).round(6).tolist()
    [[2.0, 0.0], [0.0, 4.0]]
    """
    check_number(h, "h", low=0, low_inclusive=False)
    z = np.asarray(z, dtype=float).ravel()
    cols = []
    for j in range(len(z)):
        e = np.zeros(len(z))
        e[j] = h
        cols.append((np.atleast_1d(np.asarray(f(z + e), dtype=float))
                     - np.atleast_1d(np.asarray(f(z - e), dtype=float))) / (2 * h))
    return np.column_stack(cols)


def _num_hessian(f: Callable[[np.ndarray], float], z: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Symmetric central-difference Hessian of a scalar function (4 evaluations per pair).

    >>> _num_hessian(lambda z: float(z[0] ** 2 * z[1]), np.array([1.0, 3.0])).round(6).tolist()
    [[6.0, 2.0], [2.0, 0.0]]
    """
    z = np.asarray(z, dtype=float)
    k = len(z)
    H = np.empty((k, k))
    f0 = f(z)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h
        H[i, i] = (f(z + ei) - 2 * f0 + f(z - ei)) / h**2
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = h
            H[i, j] = H[j, i] = (f(z + ei + ej) - f(z + ei - ej) - f(z - ei + ej)
                                 + f(z - ei - ej)) / (4 * h * h)
    return H


def positive_params(params: Any, names: Sequence[str], name: str = "params") -> np.ndarray:
    """A model's parameter vector: one positive finite number per name, checked.

    ``name`` is the argument named in the error (``"init"`` for starting values).
    A Series labelled with the names (a fit's ``params``) is read by label.

    >>> positive_params([1.0, 2.0], ("r", "alpha")).tolist()
    [1.0, 2.0]
    >>> positive_params(pd.Series({"alpha": 2.0, "r": 1.0}), ("r", "alpha")).tolist()
    [1.0, 2.0]
    """
    if isinstance(params, pd.Series) and any(isinstance(k, str) for k in params.index):
        if sorted(map(str, params.index)) != sorted(names):
            raise ParameterError(f"{name} is a Series labelled {list(params.index)}; "
                                 f"expected the labels {tuple(names)}")
        params = params[list(names)]
    theta = as_float_array(params, name)
    if theta.shape != (len(names),) or np.any(theta <= 0):
        raise ParameterError(f"{name} must be {len(names)} positive numbers {tuple(names)}, got {params!r}")
    return theta


def _compress(*cols: np.ndarray, weights: Any = None) -> tuple[list[np.ndarray], np.ndarray]:
    """Distinct rows (sorted) and their total weight (default: their count).

    A likelihood is evaluated once per pattern and weighted by it.

    >>> _compress(np.array([2.0, 1.0, 2.0]), weights=np.array([1.0, 5.0, 3.0]))
    ([array([1., 2.])], array([5., 4.]))
    """
    order = np.lexsort(cols[::-1])
    sorted_cols = [c[order] for c in cols]
    change = np.zeros(len(order), dtype=bool)
    change[0] = True
    for c in sorted_cols:
        change[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(change)
    w = np.ones(len(order)) if weights is None else np.asarray(weights, dtype=float)[order]
    return [c[starts] for c in sorted_cols], np.add.reduceat(w, starts)


def _log_start(init: Any, default: Sequence[float], names: Sequence[str]) -> np.ndarray:
    """Starting log-parameters of a fit: its ``init`` (checked as :func:`positive_params`) or ``default``."""
    return np.log(positive_params(init, names, "init") if init is not None else np.asarray(default, float))


class _LogScaleFit:
    """What every crmlab likelihood fit (:class:`MLE`, sBG, BG/BB, BTYD) reports from its
    ``params`` and ``cov_log`` (the covariance of the log-parameters): natural-scale
    covariance and standard errors, one table and one interval rule."""

    params: pd.Series
    cov_log: np.ndarray

    def _theta(self) -> np.ndarray:
        return self.params.to_numpy(dtype=float)

    @property
    def cov(self) -> pd.DataFrame:
        """Covariance of the natural-scale estimates (delta method from the log scale)."""
        th = self._theta()
        return pd.DataFrame(self.cov_log * np.outer(th, th), index=self.params.index,
                            columns=self.params.index)

    @property
    def se(self) -> pd.Series:
        """Standard errors on the natural scale."""
        return pd.Series(np.sqrt(np.diag(self.cov.to_numpy())), index=self.params.index, name="se")

    def table(self, level: float = 0.95) -> pd.DataFrame:
        """Estimates, standard errors and Wald intervals built on the log scale (so positive)."""
        check_number(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
        zq = stats.norm.ppf(0.5 + level / 2)
        se_log = np.sqrt(np.diag(self.cov_log))
        est = self._theta()
        return pd.DataFrame({"estimate": est, "se": self.se.to_numpy(),
                             "ci_low": est * np.exp(-zq * se_log),
                             "ci_high": est * np.exp(zq * se_log)}, index=self.params.index)

    def _interval(self, fun: Callable[[np.ndarray], Any], scale: str, level: float,
                  index: Any = None, joint: Sequence[_LogScaleFit] = ()) -> pd.DataFrame:
        """:func:`delta_interval` of ``fun(params)`` (natural-scale array) from ``cov_log``.

        With ``joint`` fits (fitted separately, so their log-parameters are
        independent: the covariance is block-diagonal), ``fun`` gets the
        parameters of this fit and the joint ones, concatenated.
        """
        fits = (self, *joint)
        return delta_interval(lambda z: fun(np.exp(z)), np.log(np.concatenate([f._theta() for f in fits])),
                              linalg.block_diag(*(f._checked_cov_log() for f in fits)), level=level,
                              scale=scale, index=index)

    def _checked_cov_log(self) -> np.ndarray:
        """``cov_log``, which every interval needs (a fit built by hand may lack it)."""
        if getattr(self, "cov_log", None) is None:
            raise ParameterError(f"this {getattr(self, 'label', 'model')} fit has no covariance (cov_log); "
                                 "intervals need a fit returned by the crmlab fit_* functions")
        return np.asarray(self.cov_log, dtype=float)


@dataclass(frozen=True)
class MLE(_LogScaleFit):
    """Result of :func:`maximize`: log-parameter estimates and their covariance (``params``,
    ``cov``, ``se`` and ``table`` as every fit has them)."""

    z: np.ndarray
    cov_log: np.ndarray
    loglik: float
    iterations: int
    names: tuple[str, ...]

    @property
    def params(self) -> pd.Series:  # type: ignore[override]
        """Estimates on the natural scale."""
        return pd.Series(np.exp(self.z), index=list(self.names), name="estimate")


def maximize(
    loglik: Callable[[np.ndarray], Any],
    z0: Sequence[float],
    names: Sequence[str],
    *,
    label: str = "model",
    n: float = 1.0,
    gtol: float = 1e-6,
    maxiter: int = 500,
    gradient: bool = False,
    polish: int = 20,
    per: str = "observation",
    hint: Callable[[np.ndarray], str] | None = None,
    stop: Callable[[np.ndarray], str | None] | None = None,
) -> MLE:
    """The one optimiser of crmlab's likelihood models: maximise ``loglik(z)`` over
    log-parameters ``z``; raise unless truly converged.

    Minimises the mean negative log-likelihood (a non-finite value counts as
    ``1e100``) by BFGS, then up to ``polish`` Newton steps, because BFGS often
    stops on precision loss. Without ``gradient`` the gradient and Hessian are
    central differences of the log-likelihood; with it, ``loglik`` returns
    ``(value, gradient)`` and the Hessian is central differences of the
    gradient. The sBG, BG/BB and BTYD fits all call it.

    Parameters
    ----------
    loglik : callable
        Total log-likelihood as a function of the log-parameters (with
        ``gradient``: the pair value, gradient).
    z0 : sequence of float
        Starting log-parameters.
    names : sequence of str
        Parameter names (natural scale).
    label : str
        Model name used in error messages.
    n : float
        Number of observations; convergence is judged on the gradient of the
        mean log-likelihood (``gtol``).
    gradient : bool
        Whether ``loglik`` also returns its gradient (analytic).
    polish : int
        Most Newton steps after BFGS.
    per : str
        What one observation is, in the gradient error ("observation", "customer").
    hint : callable, optional
        ``hint(z)`` adds why the gradient is still large to that error.
    stop : callable, optional
        ``stop(z)`` returns a reason to give up at a BFGS iterate (a model can
        name a ridge it would otherwise follow for minutes), else None.

    Raises
    ------
    ConvergenceError
        Non-finite likelihood at the optimum, a parameter running off to 0 or
        infinity (log value beyond +-25), a gradient above ``gtol`` (per
        ``per``; ``hint(z)`` may add why) or a Hessian that is not positive
        definite; or as soon as ``stop(z)`` returns a reason at a BFGS iterate.

    Examples
    --------
    >>> fit = maximize(lambda z: -float((np.exp(z[0]) - 2.0) ** 2), [0.0], ["a"])
    >>> round(float(fit.params["a"]), 6)
    2.0
    >>> fit = maximize(lambda z: (-float((z[0] - 1.0) ** 2), -2 * (z - 1.0)), [0.0], ["a"], gradient=True)
    >>> round(float(fit.z[0]), 6), fit.names
    (1.0, ('a',))
    """
    names = tuple(names)
    if np.shape(z0) != (len(names),):
        raise ParameterError(f"z0 has shape {np.shape(z0)}; expected one start per name {names}")

    def nll(z):  # mean negative log-likelihood and its gradient (zeros unless ``gradient``)
        with np.errstate(all="ignore"):
            v, g = loglik(z) if gradient else (loglik(z), np.zeros_like(z))
        if not np.isfinite(v) or not np.all(np.isfinite(g)):
            return 1e100, np.zeros_like(z)
        return -v / n, -g / n

    def value(z):
        return nll(z)[0]

    def objective(z):  # the analytic gradient, or central differences of the value
        return nll(z) if gradient else (value(z), num_jacobian(value, z)[0])

    def hessian(z):  # central differences of the gradient (symmetrised), or of the value
        if not gradient:
            return _num_hessian(value, z)
        H = num_jacobian(lambda zz: nll(zz)[1], z, 1e-4)
        return 0.5 * (H + H.T)

    stopped: list[str] = []

    def callback(intermediate_result):
        reason = stop(intermediate_result.x) if stop is not None else None
        if reason:
            stopped.append(reason)
            raise StopIteration

    try:
        res = optimize.minimize(objective, np.asarray(z0, dtype=float), jac=True, method="BFGS",
                                callback=callback if stop is not None else None,
                                options={"maxiter": maxiter, "gtol": gtol * 1e-2})
    except (FloatingPointError, OverflowError, ValueError) as exc:  # pragma: no cover
        raise ConvergenceError(f"{label} fit failed numerically: {exc}") from None
    if stopped:
        raise ConvergenceError(f"{label} fit did not converge: {stopped[0]}; no estimates are returned")
    z = res.x
    iters = int(res.nit)
    hess, hess_at = None, None
    for _ in range(polish):
        v, g = objective(z)
        if v >= 1e100 or np.any(np.abs(z) > 30):
            break
        hess, hess_at = hessian(z), z.copy()
        if np.max(np.abs(g)) < gtol * 1e-3:
            break
        try:
            step = np.linalg.solve(hess, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)):
            break
        t = 1.0
        while t > 1e-4 and objective(z - t * step)[0] > v + 1e-14 * abs(v):
            t /= 2
        if t <= 1e-4:
            break
        z = z - t * step
        iters += 1
    v, g = objective(z)
    if v >= 1e100 or not np.all(np.isfinite(z)):
        raise ConvergenceError(f"{label} fit failed: the log-likelihood is not finite at the optimum "
                               f"found ({res.message}); no estimates are returned")
    if np.any(np.abs(z) > 25):
        j = int(np.argmax(np.abs(z)))
        raise ConvergenceError(
            f"{label} fit did not converge: parameter {names[j]} runs off to "
            f"{'infinity' if z[j] > 0 else 'zero'} (log value {z[j]:.1f}); the model is not "
            "identified on these data, so no estimates are returned")
    gmax = float(np.max(np.abs(g)))
    if gmax > gtol:
        why = hint(z) if hint is not None else ""
        raise ConvergenceError(
            f"{label} fit did not converge: largest gradient {gmax:.2e} per {per} after "
            f"{iters} iterations ({res.message}); no estimates are returned.{why}")
    if hess is None or not np.array_equal(hess_at, z):
        hess = hessian(z)
    H = hess * n  # Hessian of the negative total log-likelihood
    with np.errstate(all="ignore"):
        evals = np.linalg.eigvalsh(H) if np.all(np.isfinite(H)) else np.array([np.nan])
    if not np.all(np.isfinite(evals)) or np.min(evals) <= 0:
        raise ConvergenceError(f"{label} fit stopped at a point where the Hessian is not positive "
                               "definite (a saddle point or a flat ridge); no estimates are returned")
    return MLE(z=z, cov_log=np.linalg.inv(H), loglik=-v * n, iterations=iters, names=names)


def delta_interval(
    fun: Callable[[np.ndarray], Any],
    z: Any,
    cov_log: Any,
    *,
    level: float = 0.95,
    scale: str = "log",
    index: Any = None,
    step: float = 1e-5,
) -> pd.DataFrame:
    """Delta-method standard errors and intervals for ``fun`` of log-parameters.

    Parameters
    ----------
    fun : callable
        Maps log-parameters (1-d array) to the quantity: a scalar or 1-d array.
    z : array
        Estimated log-parameters.
    cov_log : array
        Their covariance (inverse observed information on the log scale).
    level : float
        Coverage of the interval (0.95).
    scale : {"log", "logit", "identity"}
        Scale on which the normal interval is built and back-transformed:
        ``log`` for positive quantities (purchases, CLV), ``logit`` for
        probabilities (P(alive), survival), ``identity`` otherwise. A value on
        the scale's boundary (0 for log; 0 or 1 for logit) gets the degenerate
        interval [value, value].
    index : array-like, optional
        Index of the returned frame.
    step : float
        Step of the central differences in log-parameters.

    Returns
    -------
    DataFrame
        ``estimate``, ``se`` (natural scale, delta method), ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> t = delta_interval(lambda z: np.exp(z), np.log([0.5]), np.array([[0.04]]), scale="logit")
    >>> t.round(3).values.tolist()
    [[0.5, 0.1, 0.32, 0.68]]
    """
    check_choice(scale, "scale", list(SCALES))
    check_number(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
    z = np.asarray(z, dtype=float).ravel()
    C = np.asarray(cov_log, dtype=float)
    if C.shape != (len(z), len(z)):
        raise ParameterError(f"cov_log must be {len(z)} x {len(z)}, got shape {C.shape}")
    if not np.all(np.isfinite(C)) or not np.allclose(C, C.T, rtol=1e-8, atol=0):
        raise ParameterError("cov_log must be a finite symmetric covariance matrix")
    lam = np.linalg.eigvalsh(C) if C.size else np.zeros(1)
    if lam.min() < -1e-10 * max(1.0, float(np.abs(lam).max())):
        # a negative variance would be clipped to se 0: an interval of width 0, silently
        raise ParameterError(f"cov_log is not a covariance matrix: it has a negative eigenvalue "
                             f"{lam.min():.3g} (not positive semi-definite)")
    est = np.atleast_1d(np.asarray(fun(z), dtype=float))
    J = num_jacobian(fun, z, step)
    var = np.einsum("ij,jk,ik->i", J, C, J)
    se = np.sqrt(np.clip(var, 0, None))
    zq = stats.norm.ppf(0.5 + level / 2)
    lo, hi = est.copy(), est.copy()
    with np.errstate(all="ignore"):
        if scale == "identity":
            lo, hi = est - zq * se, est + zq * se
        elif scale == "log":
            ok = est > 0
            s = se[ok] / est[ok]
            lo[ok], hi[ok] = est[ok] * np.exp(-zq * s), est[ok] * np.exp(zq * s)
        else:
            ok = (est > 0) & (est < 1)
            h = special.logit(est[ok])
            s = se[ok] / (est[ok] * (1 - est[ok]))
            lo[ok], hi[ok] = special.expit(h - zq * s), special.expit(h + zq * s)
    out = pd.DataFrame({"estimate": est, "se": se, "ci_low": lo, "ci_high": hi})
    if index is not None:
        if len(index) != len(out):
            raise ParameterError(f"index has {len(index)} labels for {len(out)} estimates")
        out.index = index
    return out

