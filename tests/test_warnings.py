"""crmlab's warnings point at the caller's line, never into the crmlab installation."""

from __future__ import annotations

import warnings

import pandas as pd

from crmlab import rfm
from crmlab.errors import CrmlabWarning


def test_a_warning_deep_inside_crmlab_is_attributed_to_this_file():
    log = pd.DataFrame({"customer_id": [1, 2], "date": pd.to_datetime(["2024-01-02", "2024-01-03"]),
                        "amount": [10.0, -5.0]})   # customer 2 only returns: left out, with a warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rfm.rfm_table(log)
    ours = [w for w in caught if issubclass(w.category, CrmlabWarning)]
    assert ours, "expected the left-out customer to be announced"
    assert all(w.filename == __file__ for w in ours), [(w.filename, w.lineno) for w in ours]
