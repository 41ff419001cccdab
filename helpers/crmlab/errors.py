"""Exceptions and warnings raised by :mod:`crmlab`.

Every error a user can trigger with bad input is a :class:`CrmlabError`, so a
notebook can catch them all with one ``except``. Messages name the column, the
first offending row and its value, and say what was expected.
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = [
    "CrmlabError",
    "DataError",
    "ParameterError",
    "ConvergenceError",
    "CrmlabWarning",
    "warn",
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


_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def warn(message: str, category: type[Warning] = CrmlabWarning) -> None:
    """Issue a warning attributed to the first caller outside crmlab.

    The warning then points at the user's line (a notebook cell, a script), not
    at crmlab's internals, and prints no path of the crmlab installation.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("2 rows dropped")
    >>> caught[0].category.__name__, str(caught[0].message)
    ('CrmlabWarning', '2 rows dropped')
    """
    level, frame = 1, sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE + os.sep):
        level += 1
        frame = frame.f_back
    warnings.warn(message, category, stacklevel=level + 1)
