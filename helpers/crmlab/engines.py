"""The customer summary, occasions and cohort matrix as SQL, run by DuckDB or Spark.

The reductions that touch every row of a transaction log are relational: group the
rows into customer-day *occasions* (net amount, number of rows), then one row per
customer. They are written here once, as SQL text (:func:`summary_sql`,
:func:`cohort_sql`), and executed

- by **DuckDB** (embedded, out of core, in parallel) directly over a CSV file, a
  Parquet file or a directory of Parquet files, so the log never passes through
  Python; or over a pandas DataFrame;
- by **Spark SQL** (pyspark; local mode on one machine, the same code on a cluster
  through the ``SparkSession`` configuration).

The result is the same pandas DataFrame as the pandas reference
(:func:`crmlab.summary.customer_summary`, ``view="full"``): integers identical,
money identical to the cent. Money is summed exactly, as ``DECIMAL(38, 6)``, and
converted to float64 once, at the end; an occasion is a *purchase* iff its exact net
amount is > 0.

Dialect differences are confined to the first step (reading and typing the rows:
string type name, date parsing, day number); everything after it is the same text
for both engines.

Examples
--------
>>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, -4.0, 5.0],
...     "date": pd.to_datetime(["2024-01-01 09:30", "2024-01-01 17:00", "2024-01-03 00:00"])})
>>> full, attrs = engine_summary(log, as_of="2024-01-03")
>>> full[["purchases", "total_spend", "recency_days"]].to_dict("index")
{'a': {'purchases': 1, 'total_spend': 6.0, 'recency_days': 2}, 'b': {'purchases': 1, 'total_spend': 5.0, 'recency_days': 0}}
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmlab.datasets import (  # the loader's rules
    _check_columns,
    _sniff_sep,
    _source_path,
)
from crmlab.errors import DataError, ParameterError, warn
from crmlab.retention import (  # one layout and options for pandas and SQL
    _cohort_options,
    _partial_period,
    cohort_frame,
)
from crmlab.summary import (  # one home for the columns, the day unit and the left-out notes
    _HOLDOUT_COLUMNS,
    _NS_PER_DAY,
    SUMMARY_COLUMNS,
    _dates,
    _day,
    _no_purchase_error,
    _stamp,
    _summary_warnings,
)
from crmlab.validation import (
    DATE_MAX,
    DATE_MIN,
    MISSING_TEXT,
    ZERO_FRACTION_ID,
    _date_range_error,
    check_choice,
    check_date,
    check_number,
    excerpt,
    number_hint,
    validate_transactions,
)

__all__ = [
    "ENGINES",
    "engine_summary",
    "engine_occasions",
    "engine_cohort_matrix",
    "summary_sql",
    "occasions_sql",
    "cohort_sql",
    "spark_available",
    "spark_session",
    "save_parquet",
]

#: Engines that run the SQL (the pandas reference lives in :mod:`crmlab.summary`).
ENGINES: tuple[str, ...] = ("duckdb", "spark")

_MONEY = "DECIMAL(38, 6)"  # exact sums: whole cents (and anything to 1e-6) add up exactly
_MONEY_COLUMNS = {"total_spend", "purchase_spend", "first_amount", "holdout_purchase_spend",
                  "holdout_spend"}
_DATE_COLUMNS = {"first_purchase", "last_purchase"}
_COLUMN_OPTIONS = "customer=, date=, amount="  # the engines' column parameters

# --------------------------------------------------------------------------- dialects
# Date text formats the SQL path reads: (example, python, duckdb strptime, spark pattern).
# "iso" is read with CAST ... AS TIMESTAMP in both engines (date with optional time).
_DATE_FORMATS: dict[str, tuple[str, str | None, str | None, str | None]] = {
    "iso": ("2024-01-31 or 2024-01-31 14:05:00", None, None, None),
    "%Y%m%d": ("20240131", "%Y%m%d", "%Y%m%d", "yyyyMMdd"),
    "%Y/%m/%d": ("2024/01/31", "%Y/%m/%d", "%Y/%m/%d", "yyyy/M/d"),
    "%Y/%m/%d %H:%M:%S": ("2024/01/31 14:05:00", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M:%S",
                          "yyyy/M/d H:m:s"),
}
_ISO_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")


@dataclass(frozen=True)
class _Dialect:
    name: str
    string: str  # the string type

    def parse_ts(self, col: str, fmt: str) -> str:
        if fmt == "iso":
            return f"TRY_CAST(TRIM({col}) AS TIMESTAMP)"
        _, _, duck, spark = _DATE_FORMATS[fmt]
        if self.name == "duckdb":
            return f"TRY_STRPTIME(TRIM({col}), '{duck}')"
        return f"try_to_timestamp(TRIM({col}), '{spark}')"

    def matches(self, col: str, pattern: str) -> str:
        """SQL that is true where ``col`` matches the regular expression (no backslashes)."""
        if self.name == "duckdb":
            return f"regexp_matches({col}, '{pattern}')"
        return f"({col} RLIKE '{pattern}')"

    def quote(self, name: str) -> str:
        if self.name == "duckdb":
            return '"' + name.replace('"', '""') + '"'
        return "`" + name.replace("`", "``") + "`"

    def epoch_day(self, date_expr: str) -> str:
        if self.name == "duckdb":
            return f"date_diff('day', DATE '1970-01-01', {date_expr})"
        return f"unix_date({date_expr})"


_DIALECTS = {"duckdb": _Dialect("duckdb", "VARCHAR"), "spark": _Dialect("spark", "STRING")}


def _day_literal(day: int) -> str:
    return f"{int(day)} /* {_stamp(day).date()} */"


# --------------------------------------------------------------------------- the SQL
def occasions_sql(rows: str = "day_rows", *, day: str = "day_number(d)") -> str:
    """SQL of the occasion table: one row per customer and calendar day.

    ``rows`` is a relation with ``customer_id``, ``d`` (the calendar day, DATE)
    and ``amt`` (double). ``net`` is the exact net amount of the day (returns
    included), ``n_rows`` the rows merged and ``day`` the day number (days since
    1970-01-01; ``day`` is the dialect's expression for it).

    Examples
    --------
    >>> print(occasions_sql())
    SELECT customer_id, d, day_number(d) AS day, net, n_rows
    FROM (
      SELECT customer_id, d, SUM(CAST(amt AS DECIMAL(38, 6))) AS net, COUNT(*) AS n_rows
      FROM day_rows
      GROUP BY customer_id, d
    ) AS occasion_days
    """
    return (
        f"SELECT customer_id, d, {day} AS day, net, n_rows\n"
        "FROM (\n"
        f"  SELECT customer_id, d, SUM(CAST(amt AS {_MONEY})) AS net, COUNT(*) AS n_rows\n"
        f"  FROM {rows}\n"
        "  GROUP BY customer_id, d\n"
        ") AS occasion_days"
    )


def summary_sql(
    as_of_day: int,
    *,
    holdout_end_day: int | None = None,
    cohort_start_day: int | None = None,
    occasions: str = "occasions",
) -> dict[str, str]:
    """The SQL of the customer summary, given the occasion table.

    Three statements: ``per_customer`` (one pass over the occasions: every
    customer with a row, purchases only counted up to ``as_of``), ``summary``
    (the "full" view: customers with a purchase on or before ``as_of``) and
    ``attrs`` (the reconciliation counts). Days are day numbers (days since
    1970-01-01), so the text is the same for DuckDB and Spark SQL.

    Examples
    --------
    >>> sql = summary_sql(10_000, holdout_end_day=10_100)
    >>> sorted(sql), "holdout_purchases" in sql["summary"]
    (['attrs', 'per_customer', 'summary'], True)
    """
    a = _day_literal(as_of_day)
    cal = f"day <= {a}"
    buy = f"day <= {a} AND net > 0"
    holdout = ""
    if holdout_end_day is not None:
        h = _day_literal(holdout_end_day)
        win = f"day > {a} AND day <= {h}"
        holdout = (
            f",\n  COUNT(CASE WHEN {win} AND net > 0 THEN 1 END) AS holdout_purchases"
            f",\n  SUM(CASE WHEN {win} AND net > 0 THEN net ELSE 0 END) AS holdout_purchase_spend"
            f",\n  SUM(CASE WHEN {win} THEN net ELSE 0 END) AS holdout_spend"
            f",\n  CAST(SUM(CASE WHEN day > {h} THEN n_rows ELSE 0 END) AS BIGINT) AS rows_after_end"
        )
    per_customer = (
        "SELECT customer_id,\n"
        f"  MIN(CASE WHEN {buy} THEN day END) AS first_purchase,\n"
        f"  MAX(CASE WHEN {buy} THEN day END) AS last_purchase,\n"
        f"  COUNT(CASE WHEN {buy} THEN 1 END) AS purchases,\n"
        f"  SUM(CASE WHEN {cal} THEN net ELSE 0 END) AS total_spend,\n"
        f"  SUM(CASE WHEN {buy} THEN net ELSE 0 END) AS purchase_spend,\n"
        f"  MIN_BY(CASE WHEN {buy} THEN net END, CASE WHEN {buy} THEN day END) AS first_amount,\n"
        f"  COUNT(CASE WHEN {cal} AND net <= 0 THEN 1 END) AS nonpurchase_days,\n"
        f"  CAST(SUM(CASE WHEN {cal} THEN n_rows ELSE 0 END) AS BIGINT) AS n_rows,\n"
        f"  COUNT(CASE WHEN {cal} THEN 1 END) AS n_occasions,\n"
        f"  CAST(SUM(CASE WHEN day > {a} THEN n_rows ELSE 0 END) AS BIGINT) AS rows_after"
        f"{holdout}\n"
        f"FROM {occasions}\n"
        "GROUP BY customer_id"
    )
    in_cohort = "" if cohort_start_day is None else (
        f" AND first_purchase >= {_day_literal(cohort_start_day)}"
    )
    hold_cols = "" if holdout_end_day is None else (
        ",\n  holdout_purchases,\n"
        "  CAST(holdout_purchase_spend AS DOUBLE) AS holdout_purchase_spend,\n"
        "  CAST(holdout_spend AS DOUBLE) AS holdout_spend"
    )
    summary = (
        "SELECT customer_id,\n"
        "  first_purchase, last_purchase, purchases,\n"
        "  purchases - 1 AS repeat_purchases,\n"
        f"  {a} - last_purchase AS recency_days,\n"
        f"  {a} - first_purchase AS tenure_days,\n"
        "  last_purchase - first_purchase AS span_days,\n"
        "  CAST(total_spend AS DOUBLE) AS total_spend,\n"
        "  CAST(purchase_spend AS DOUBLE) AS purchase_spend,\n"
        "  CAST(first_amount AS DOUBLE) AS first_amount,\n"
        "  nonpurchase_days, n_rows"
        f"{hold_cols}\n"
        "FROM per_customer\n"
        f"WHERE purchases > 0{in_cohort}\n"
        "ORDER BY customer_id"
    )
    before = "FALSE" if cohort_start_day is None else (
        f"purchases > 0 AND first_purchase < {_day_literal(cohort_start_day)}"
    )
    no_buy = "purchases = 0 AND n_rows > 0"
    after_end = "" if holdout_end_day is None else (
        "  CAST(COALESCE(SUM(rows_after_end), 0) AS BIGINT) AS rows_after_holdout_end,\n"
    )
    attrs = (
        "SELECT\n"
        "  CAST(COALESCE(SUM(n_rows), 0) AS BIGINT) AS rows_used,\n"
        "  CAST(COALESCE(SUM(rows_after), 0) AS BIGINT) AS rows_after_as_of,\n"
        f"{after_end}"
        "  CAST(COALESCE(SUM(n_occasions), 0) AS BIGINT) AS n_occasions,\n"
        "  COUNT(CASE WHEN n_rows = 0 THEN 1 END) AS customers_after_as_of,\n"
        "  CAST(COALESCE(SUM(total_spend), 0) AS DOUBLE) AS net_amount,\n"
        f"  COUNT(CASE WHEN {no_buy} THEN 1 END) AS customers_without_purchase,\n"
        f"  CAST(COALESCE(SUM(CASE WHEN {no_buy} THEN total_spend END), 0) AS DOUBLE)"
        " AS spend_without_purchase,\n"
        f"  COUNT(CASE WHEN {before} THEN 1 END) AS customers_before_cohort_start,\n"
        f"  CAST(COALESCE(SUM(CASE WHEN {before} THEN total_spend END), 0) AS DOUBLE)"
        " AS spend_before_cohort_start\n"
        "FROM per_customer"
    )
    return {"per_customer": per_customer, "summary": summary, "attrs": attrs}


def cohort_sql(as_of_day: int, period: str, *, occasions: str = "occasions") -> str:
    """SQL of the acquisition-cohort table: purchasers and revenue by cohort and period.

    Only purchase occasions (net > 0) on or before ``as_of`` count. ``cohort`` and
    ``period`` are pandas ``Period`` ordinals of ``period`` ("W", "M", "Q", "Y");
    ``k`` = period − cohort.

    Examples
    --------
    >>> "COUNT(DISTINCT p.customer_id)" in cohort_sql(10_000, "M")
    True
    """
    check_choice(period, "period", ["W", "M", "Q", "Y"])
    # pandas Period ordinals (1970 = 0; weeks end on Sunday, the week of 1970-01-01 is 1)
    ordinal = {
        "W": "CAST(FLOOR((day + 3) / 7.0) AS BIGINT) + 1",
        "M": "(YEAR(d) - 1970) * 12 + MONTH(d) - 1",
        "Q": "(YEAR(d) - 1970) * 4 + QUARTER(d) - 1",
        "Y": "YEAR(d) - 1970",
    }[period]
    return (
        "WITH p AS (\n"
        f"  SELECT customer_id, {ordinal} AS per, net\n"
        f"  FROM {occasions}\n"
        f"  WHERE net > 0 AND day <= {_day_literal(as_of_day)}\n"
        "), c AS (\n"
        "  SELECT customer_id, MIN(per) AS cohort FROM p GROUP BY customer_id\n"
        ")\n"
        "SELECT c.cohort, p.per - c.cohort AS k,\n"
        "  COUNT(DISTINCT p.customer_id) AS customers,\n"
        "  CAST(SUM(p.net) AS DOUBLE) AS revenue\n"
        "FROM p JOIN c ON p.customer_id = c.customer_id\n"
        "GROUP BY c.cohort, p.per - c.cohort\n"
        "ORDER BY c.cohort, k"
    )


# --------------------------------------------------------------------------- sources
@dataclass
class _Source:
    """A log as the engines see it: a relation name plus how to type its columns."""

    name: str  # for messages
    kind: str  # "frame", "csv", "parquet"
    frame: pd.DataFrame | None = None
    path: str | None = None
    sep: str | None = None


def _resolve_source(source: Any, customer: str, date: str, amount: str) -> _Source:
    if isinstance(source, pd.DataFrame):
        _check_columns("the DataFrame", (customer, date, amount), source.columns, sep=None,
                       options=_COLUMN_OPTIONS, sep_option=False)
        frame = source[[customer, date, amount]].rename(
            columns={customer: "customer_id", date: "date", amount: "amount"}
        )
        frame = validate_transactions(frame, what="the log")
        return _Source("the log", "frame", frame=frame)
    if not isinstance(source, (str, os.PathLike)):
        raise DataError(
            "source must be a transaction DataFrame or the path of a CSV file, a Parquet "
            f"file or a directory of Parquet files, got {type(source).__name__}"
        )
    p = _source_path(source, folders=True)  # the loader's checks, folders allowed
    if p.is_dir():
        if not any(p.rglob("*.parquet")):
            raise DataError(f"{p} is a directory without .parquet files")
        return _Source(str(p), "parquet", path=str(p))
    if p.suffix.lower() in (".parquet", ".pq"):
        return _Source(str(p), "parquet", path=str(p))
    with open(p, "rb") as fh:
        head = fh.read(65_536)
    if not head.strip():
        raise DataError(f"{p} is empty: expected a header line and transaction rows")
    try:  # incremental: a character cut at the end of the 64 KiB sample is not an error
        sample = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        raise DataError(
            f"{p} is not valid UTF-8 text; the SQL engines read UTF-8 CSV — convert it or "
            "load it with crmlab.datasets.load_transactions(..., encoding=...) and pass "
            "the DataFrame"
        ) from None
    return _Source(str(p), "csv", path=str(p), sep=_sniff_sep(sample))  # the loader's delimiter rule


def _sql_date_format(sample: str, name: str, column: str) -> str:
    """Which of the formats both SQL dialects read (_DATE_FORMATS) the sample is written in."""
    s = sample.strip()
    if _ISO_RE.match(s):
        return "iso"
    for fmt, (_, py, _, _) in _DATE_FORMATS.items():
        if py is None:
            continue
        try:
            datetime.strptime(s, py)
            return fmt
        except ValueError:
            continue
    examples = ", ".join(v[0] for v in _DATE_FORMATS.values())
    raise DataError(
        f"{name}: column {column!r}: {sample!r} is not a date format the SQL engines read "
        f"({examples}); load the file with crmlab.datasets.load_transactions (which reads "
        "many more formats) and pass the DataFrame"
    )


# --------------------------------------------------------------------------- runners
class _Runner:
    """Runs SQL text on one engine over one source; all statements see ``typed_rows``."""

    dialect: _Dialect
    prefix: str  # of this run's relations, so that runs sharing a connection never collide

    def _sql(self, sql: str) -> str:
        return _RELATION_RE.sub(lambda m: self.prefix + m.group(1), sql)

    def columns(self) -> dict[str, str]:  # name -> type (upper case)
        raise NotImplementedError

    def query(self, sql: str) -> pd.DataFrame:
        raise NotImplementedError

    def view(self, name: str, sql: str, *, materialise: bool = False) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _DuckRunner(_Runner):
    def __init__(self, src: _Source, con: Any = None) -> None:
        import duckdb

        self.dialect = _DIALECTS["duckdb"]
        self.own = con is None
        self.con = duckdb.connect() if con is None else con
        self._tmp: str | None = None
        if self.own:  # spill to a private scratch folder, not the working directory
            self._tmp = tempfile.mkdtemp(prefix="crmlab-duckdb-")
            self.con.execute(f"SET temp_directory = '{self._tmp}'")
            try:
                self.con.execute("SET enable_progress_bar = false")
            except Exception:  # noqa: BLE001 - in Jupyter without ipywidgets there is none
                pass
        self.prefix = f"crmlab_{uuid.uuid4().hex[:8]}_"
        self._made: list[tuple[str, str]] = []
        if src.kind == "frame":
            self.con.register(self.prefix + "log_source", src.frame)
        elif src.kind == "csv":
            sep = (src.sep or ",").replace("'", "''")
            path = str(src.path).replace("'", "''")
            self.view("log_source", f"SELECT * FROM read_csv('{path}', header = true, "
                                    f"all_varchar = true, delim = '{sep}', quote = '\"')")
        else:
            path = str(src.path)
            if os.path.isdir(path):
                path = os.path.join(path, "**", "*.parquet")
            path = path.replace("'", "''")
            self.view("log_source", f"SELECT * FROM read_parquet('{path}', union_by_name = true)")
        self.frame = src.kind == "frame"

    def columns(self) -> dict[str, str]:
        rel = self.con.sql(f"SELECT * FROM {self.prefix}log_source LIMIT 0")
        return {c: str(t).upper() for c, t in zip(rel.columns, rel.types)}

    def query(self, sql: str) -> pd.DataFrame:
        return self.con.execute(self._sql(sql)).df()

    def view(self, name: str, sql: str, *, materialise: bool = False) -> None:
        kind = "TABLE" if materialise else "VIEW"
        self.con.execute(f"CREATE OR REPLACE TEMP {kind} {self.prefix}{name} AS {self._sql(sql)}")
        self._made.append((kind, self.prefix + name))

    def close(self) -> None:
        if self.own:
            self.con.close()
        else:
            for kind, name in reversed(self._made):
                self.con.execute(f"DROP {kind} IF EXISTS {name}")
            if self.frame:
                self.con.unregister(self.prefix + "log_source")
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


class _SparkRunner(_Runner):
    def __init__(self, src: _Source, spark: Any) -> None:
        self.dialect = _DIALECTS["spark"]
        self.spark = spark
        self.prefix = f"crmlab_{uuid.uuid4().hex[:8]}_"
        self._cached: list[Any] = []
        self._views: list[str] = []
        reader = spark.read
        if src.kind == "frame":
            df = spark.createDataFrame(src.frame)
        elif src.kind == "csv":
            df = (reader.option("header", True).option("sep", src.sep).option("quote", '"')
                  .option("escape", '"').option("inferSchema", False).csv(src.path))
        else:
            df = reader.option("recursiveFileLookup", os.path.isdir(str(src.path))).parquet(src.path)
        df.createOrReplaceTempView(self.prefix + "log_source")
        self._views.append(self.prefix + "log_source")

    def columns(self) -> dict[str, str]:
        df = self.spark.table(self.prefix + "log_source")
        return {f.name: f.dataType.simpleString().upper() for f in df.schema.fields}

    def query(self, sql: str) -> pd.DataFrame:
        return self.spark.sql(self._sql(sql)).toPandas()

    def view(self, name: str, sql: str, *, materialise: bool = False) -> None:
        df = self.spark.sql(self._sql(sql))
        if materialise:
            df = df.cache()
            self._cached.append(df)
        df.createOrReplaceTempView(self.prefix + name)
        self._views.append(self.prefix + name)

    def close(self) -> None:
        for df in self._cached:
            df.unpersist()
        for name in reversed(self._views):
            self.spark.catalog.dropTempView(name)


_STRINGS = ("VARCHAR", "STRING")
_RELATIONS = ("log_source", "log_columns", "typed_rows", "day_rows", "occasions", "per_customer")
_RELATION_RE = re.compile(r"\b(" + "|".join(_RELATIONS) + r")\b")
#: the loader's whole-number id rule (17850.0 is 17850), without backslashes for SQL
_ZERO_FRACTION_SQL = "^" + ZERO_FRACTION_ID.replace("\\d", "[0-9]").replace("\\.", "[.]") + "$"


def _typed_rows_sql(dialect: _Dialect, types: dict[str, str], date_fmt: str | None) -> str:
    """The one dialect-specific statement: the source rows, typed."""
    cust = "customer_id"
    if types["customer_id"].startswith(_STRINGS):
        # the loader's id rules (crmlab.validation.MISSING_TEXT; 17850.0 is 17850) in SQL
        missing = ", ".join("'" + m.replace("'", "''") + "'" for m in sorted(MISSING_TEXT))
        cust = (
            "CASE WHEN LOWER(TRIM(customer_id)) IN (" + missing + ") THEN NULL "
            f"WHEN {dialect.matches('TRIM(customer_id)', _ZERO_FRACTION_SQL)} "
            "THEN regexp_replace(TRIM(customer_id), '[.]0+$', '') "
            "ELSE TRIM(customer_id) END"
        )
    ts = "CAST(date AS TIMESTAMP)" if date_fmt is None else dialect.parse_ts("date", date_fmt)
    amt = "TRIM(amount)" if types["amount"].startswith(_STRINGS) else "amount"
    return (
        f"SELECT {cust} AS customer_id, {ts} AS ts, TRY_CAST({amt} AS DOUBLE) AS amt,\n"
        "  date AS raw_date, amount AS raw_amount\n"
        "FROM log_columns"
    )


def _check_sql(dialect: _Dialect) -> str:
    bad_amt = "amt IS NULL OR ISNAN(amt) OR ABS(amt) > 1e15"  # as the loader: cents survive
    return (
        "SELECT COUNT(*) AS n,\n"
        "  COUNT(CASE WHEN customer_id IS NULL THEN 1 END) AS no_id,\n"
        "  COUNT(CASE WHEN raw_date IS NULL THEN 1 END) AS no_date,\n"
        "  COUNT(CASE WHEN ts IS NULL AND raw_date IS NOT NULL THEN 1 END) AS bad_date,\n"
        f"  MIN(CASE WHEN ts IS NULL THEN CAST(raw_date AS {dialect.string}) END) AS bad_date_value,\n"
        f"  COUNT(CASE WHEN {bad_amt} THEN 1 END) AS bad_amount,\n"
        f"  MIN(CASE WHEN {bad_amt} THEN CAST(raw_amount AS {dialect.string}) END) AS bad_amount_value,\n"
        "  MIN(ts) AS first_ts, MAX(ts) AS last_ts\n"
        "FROM typed_rows"
    )


def _prepare(runner: _Runner, src: _Source, customer: str, date: str, amount: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Rename, type and check the rows (one pass); return the first and last day of the log."""
    types = runner.columns()
    _check_columns(src.name, (customer, date, amount), list(types), sep=src.sep,
                   options=_COLUMN_OPTIONS, sep_option=False)
    q = runner.dialect.quote
    runner.view("log_columns", (
        f"SELECT {q(customer)} AS customer_id, {q(date)} AS date, "
        f"{q(amount)} AS amount FROM log_source"
    ))
    kinds = {"customer_id": types[customer], "date": types[date], "amount": types[amount]}
    date_fmt = None
    if kinds["date"].startswith(_STRINGS):
        first = runner.query(
            "SELECT date FROM log_columns WHERE date IS NOT NULL AND TRIM(date) <> '' LIMIT 1"
        )
        if len(first):
            date_fmt = _sql_date_format(str(first.iloc[0, 0]), src.name, date)
    runner.view("typed_rows", _typed_rows_sql(runner.dialect, kinds, date_fmt))
    check = runner.query(_check_sql(runner.dialect)).iloc[0]
    if int(check["n"]) == 0:
        raise DataError(f"{src.name} has a header but no data rows")
    if int(check["no_id"]):
        raise DataError(
            f"{src.name}: column {customer!r}: customer id is missing "
            f"({int(check['no_id'])} rows)"
        )
    if int(check["no_date"]):
        raise DataError(
            f"{src.name}: column {date!r}: date is missing ({int(check['no_date'])} rows)"
        )
    if int(check["bad_date"]):
        how = (f"in the date format {_DATE_FORMATS[date_fmt][0]!r} (inferred from the first row)"
               if date_fmt else "a date")
        raise DataError(
            f"{src.name}: column {date!r}: {excerpt(check['bad_date_value'])} is not {how} "
            f"({int(check['bad_date'])} such rows); the column may mix date formats — "
            "make them uniform"
        )
    if int(check["bad_amount"]):
        v = check["bad_amount_value"]
        v = "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
        raise DataError(
            f"{src.name}: column {amount!r}: {excerpt(v)} is not a number "
            f"({int(check['bad_amount'])} such rows){number_hint(v)}"
        )
    first_ts, last_ts = pd.Timestamp(check["first_ts"]), pd.Timestamp(check["last_ts"])
    for ts in (first_ts, last_ts):
        if not DATE_MIN <= ts < DATE_MAX:  # as the loader: never a summary as of year 9999
            raise _date_range_error(src.name, f"column {date!r}", str(ts.date()))
    runner.view("day_rows", "SELECT customer_id, amt, CAST(ts AS DATE) AS d FROM typed_rows")
    runner.view("occasions", occasions_sql("day_rows", day=runner.dialect.epoch_day("d")))
    return first_ts.normalize(), last_ts.normalize()


# --------------------------------------------------------------------------- engines
def spark_available() -> tuple[bool, str]:
    """Can Spark run here? ``(True, "")`` or ``(False, reason)``.

    Spark needs the ``pyspark`` package (``pip install -e '.[spark]'``) and a Java
    runtime (JDK 17 or later) on ``PATH`` or in ``JAVA_HOME``.

    Examples
    --------
    >>> ok, reason = spark_available()
    >>> isinstance(ok, bool) and isinstance(reason, str)
    True
    """
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False, "pyspark is not installed (pip install -e '.[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if not (shutil.which("java") or (java_home and Path(java_home, "bin", "java").exists())):
        return False, "Java is not installed (Spark needs a JDK 17+ on PATH or in JAVA_HOME)"
    return True, ""


def spark_session(master: str = "local[2]", **conf: str) -> Any:
    """The active SparkSession, or a new local one configured for crmlab.

    On a cluster, create your own session (``SparkSession.builder...getOrCreate()``)
    first: it is the active one and is used as is. The local session has no web
    UI, few shuffle partitions, a JVM tuned for short jobs (C1 JIT, serial GC) and
    binds to 127.0.0.1 (``SPARK_LOCAL_IP`` is set if unset). The engines read
    timestamps in UTC (wall-clock days) whatever the session's time zone.

    Parameters
    ----------
    master : str
        Spark master URL for a new session (``"local[2]"``: 2 cores of this machine).
    **conf : str
        Extra Spark settings for a new session, e.g. ``{"spark.driver.memory": "4g"}``
        (dots as keys: pass them with ``**{...}``).
    """
    ok, reason = spark_available()
    if not ok:
        raise ParameterError(f"engine='spark' is not available: {reason}")
    with _quiet_spark():
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        if master.startswith("local"):  # no hostname lookup for a session on this machine
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            SparkSession.builder.master(master).appName("crmlab")
            # short jobs on few cores: the C1 JIT and the serial GC start 2-3x faster
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        )
        for key, value in conf.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        return spark


@contextmanager
def _quiet_spark() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*PySpark does not yet fully support pandas.*")
        warnings.filterwarnings("ignore", message=".*toPandas attempted Arrow optimization.*")
        warnings.filterwarnings("ignore", message=".*createDataFrame attempted Arrow.*")
        yield


@contextmanager
def _runner(source: Any, engine: Any, customer: str, date: str,
            amount: str) -> Iterator[tuple[_Runner, tuple[pd.Timestamp, pd.Timestamp]]]:
    """The engine over the source with its rows checked, and the log's first and last day."""
    if isinstance(engine, str):
        name = check_choice(engine, "engine", list(ENGINES))
    elif hasattr(engine, "sparkContext") and hasattr(engine, "sql"):
        name = "spark"
    elif type(engine).__name__ == "DuckDBPyConnection":
        name = "duckdb"
    else:
        raise ParameterError(
            f"engine must be one of {list(ENGINES)}, a DuckDB connection or a SparkSession, "
            f"got {type(engine).__name__}"
        )
    src = _resolve_source(source, customer, date, amount)
    if src.kind == "frame":  # columns already renamed and validated
        customer, date, amount = "customer_id", "date", "amount"
    runner: _Runner | None = None
    spark: Any = None
    tz = None
    try:
        if name == "duckdb":
            try:
                import duckdb  # noqa: F401
            except ImportError:
                raise ParameterError(
                    "engine='duckdb' needs the duckdb package (pip install duckdb)"
                ) from None
            runner = _DuckRunner(src, None if isinstance(engine, str) else engine)
        else:
            spark = spark_session() if isinstance(engine, str) else engine
            with _quiet_spark():
                tz = spark.conf.get("spark.sql.session.timeZone")
                spark.conf.set("spark.sql.session.timeZone", "UTC")  # wall-clock days
                runner = _SparkRunner(src, spark)
        with _quiet_spark():
            yield runner, _prepare(runner, src, customer, date, amount)
    except (DataError, ParameterError):
        raise
    except Exception as exc:  # engine errors on a file: name the file, keep it short
        if src.kind == "frame":
            raise
        text = str(exc).strip()
        first = text.splitlines()[0][:300] if text else type(exc).__name__
        hint = ""
        if "NANOS" in text:
            hint = ("; Spark reads timestamps in microseconds: write the file with "
                    "crmlab.engines.save_parquet or pyarrow's coerce_timestamps='us'")
        raise DataError(f"{src.name} could not be read by {name}: {first}{hint}") from exc
    finally:
        if runner is not None:
            runner.close()
        if tz is not None:
            spark.conf.set("spark.sql.session.timeZone", tz)


def save_parquet(
    log: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    rows_per_file: int | None = None,
) -> Path:
    """Write a transaction log to Parquet that DuckDB, Spark and pandas all read.

    Dates are stored as microsecond timestamps (Spark cannot read nanoseconds),
    amounts as double. With ``rows_per_file`` the log is written as a directory
    of files of at most that many rows (the layout of a large export).

    Parameters
    ----------
    log : DataFrame
        crmlab schema (validated here); extra columns are written too.
    path : path-like
        A ``.parquet`` file, or a directory when ``rows_per_file`` is given.
    rows_per_file : int, optional
        Split into ``part-00000.parquet``, ``part-00001.parquet``, ... in ``path``.

    Returns
    -------
    Path
        ``path``.
    """
    import duckdb

    tx = validate_transactions(log)
    out = Path(path)
    con = duckdb.connect()
    try:
        con.register("log_frame", tx)
        select = "SELECT * REPLACE (CAST(date AS TIMESTAMP) AS date) FROM log_frame"
        if rows_per_file is None:
            out.parent.mkdir(parents=True, exist_ok=True)
            target = str(out).replace("'", "''")
            con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet)")
        else:
            size = int(check_number(rows_per_file, "rows_per_file", low=1, integer=True))
            out.mkdir(parents=True, exist_ok=True)
            for i, start in enumerate(range(0, len(tx), size)):
                target = str(out / f"part-{i:05d}.parquet").replace("'", "''")
                con.execute(f"COPY ({select} LIMIT {size} OFFSET {start}) TO '{target}' "
                            "(FORMAT parquet)")
    finally:
        con.close()
    return out


def _days_to_datetime(values: pd.Series) -> np.ndarray:
    days = pd.to_numeric(values).to_numpy(dtype="int64")
    return (days * _NS_PER_DAY).astype("datetime64[ns]")


def _customer_index(values: pd.Series) -> pd.Index:
    if pd.api.types.is_integer_dtype(values.dtype):
        return pd.Index(values.to_numpy(dtype="int64"), name="customer_id")
    if pd.api.types.is_float_dtype(values.dtype) or values.dtype == object and len(values) and not isinstance(values.iloc[0], str):
        return pd.Index(values.to_numpy(), name="customer_id")
    return pd.Index(values.astype(str), name="customer_id")


def engine_summary(
    source: Any,
    *,
    as_of: Any = None,
    holdout_end: Any = None,
    cohort_start: Any = None,
    engine: Any = "duckdb",
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The customer summary ("full" view) computed by DuckDB or Spark SQL.

    Same semantics as :func:`crmlab.summary.customer_summary` (the pandas
    reference): rows grouped into customer-day occasions (net amount), a purchase
    is an occasion with net > 0, ``as_of`` is the end of that day, returns count in
    the spend, customers without a purchase are left out and counted.

    Parameters
    ----------
    source : DataFrame or path
        A transaction log (crmlab schema, validated here), or the path of a CSV
        file (UTF-8, header line; read as text and checked row by row in SQL), a
        Parquet file or a directory of Parquet files (read where they lie: the log
        is never loaded into Python).
    as_of : date-like, optional
        Last day summarised, inclusive (default: the log's last day).
    holdout_end : date-like, optional
        End of a holdout window (as_of, holdout_end]: adds the holdout columns.
    cohort_start : date-like, optional
        Keep only customers whose first purchase is on or after this day.
    engine : {"duckdb", "spark"} or a DuckDB connection or a SparkSession
        Who runs the SQL. ``"spark"`` uses the active SparkSession or starts a
        local one (:func:`spark_session`).
    customer, date, amount : str
        Column names in the source.

    Returns
    -------
    (DataFrame, dict)
        The "full" summary (index ``customer_id``, sorted) and the report that
        :func:`crmlab.summary.customer_summary` puts in ``attrs["summary"]``:
        ``as_of`` (Timestamp), ``as_of_default``, ``holdout_end``, ``cohort_start``,
        ``purchase_rule``, ``rows_used``, ``rows_after_as_of``,
        ``rows_after_holdout_end``, ``occasions``, ``customers_without_purchase``,
        ``spend_without_purchase``, ``customers_before_cohort_start``,
        ``spend_before_cohort_start``, ``customers_after_as_of``, ``net_amount``,
        ``customers``, ``window_days``. Customers left out are announced with a
        :class:`~crmlab.errors.CrmlabWarning`, as on the pandas path.

    Raises
    ------
    DataError
        A missing column (with a did-you-mean hint), a missing customer id or
        date, an unparseable date, a non-numeric or non-finite amount; the
        message names the column and a sample value. Also ``as_of`` before the
        log starts, or no customer with a purchase up to ``as_of``.
    ParameterError
        An unknown engine, a bad date parameter, ``holdout_end`` without
        ``as_of`` or not after it.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 5.0, -3.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-02"])})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):  # customer 2 (a return only) is announced
    ...     full, attrs = engine_summary(log, as_of="2024-01-10")
    >>> full[["purchases", "tenure_days", "purchase_spend"]].to_dict("index")
    {1: {'purchases': 2, 'tenure_days': 9, 'purchase_spend': 15.0}}
    >>> attrs["customers_without_purchase"], attrs["spend_without_purchase"]
    (1, -3.0)
    """
    ref, hold, start = _dates(as_of, holdout_end, cohort_start)
    with _runner(source, engine, customer, date, amount) as (runner, (first_day, last_day)):
        as_of_default = ref is None
        ref = last_day if ref is None else ref
        if ref < first_day:
            raise DataError(
                f"as_of {ref.date()} is before every purchase: the log starts on "
                f"{first_day.date()}; choose a later as_of"
            )
        sql = summary_sql(
            _day(ref),
            holdout_end_day=None if hold is None else _day(hold),
            cohort_start_day=None if start is None else _day(start),
        )
        runner.view("per_customer", sql["per_customer"], materialise=True)
        raw = runner.query(sql["summary"])
        counts = runner.query(sql["attrs"]).iloc[0]
    if raw.empty:
        raise _no_purchase_error(ref, start, first_day, last_day)
    columns = SUMMARY_COLUMNS + (_HOLDOUT_COLUMNS if hold is not None else ())
    out = pd.DataFrame(index=_customer_index(raw["customer_id"]))
    for col in columns:
        values = raw[col]
        if col in _DATE_COLUMNS:
            out[col] = _days_to_datetime(values)
        elif col in _MONEY_COLUMNS:
            out[col] = pd.to_numeric(values).to_numpy(dtype="float64")
        else:
            out[col] = pd.to_numeric(values).to_numpy(dtype="int64")
    if not out.index.is_monotonic_increasing:
        out = out.sort_index(kind="stable")
    attrs: dict[str, Any] = {
        "as_of": ref,
        "as_of_default": as_of_default,
        "holdout_end": hold,
        "cohort_start": start,
        "purchase_rule": "net_positive",
        "rows_used": int(counts["rows_used"]),
        "rows_after_as_of": int(counts["rows_after_as_of"]),
        "rows_after_holdout_end": None if hold is None else int(counts["rows_after_holdout_end"]),
        "occasions": int(counts["n_occasions"]),
        "customers_without_purchase": int(counts["customers_without_purchase"]),
        "spend_without_purchase": float(counts["spend_without_purchase"]),
        "customers_before_cohort_start": int(counts["customers_before_cohort_start"]),
        "spend_before_cohort_start": float(counts["spend_before_cohort_start"]),
        "customers_after_as_of": int(counts["customers_after_as_of"]),
        "net_amount": float(counts["net_amount"]),
        "customers": int(len(out)),
        "window_days": None,
    }
    _summary_warnings(attrs, hold is not None)
    return out, attrs


def engine_occasions(
    source: Any,
    *,
    engine: Any = "duckdb",
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
) -> pd.DataFrame:
    """The occasion table (customer-day net amounts) computed by DuckDB or Spark SQL.

    Same table as :func:`crmlab.summary.to_occasions` (``customer_id``, ``date``
    = the day, ``amount`` = net sum, exact to the cent, ``n_rows``), sorted by
    customer and day. It has one row per customer-day, so for a large log keep it
    in the engine (see :func:`occasions_sql`) rather than loading it.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1], "amount": [0.1, 0.2],
    ...     "date": pd.to_datetime(["2024-01-01 08:00", "2024-01-01 20:00"])})
    >>> engine_occasions(log).to_dict("records")
    [{'customer_id': 1, 'date': Timestamp('2024-01-01 00:00:00'), 'amount': 0.3, 'n_rows': 2}]
    """
    with _runner(source, engine, customer, date, amount) as (runner, _days):
        raw = runner.query(
            "SELECT customer_id, day, CAST(net AS DOUBLE) AS amount, n_rows FROM occasions "
            "ORDER BY customer_id, day"
        )
    idx = _customer_index(raw["customer_id"])
    return pd.DataFrame({
        "customer_id": idx.to_numpy(),
        "date": _days_to_datetime(raw["day"]),
        "amount": pd.to_numeric(raw["amount"]).to_numpy(dtype="float64"),
        "n_rows": pd.to_numeric(raw["n_rows"]).to_numpy(dtype="int64"),
    }).astype({"customer_id": idx.dtype})


def engine_cohort_matrix(
    source: Any,
    period: str = "M",
    value: str = "rate",
    *,
    as_of: Any = None,
    max_periods: int | None = None,
    engine: Any = "duckdb",
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
) -> pd.DataFrame:
    """Acquisition cohort × periods since first purchase, computed by DuckDB or Spark SQL.

    The layout and meaning of :func:`crmlab.retention.cohort_matrix` (index
    ``cohort`` as Periods, columns ``0, 1, ...``, NaN for periods not yet
    observed, ``attrs["cohort_size"]``), counting only **purchase** occasions
    (customer-days with net amount > 0) on or before ``as_of`` (default: the log's
    last day). ``revenue`` is the net amount of those purchase occasions.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 5.0, 7.0],
    ...     "date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-01"])})
    >>> engine_cohort_matrix(log).to_numpy().tolist()
    [[1.0, 0.0, 1.0], [1.0, 0.0, nan]]
    """
    _cohort_options(period, value, max_periods)
    ref = None if as_of is None else check_date(as_of, "as_of")
    with _runner(source, engine, customer, date, amount) as (runner, (first_day, last_day)):
        ref = last_day if ref is None else ref
        cells = runner.query(cohort_sql(_day(ref), period))
    if cells.empty:
        raise _no_purchase_error(ref, None, first_day, last_day)
    cohort = pd.to_numeric(cells["cohort"]).to_numpy(dtype="int64")
    k = pd.to_numeric(cells["k"]).to_numpy(dtype="int64")
    sizes = pd.Series(pd.to_numeric(cells["customers"]).to_numpy(dtype="float64")[k == 0],
                      index=cohort[k == 0]).sort_index()
    what = "customers" if value in ("rate", "count") else "revenue"
    cell = pd.Series(pd.to_numeric(cells[what]).to_numpy(dtype="float64"),
                     index=pd.MultiIndex.from_arrays([cohort, k]))
    note = _partial_period(ref.normalize(), ref.to_period(period), "observation ends")
    if note:
        warn(f"engine_cohort_matrix: {note} (the last observed column of each cohort)")
    return cohort_frame(cell, sizes, int(ref.to_period(period).ordinal), period, value, max_periods)
