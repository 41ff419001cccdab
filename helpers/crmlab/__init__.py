"""crmlab: helpers for the crm-notebooks teaching and research collection.

Submodules are imported lazily on first use, so ``import crmlab`` is cheap and
``crmlab.ahp.analyze(...)`` works without a separate import.

Examples
--------
>>> import crmlab
>>> crmlab.DataError.__mro__[1].__name__
'CrmlabError'
"""

from __future__ import annotations

import importlib
from typing import Any

from crmlab.errors import (
    ConvergenceError,
    CrmlabError,
    CrmlabWarning,
    DataError,
    ParameterError,
)

__version__ = "0.1.0"

_SUBMODULES = {
    "ahp",
    "bgbb",
    "btyd",
    "churn",
    "clv",
    "datasets",
    "engines",
    "exercises",
    "finance",
    "lifecycle",
    "mle",
    "privacy",
    "retention",
    "rfm",
    "sbg",
    "segmentation",
    "simulate",
    "summary",
    "survival",
    "validation",
    "value",
}

__all__ = [
    "ConvergenceError",
    "CrmlabError",
    "CrmlabWarning",
    "DataError",
    "ParameterError",
    "__version__",
    *sorted(_SUBMODULES),
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"crmlab.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'crmlab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES)
