"""Every chapter survives parameters a student may choose: non-default, valid, boundaries included.

``SWEEP`` maps a chapter notebook to the parameter sets it is run with (papermill, in a fresh
kernel). A run passes when the notebook completes: its validation cell accepted the values and
every assert in it held (or, where an assert is only true for the worked example, it was
skipped with a printed note). Extend a chapter by adding a dict to its list.

Sets in ``PENDING`` are written for notebooks whose parameter cells are being rewritten for the
own-data contract (DATA_PATH, column names, date parameters defaulting to None); they only use
parameters that are not about data and are skipped until the rewrite lands: remove a notebook
from ``PENDING`` to run them. ``tests/test_notebook_parameters.py`` checks the parameter cells
themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

SWEEP: dict[str, list[dict]] = {
    "02_delivered_value.ipynb": [
        # lower boundaries: time worth nothing, choice blind to value, free flights, no discounting
        {"VALUE_OF_TIME_BUSINESS": 0.0, "VALUE_OF_TIME_LEISURE": 0.0, "CHOICE_SCALE": 0.0,
         "UNIT_COST": 0.0, "DISCOUNT": 0.0, "HORIZON": 2, "N_SIM": 100, "SEED": 0,
         "CHANGE": 0.01},
        # upper boundaries: a unit cost just under the top of the fare grid (every trip at the
        # 900 fare loses money), discount 100 %, sharp choices, ±99 % tornado
        {"VALUE_OF_TIME_BUSINESS": 1000.0, "VALUE_OF_TIME_LEISURE": 1000.0, "CHOICE_SCALE": 0.05,
         "UNIT_COST": 1399.0, "DISCOUNT": 1.0, "HORIZON": 200, "N_SIM": 100, "SEED": 7,
         "CHANGE": 0.99},
    ],
    "04_ahp_customer_value.ipynb": [
        # the examples (a stricter threshold, few Monte Carlo matrices), another RI table
        {"CR_THRESHOLD": 0.05, "N_RANDOM": 500, "SEED": 0, "RI_TABLE": "alonso_lamata2006",
         "MAX_ORDER": 3},
        # the ends of the ranges: any CR accepted, the smallest simulation up to order 15
        {"RI_TABLE": "saaty2012", "CR_THRESHOLD": 1.0, "N_RANDOM": 100, "MAX_ORDER": 15,
         "STANDARDIZE": "minmax"},
    ],
    # ---- pending the own-data rewrite of these notebooks (see PENDING) ----
    # Status on 2026-11-27 before the rewrite: "ok" passes today; "fails" names what breaks.
    "00_getting_started.ipynb": [
        {"N_CUSTOMERS": 1, "SEED": 0},                                    # ok
        {"N_CUSTOMERS": 5000, "SEED": 123},                               # ok
    ],
    "01_customer_lifecycle.ipynb": [
        {"N_CUSTOMERS": 50, "TUNE_SEED": 0, "EVAL_SEED": 0, "EVAL_EVERY_MONTHS": 24},   # ok
        # fails: cell 12 plots k = 0..60 lost customers whatever INITIAL is (and INITIAL = 1
        # with the default LOST passes validation, then stops in cell 11)
        {"INITIAL": 51, "LOST": [0, 50], "PROFIT_PER_CUSTOMER": 0, "PERIODS": 1,
         "RETENTION_RATES": [0.0, 1.0]},
    ],
    "03_customer_lifetime_value.ipynb": [
        # fails: cell 40 asserts a 3,000-month sum equals the infinite one (not at 0.1 %/year);
        # DISCOUNT = 0 itself must be rejected by the validation cell (cell 38 needs d > 0)
        {"DISCOUNT": 0.001},
        {"DISCOUNT": 1.0, "INTERVAL_A": 0.25, "INTERVAL_B": 20.0, "N_STATES": 2,
         "HORIZON_MONTHS": 1, "SEED": 0},                                 # ok
        {"RETENTION": 0.99, "MARGIN": 1.0, "MARKETING_COST": 0.0, "ACQUISITION_COST": 0.0,
         "HORIZON_MONTHS": 600},                                          # ok
    ],
    "05_segmentation.ipynb": [
        # fails: cell 15 asserts the top-20 % share whatever TOP_SHARE is
        {"Q": 2, "SCORE_METHOD": "midrank", "TOP_SHARE": 1.0, "N_SYNTH": 100, "SEED": 0},
        {"Q": 9, "ABC_THRESHOLDS": [0.5, 0.99], "TOP_SHARE": 0.01},       # fails the same way
    ],
    "06_retention_metrics.ipynb": [
        {"PERIOD": "Q", "THRESHOLD_DAYS": 30, "TEST_SHARE": 0.1, "N_SYNTH": 200, "DISCOUNT": 0.0,
         "ALPHA": 0.01, "SEED": 0},                                       # ok
        {"PERIOD": "W", "THRESHOLD_DAYS": 300, "TEST_SHARE": 0.9, "DISCOUNT": 1.0},   # ok
    ],
    "07_probabilistic_clv.ipynb": [
        {"MONTHLY_DISCOUNT": 0.0, "HORIZON_WEEKS": 1, "MARGIN": 1.0, "TOP_SHARE": 0.5,
         "MAX_FREQUENCY": 1, "N_SIM": 200, "SEED": 0},                    # ok
        {"ANNUAL_DISCOUNT": 1.0, "HORIZON_WEEKS": 520, "TOP_SHARE": 0.01, "MAX_FREQUENCY": 30},  # ok
    ],
}

#: Notebooks being rewritten by the lead (parameter contract: DATA_PATH, column names, date
#: parameters default None). Their sets above are checked after the rewrite.
PENDING = {
    "00_getting_started.ipynb", "01_customer_lifecycle.ipynb", "03_customer_lifetime_value.ipynb",
    "05_segmentation.ipynb", "06_retention_metrics.ipynb", "07_probabilistic_clv.ipynb",
}


def _cases():
    for nb, sets in SWEEP.items():
        for i, params in enumerate(sets):
            marks = [pytest.mark.skip(reason="pending own-data rewrite")] if nb in PENDING else []
            yield pytest.param(nb, params, id=f"{nb[:2]}-{i}", marks=marks)


def test_every_chapter_notebook_has_an_entry():
    chapters = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    assert chapters == set(SWEEP), f"no sweep entry for {sorted(chapters - set(SWEEP))}"
    assert PENDING <= set(SWEEP)


@pytest.mark.parametrize(("notebook", "params"), list(_cases()))
def test_notebook_completes_with_parameters(notebook, params, tmp_path):
    out = tmp_path / notebook
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS / notebook), str(out), parameters=params, kernel_name="python3",
            cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
        )
    except papermill.PapermillExecutionError as e:
        pytest.fail(f"{notebook} with {params} stopped in cell {e.cell_index}: "
                    f"{e.ename}: {e.evalue}", pytrace=False)
