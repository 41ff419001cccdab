"""The Spark SQL engine agrees with the pandas customer summary (runs in CI).

The same checks as ``test_engines.py`` (helpers imported from there), through Spark SQL in
local mode. They need pyspark and Java (CI installs ``.[spark]``, see ``.ci/run``) and are
skipped with the reason otherwise. One SparkSession serves the whole test session; the
cases are few because each Spark query costs seconds.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from test_engines import (  # noqa: F401 - fixtures used by name
    CDNOW_CASES,
    _write,
    assert_agree,
    cdnow,
    cdnow_files,
    messy_log,
    messy_logs,
    pandas_full,
)

from crmlab import engines
from crmlab.errors import DataError

SPARK_OK, SPARK_REASON = engines.spark_available()
pytestmark = [
    pytest.mark.skipif(not SPARK_OK, reason=f"Spark tests skipped: {SPARK_REASON}"),
    pytest.mark.filterwarnings("ignore::crmlab.errors.CrmlabWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture(scope="session")
def spark():
    return engines.spark_session()


def test_spark_reads_a_parquet_folder_and_agrees_on_cdnow(spark, cdnow, cdnow_files):  # noqa: F811 - shared fixtures
    kw = CDNOW_CASES[1]  # calibration + holdout
    assert_agree(engines.engine_summary(cdnow_files["parquet_dir"], engine=spark, **kw),
                 pandas_full(cdnow, **kw))


def test_spark_reads_csv_and_agrees_on_cdnow(spark, cdnow, cdnow_files):  # noqa: F811 - shared fixtures
    kw = CDNOW_CASES[2]  # cohort_start
    as_text = cdnow.assign(customer_id=cdnow["customer_id"].astype(str))
    assert_agree(engines.engine_summary(cdnow_files["csv"], engine="spark", **kw),
                 pandas_full(as_text, **kw))


def test_spark_cohort_matrix_matches_duckdb(spark, cdnow_files):  # noqa: F811 - shared fixtures
    got = engines.engine_cohort_matrix(cdnow_files["parquet"], "M", "revenue", engine="spark")
    pd.testing.assert_frame_equal(got, engines.engine_cohort_matrix(cdnow_files["parquet"], "M",
                                                                    "revenue"))


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=messy_logs(max_rows=25))
def test_spark_matches_pandas_on_random_logs(spark, case):
    log, kw = case
    try:
        want = pandas_full(log, **kw)
    except DataError:
        with pytest.raises(DataError):
            engines.engine_summary(log, engine="spark", **kw)
        return
    assert_agree(engines.engine_summary(log, engine="spark", **kw), want)


def test_spark_matches_pandas_on_the_messy_export(spark, messy_log):  # noqa: F811 - shared fixtures
    log, truth = messy_log
    kw = {"as_of": pd.Timestamp(truth["last_day"]) - pd.Timedelta(days=120),
          "holdout_end": truth["last_day"]}
    assert_agree(engines.engine_summary(log, engine="spark", **kw), pandas_full(log, **kw))


def test_spark_bad_input_gives_the_same_errors(spark, tmp_path):
    path = _write(tmp_path, "customer_id,date,amount\na,2024-01-02,10\nb,2024-01-03,abc\n")
    with pytest.raises(DataError, match=r"column 'amount': 'abc' is not a number"):
        engines.engine_summary(path, engine="spark")
    path = _write(tmp_path, "customer_id,date,amont\na,2024-01-02,10\n", "b.csv")
    with pytest.raises(DataError, match=r"'amount' \(did you mean 'amont'\?\)"):
        engines.engine_summary(path, engine="spark")
    path = _write(tmp_path, "customer_id,date,amount\na,20240102,10\nb,2024-01-03,5\n", "c.csv")
    with pytest.raises(DataError, match=r"column 'date': '2024-01-03' is not in the date format"):
        engines.engine_summary(path, engine="spark")
