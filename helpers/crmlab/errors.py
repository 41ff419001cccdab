"""Exceptions and warnings raised by :mod:`crmlab`.

Every error a user can trigger with bad input is a :class:`CrmlabError`, so a
notebook can catch them all with one ``except``. Messages name the column, the
first offending row and its value, and say what was expected.
"""

from __future__ import annotations

__all__ = [
    "CrmlabError",
    "DataError",
    "ParameterError",
    "ConvergenceError",
    "CrmlabWarning",
]


class CrmlabError(Exception):
    """Base class of every exception raised deliberately by crmlab."""


class DataError(CrmlabError, ValueError):
    """Input data is malformed: a column is missing, a value cannot be parsed,
    or a row breaks a rule of the schema.

    Examples
    --------
    >>> raise DataError("column 'amount', row 3: 'abc' is not a number")
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: column 'amount', row 3: 'abc' is not a number
    """


class ParameterError(CrmlabError, ValueError):
    """A function argument (or notebook parameter) has the wrong type or range."""


class ConvergenceError(CrmlabError, RuntimeError):
    """A numerical fit did not converge; no estimates are returned."""


class CrmlabWarning(UserWarning):
    """Issued when crmlab changes data on request (rows merged, dropped,
    clipped); the message gives the count so nothing happens silently."""
