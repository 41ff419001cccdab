"""Pseudonymisation (crmlab.privacy): every silent fault of the old datasets.pseudonymize is a case."""

from __future__ import annotations

import hashlib
import hmac
import time
import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlab
from crmlab import privacy
from crmlab.errors import CrmlabWarning, DataError, ParameterError
from crmlab.privacy import (
    DEFAULT_LENGTH,
    canonical_id,
    check_key,
    identifier_columns,
    min_pseudonym_length,
    pseudonymize,
)

KEY = "key-of-sixteen-chars"


def _quiet(df, key=KEY, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        return pseudonymize(df, key, **kw)


def _one(value, key=KEY, **kw):
    return _quiet(pd.DataFrame({"customer_id": pd.Series([value], dtype=object)}), key, **kw)[
        "customer_id"
    ].iloc[0]


# ----------------------------------------------------------------- module and basics
def test_module_home_and_no_alias_left_in_datasets():
    assert crmlab.privacy.pseudonymize is pseudonymize
    assert "privacy" in dir(crmlab)
    assert not hasattr(crmlab.datasets, "pseudonymize")


def test_keyed_stable_joins_and_input_untouched():
    df = pd.DataFrame({"customer_id": [1, 2, 1], "amount": [1.0, 2.0, 3.0]})
    a, b = _quiet(df), _quiet(df)
    c = _quiet(df, key="another-key-sixteen+")
    assert a["customer_id"].tolist() == b["customer_id"].tolist()
    assert a["customer_id"].iloc[0] == a["customer_id"].iloc[2] != a["customer_id"].iloc[1]
    assert set(a["customer_id"]).isdisjoint(c["customer_id"])
    assert KEY not in a.to_csv() and KEY not in repr(a.attrs)
    assert df["customer_id"].tolist() == [1, 2, 1] and list(df.columns) == ["customer_id", "amount"]
    assert a["amount"].tolist() == [1.0, 2.0, 3.0]
    # the pseudonym is HMAC-SHA256 of the canonical text, first DEFAULT_LENGTH hex characters
    expected = hmac.new(KEY.encode(), b"1", hashlib.sha256).hexdigest()[:DEFAULT_LENGTH]
    assert a["customer_id"].iloc[0] == expected


def test_tables_pseudonymised_separately_still_join():
    log = pd.DataFrame({"customer_id": range(50), "amount": 1.0})
    profile = pd.DataFrame({"customer_id": [3, 7], "segment": ["A", "B"]})
    joined = _quiet(log).merge(_quiet(profile), on="customer_id")
    assert len(joined) == 2 and joined["segment"].tolist() == ["A", "B"]


# ----------------------------------------------------------------- length and collisions
@pytest.mark.parametrize(
    ("n", "expected"), [(0, 8), (1, 8), (2, 8), (100, 11), (10_000, 14), (300_000, 17), (10**9, 23)]
)
def test_min_length_is_the_birthday_bound(n, expected):
    assert min_pseudonym_length(n) == expected
    pairs = n * (n - 1) / 2
    assert pairs * 16.0**-expected < 1e-9
    if expected > 8:
        assert pairs * 16.0 ** -(expected - 1) >= 1e-9


def test_length_8_refused_at_300000_ids_and_default_has_no_collision():
    ids = np.arange(300_000, dtype=np.int64) * 7919 + 10**9
    df = pd.DataFrame({"customer_id": ids})
    with pytest.raises(ParameterError, match=r"length=8 is too short for 300,000 distinct ids: at least 17"):
        pseudonymize(df, KEY, length=8)
    start = time.perf_counter()
    out = pseudonymize(df, KEY)
    elapsed = time.perf_counter() - start
    assert out["customer_id"].nunique() == 300_000
    rep = out.attrs["pseudonymize"]
    assert (rep["distinct_ids"], rep["min_length"], rep["length"]) == (300_000, 17, 32)
    assert pseudonymize(df, KEY, length=17)["customer_id"].nunique() == 300_000
    print(f"300,000 ids pseudonymised in {elapsed:.2f} s")  # measured, not asserted


def test_collision_after_hashing_raises(monkeypatch):
    monkeypatch.setattr(privacy, "_digest", lambda key, texts, length: ["0" * length for _ in texts])
    df = pd.DataFrame({"customer_id": ["a", "a", "b"]})
    with pytest.raises(DataError, match=r"column 'customer_id', rows 0 and 2: two distinct ids share"):
        pseudonymize(df, KEY)


@pytest.mark.parametrize("length", [0, -1, 65, 10.5, "16", None])
def test_length_parameter_checked(length):
    df = pd.DataFrame({"customer_id": [1, 2]})
    if length is None:
        assert len(_quiet(df, length=length)["customer_id"].iloc[0]) == DEFAULT_LENGTH
    else:
        with pytest.raises(ParameterError, match="length"):
            pseudonymize(df, KEY, length=length)


# ----------------------------------------------------------------- canonical ids
@pytest.mark.parametrize(
    ("a", "b"),
    [
        (2, 2.0),
        (2, "2"),
        (2, np.int64(2)),
        (2, np.float32(2.0)),
        ("2", " 2 "),
        ("abc", "abc\t"),
        ("abc", "\u3000abc"),  # ideographic space
        (2**63 + 5, str(2**63 + 5)),
        (-0.0, 0),
        ("2", "2.0"),        # the loader's id rule: a zero fraction is dropped (crmlab.validation.id_text)
        (17850, " 17850.00 "),
        ("abc", "\u200babc"),  # invisible characters stripped, as the loader does
    ],
)
def test_one_customer_under_the_rule(a, b):
    assert canonical_id(a) == canonical_id(b)
    assert _one(a) == _one(b)


# as the loader reads them: case, leading zeros and Unicode spellings (NFC "é" and NFD "e" + accent)
# are kept, so each pair is two customers
@pytest.mark.parametrize(("a", "b"), [("02", "2"), ("A1", "a1"), ("1e3", 1000), ("2.5", 2.0),
                                      ("caf\u00e9", "cafe\u0301")])
def test_distinct_customers_under_the_rule(a, b):
    assert _one(a) != _one(b)


def test_pseudonym_of_a_value_does_not_depend_on_the_other_ids():
    alone = _quiet(pd.DataFrame({"customer_id": [2.0, 3.0]}))["customer_id"].iloc[0]
    with_text = _quiet(pd.DataFrame({"customer_id": pd.Series([2.0, "a"], dtype=object)}))["customer_id"].iloc[0]
    as_int = _quiet(pd.DataFrame({"customer_id": [2]}))["customer_id"].iloc[0]
    assert alone == with_text == as_int


def test_large_integers_never_collide():
    # int64/uint64 ids above 2**53 and 2**63 stay exact; before, floats above 2**63 all collided
    big = [2**63 + 1, 2**63 + 2, 2**64 - 1, 2**63 - 1, 2**53 + 1]
    out = _quiet(pd.DataFrame({"customer_id": pd.Series(big, dtype=object)}))
    assert out["customer_id"].nunique() == 5
    out_u = _quiet(pd.DataFrame({"customer_id": np.array(big[:3], dtype=np.uint64)}))
    assert out_u["customer_id"].tolist() == out["customer_id"].iloc[:3].tolist()


@pytest.mark.parametrize("value", [2.0**53, 2.0**53 + 2, 1e19, 9.3e18, -1e300, np.float64(2.0**64)])
def test_floats_from_2_53_refused(value):
    df = pd.DataFrame({"customer_id": [1.0, value]})
    with pytest.raises(DataError, match=r"column 'customer_id', row 1: id .* float beyond 2\*\*53.*text"):
        pseudonymize(df, KEY)


def test_float_below_2_53_accepted_exactly():
    assert canonical_id(2.0**53 - 1) == str(2**53 - 1)


def test_whitespace_merge_is_counted_and_warned():
    df = pd.DataFrame({"customer_id": ["A7", " A7", "A7 ", "B1", "caf\u00e9", "cafe\u0301"]})
    with pytest.warns(CrmlabWarning, match=r"6 distinct raw ids became 4 ids: 2 merged"):
        out = pseudonymize(df, KEY)
    rep = out.attrs["pseudonymize"]
    assert (rep["distinct_raw_ids"], rep["distinct_ids"], rep["merged_by_canonicalisation"]) == (6, 4, 2)
    assert (rep["whitespace_stripped"], rep["numbers_written_as_integers"]) == (2, 0)
    assert out["customer_id"].nunique() == 4


def test_type_mixing_is_counted():
    df = pd.DataFrame({"customer_id": pd.Series([2, 2.0, "2", 3.0, "4"], dtype=object)})
    with pytest.warns(CrmlabWarning, match="2 merged"):
        out = pseudonymize(df, KEY)
    rep = out.attrs["pseudonymize"]
    assert rep["numbers_written_as_integers"] == 2 and rep["distinct_ids"] == 3


@pytest.mark.parametrize("dtype", ["object", "string", "category"])
def test_text_id_dtypes_agree(dtype):
    ids = pd.Series(["c1", " c2", "c1"], dtype=dtype)
    out = _quiet(pd.DataFrame({"customer_id": ids}))
    assert out["customer_id"].tolist() == [_one("c1"), _one("c2"), _one("c1")]
    assert out.attrs["pseudonymize"]["whitespace_stripped"] == 1


def test_clean_data_gives_no_warning():
    df = pd.DataFrame({"customer_id": [10, 11, 10], "amount": [1.0, 2.0, 3.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = pseudonymize(df, KEY)
    assert out.attrs["pseudonymize"]["merged_by_canonicalisation"] == 0


@pytest.mark.parametrize(
    ("values", "row", "what"),
    [
        ([1, None, 3], 1, "missing"),
        ([1.0, 2.0, np.nan], 2, "missing"),
        (["a", pd.NA], 1, "missing"),
        (["a", "   "], 1, "missing"),
        (["a", "NULL"], 1, "missing"),
        ([1.0, np.inf], 1, "whole numbers"),
        ([1.0, 2.5], 1, "fractional"),
        ([True, 1], 0, "boolean"),
        ([1, True], 1, "boolean"),  # not merged into customer 1
        ([1, b"raw"], 1, "bytes"),
        ([1, (1, 2)], 1, "tuple, not a customer id"),
        ([1, [1, 2]], 1, "list, not a customer id"),
        ([1, Decimal("2")], 1, "Decimal, not a customer id"),
        (["a", "a\tb"], 1, "control character"),
    ],
)
def test_bad_ids_named_by_column_row_and_value(values, row, what):
    df = pd.DataFrame({"customer_id": pd.Series(values, dtype=object)})
    with pytest.raises(DataError, match=rf"column 'customer_id', row {row}: .*({what})"):
        pseudonymize(df, KEY)


def test_error_quotes_a_short_escaped_excerpt():
    long_bad = 1e30
    df = pd.DataFrame({"customer_id": pd.Series(["ok", long_bad], dtype=object)})
    with pytest.raises(DataError) as err:
        pseudonymize(df, KEY)
    assert "1e+30" in str(err.value)
    nasty = "x" * 500 + "\n\x00"
    df = pd.DataFrame({"customer_id": pd.Series(["ok", object()], dtype=object), nasty: 1})
    with pytest.raises(DataError) as err:
        pseudonymize(df, KEY, drop=["missing\n" + "y" * 200])
    assert "\n" not in str(err.value).split("header has")[1]
    assert "x" * 41 not in str(err.value)


# ----------------------------------------------------------------- keys
@pytest.mark.parametrize(
    ("key", "needed"),
    [
        ("short", "at least 16 bytes"),
        ("x" * 16, "at least 8 distinct"),
        ("x" * 64, "at least 8 distinct"),
        (b"\x00" * 32, "at least 8 distinct"),
        ("abababababababab", "at least 8 distinct"),
        ("abcdefghabcdefgh", "repeated"),
        ("abcdefghijklmnop", "consecutive"),
        ("ponmlkjihgfedcba", "consecutive"),
        ("0123456789:;<=>?", "consecutive"),
        (bytes(range(16)), "consecutive"),
        ("1234567890123456", "consecutive"),
        ("7890123456789012", "consecutive"),
        ("zyxwvutsrqponmlkjihgfedcbazyx", "consecutive"),
        ("abcdefghijabcdefghijab", "repeated"),
        (12345678901234567890, "text or bytes"),
        (None, "text or bytes"),
    ],
)
def test_weak_keys_refused_without_echoing_the_key(key, needed):
    with pytest.raises(ParameterError, match=needed) as err:
        pseudonymize(pd.DataFrame({"customer_id": [1]}), key)
    if isinstance(key, str) and len(key) >= 4:
        assert key not in str(err.value)


@pytest.mark.parametrize(
    "key", ["key-of-sixteen-chars", b"\x01\x9f\x33\x10\xaa\x02\x77\x41\x0c\xde\x55\x90\x18\x6b\xe4\x2f",
            bytearray(b"0f3a9c1e77b24d58"), "密钥-2024-crm-研究组-α", "a-long-secret-key!"]
)
def test_good_keys_accepted_and_str_equals_its_utf8_bytes(key):
    raw = check_key(key)
    assert len(raw) >= 16
    if isinstance(key, str):
        assert _one(7, key) == _one(7, key.encode("utf-8"))


def test_unicode_key_counts_distinct_characters_not_bytes():
    # 7 distinct CJK characters: 42 bytes but too little variety
    with pytest.raises(ParameterError, match="7 distinct"):
        check_key("客户关系管理分客户关系管理分")


# ----------------------------------------------------------------- no raw ids in the output
def test_index_holding_ids_is_replaced_and_warned():
    df = pd.DataFrame({"customer_id": [101, 102], "amount": [1.0, 2.0]}, index=[101, 102])
    with pytest.warns(CrmlabWarning, match="index was replaced"):
        out = pseudonymize(df, KEY)
    assert out.index.tolist() == [0, 1]
    assert out.attrs["pseudonymize"]["index"] == "replaced by 0..n-1"
    assert "101" not in out.to_csv()


def test_attrs_with_raw_ids_are_not_carried():
    df = pd.DataFrame({"customer_id": ["C-991"], "amount": [1.0]})
    df.attrs["crmlab_report"] = {"first_bad_customer": "C-991"}
    out = _quiet(df)
    assert set(out.attrs) == {"pseudonymize"}
    assert "C-991" not in repr(out.attrs) and "C-991" not in out.to_csv()
    assert out.attrs["pseudonymize"]["input_attrs_not_carried"] == ["crmlab_report"]


def test_columns_named_by_ids_dropped_without_naming_them():
    wide = pd.DataFrame({"customer_id": ["C-991", "C-992"], "C-991": [1, 0], "C-992": [0, 1], "x": [1, 2]})
    with pytest.warns(CrmlabWarning) as rec:
        out = pseudonymize(wide, KEY)
    assert list(out.columns) == ["customer_id", "x"]
    assert out.attrs["pseudonymize"]["dropped_named_by_id"] == 2
    text = " ".join(str(w.message) for w in rec) + repr(out.attrs)
    assert "C-991" not in text and "2 column(s) named by a customer id" in text
    with pytest.raises(ParameterError, match="named by a customer id"):
        pseudonymize(wide, KEY, keep=["C-991"])


@pytest.mark.parametrize("copy_name", ["cust", "customer_id_raw", "old_key", "客户编号"])
def test_copies_of_the_id_column_dropped(copy_name):
    df = pd.DataFrame({"customer_id": [5, 6, 5], copy_name: ["5", "6", "5"], "n": [1, 1, 2]})
    out = _quiet(df)
    assert list(out.columns) == ["customer_id", "n"]
    assert "copy of the id column" in out.attrs["pseudonymize"]["dropped"][copy_name]


def test_person_id_columns_holding_customer_ids_dropped():
    df = pd.DataFrame({"customer_id": [1, 2, 3], "referrer_customer": [2, 3, 99], "product_id": [3, 1, 2]})
    out = _quiet(df)
    assert list(out.columns) == ["customer_id", "product_id"]
    assert out.attrs["pseudonymize"]["dropped"]["referrer_customer"] == "holds customer ids"


# ----------------------------------------------------------------- direct identifiers
@pytest.mark.parametrize(
    "name",
    ["name", "Name", "first_name", "LastName", "customer name", "phone", "Tel", "mobile_no",
     "cellPhone", "email", "E-Mail", "mail", "address", "street", "zip", "postcode", "Post Code",
     "ip", "ip_address", "birth_date", "DOB", "birthday", "ssn", "passport_no", "national_id",
     "姓名", "电话", "手机号", "邮箱", "地址", "身份证号", "出生日期"],
)
def test_identifier_names_dropped_and_warned(name):
    df = pd.DataFrame({"customer_id": [1, 2], name: ["v1", "v2"], "amount": [5.0, 7.5]})
    with pytest.warns(CrmlabWarning, match="dropped likely identifier"):
        out = pseudonymize(df, KEY)
    assert list(out.columns) == ["customer_id", "amount"]
    assert "name suggests" in out.attrs["pseudonymize"]["dropped"][name]
    kept = _quiet(df, keep=[name])
    assert name in kept.columns and kept.attrs["pseudonymize"]["kept"] == [name]


@pytest.mark.parametrize(
    "name", ["amount", "date", "quantity", "product_name", "store_name", "product_name_code", "hotel", "zipper_colour", "segment",
             "tip", "store", "order_id", "category", "channel"]
)
def test_ordinary_names_kept(name):
    df = pd.DataFrame({"customer_id": [1, 2], name: [10, 20]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = pseudonymize(df, KEY)
    assert name in out.columns


@pytest.mark.parametrize(
    ("values", "what"),
    [
        (["ok", "reach me at li.na@example.cn"], "e-mail"),
        (["10.0.0.1", "x"], "IPv4"),
        (["login from 192.168.1.20 at noon", "x"], "IPv4"),
        (["+86 138 1234 5678", "n/a"], "phone"),
        (["13812345678", "x"], "phone"),
        (["(555) 123-4567", "x"], "phone"),
        (["020-12345678", "x"], "phone"),
    ],
)
def test_identifier_content_dropped(values, what):
    df = pd.DataFrame({"customer_id": [1, 2], "note": values})
    with pytest.warns(CrmlabWarning, match=rf"'note' \(holds {what}"):
        out = pseudonymize(df, KEY)
    assert "note" not in out.columns
    assert _quiet(df, keep=["note"])["note"].tolist() == values


@pytest.mark.parametrize(
    "values",
    [["2024-01-31", "1997-12-01"], ["12.50", "1,234.00"], ["1.234.567", "7"], ["999.1.2.3", "x"],
     ["A-100", "B-200"], ["gold", "silver"], ["31/12/2024", "01/01/2025"], ["12345678", "87654321"]],
)
def test_ordinary_text_content_kept(values):
    df = pd.DataFrame({"customer_id": [1, 2], "note": values})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = pseudonymize(df, KEY)
    assert out["note"].tolist() == values


def test_yes_no_columns_are_not_identifiers_and_odd_cells_do_not_crash():
    df = pd.DataFrame({"customer_id": [1, 2], "email_opt_in": [True, False],
                       "tags": [["a@b.cn"], ["x"]], "note": ["x", None]})
    out = _quiet(df)
    assert list(out.columns) == ["customer_id", "email_opt_in", "tags", "note"]


def test_identifier_columns_reports_reasons():
    df = pd.DataFrame({"customer_id": [1], "Email": ["a@b.cn"], "info": ["tel +1 555-0100"], "手机": ["x"]})
    found = identifier_columns(df, exclude=["customer_id"])
    assert set(found) == {"Email", "手机"}


# ----------------------------------------------------------------- drop / keep parameters
def test_drop_and_keep_rules():
    df = pd.DataFrame({"customer_id": [1], "name": ["A"], "tier": ["gold"]})
    out = _quiet(df, drop=["tier"], keep=["name"])
    assert list(out.columns) == ["customer_id", "name"]
    assert out.attrs["pseudonymize"]["dropped"] == {"tier": "listed in drop="}
    assert list(_quiet(df, drop="tier").columns) == ["customer_id"]  # one name as a string
    with pytest.raises(ParameterError, match="both drop= and keep="):
        pseudonymize(df, KEY, drop=["name"], keep=["name"])
    with pytest.raises(ParameterError, match="id column"):
        pseudonymize(df, KEY, drop=["customer_id"])
    with pytest.raises(ParameterError, match="id column"):
        pseudonymize(df, KEY, keep=["customer_id"])
    with pytest.raises(DataError, match="missing column"):
        pseudonymize(df, KEY, drop=["email"])
    with pytest.raises(DataError, match="missing column"):
        pseudonymize(df, KEY, column="cid")
    with pytest.raises(ParameterError, match="list of column names"):
        pseudonymize(df, KEY, keep=5)


def test_duplicate_column_labels_refused():
    df = pd.DataFrame([[1, 2, 3]], columns=["customer_id", "customer_id", "amount"])
    with pytest.raises(DataError, match="occur more than once"):
        pseudonymize(df, KEY)


def test_not_a_dataframe_and_empty_frame():
    with pytest.raises(DataError, match="needs a DataFrame"):
        pseudonymize([1, 2], KEY)
    out = _quiet(pd.DataFrame({"customer_id": pd.Series([], dtype="int64"), "amount": []}))
    assert len(out) == 0 and out.attrs["pseudonymize"]["min_length"] == 8


# ----------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.integers(-(2**70), 2**70), st.text(min_size=1, max_size=12),
                          st.floats(-(2.0**53), 2.0**53, allow_nan=False)), min_size=1, max_size=30))
def test_property_one_pseudonym_per_canonical_id(values):
    texts = []
    for v in values:
        try:
            texts.append(canonical_id(v))
        except DataError:
            return  # refused ids (e.g. blank text) are covered above
    out = _quiet(pd.DataFrame({"customer_id": pd.Series(values, dtype=object)}))
    pseud = out["customer_id"].tolist()
    assert len(set(pseud)) == len(set(texts))
    mapping = dict(zip(texts, pseud))
    assert [mapping[t] for t in texts] == pseud
    assert not set(map(str, values)) & set(pseud)


def _loaded(ids):
    from crmlab.datasets import load_transactions

    n = len(ids)
    return load_transactions(pd.DataFrame({"customer_id": pd.Series(ids, dtype=object),
                                           "date": ["2024-01-02"] * n, "amount": np.arange(1.0, n + 1)}),
                             as_of="2024-12-31")["customer_id"].tolist()


def test_pseudonymisation_reads_ids_by_the_loaders_rule():
    from crmlab.validation import id_text

    raw = [" 17850.0 ", "007", "A1 ", "\u200bb", 17850, 17850.0, np.int64(7), "caf\u00e9", "cafe\u0301"]
    loaded = _loaded(raw)
    assert loaded[:4] == [id_text(v) for v in raw[:4]] == ["17850", "007", "A1", "b"]
    assert [canonical_id(v) for v in raw] == loaded  # one customer for the loader, one pseudonym
    assert _quiet(pd.DataFrame({"customer_id": pd.Series(raw, dtype=object)}))["customer_id"].nunique() == 7


@pytest.mark.parametrize("bad", [
    2.5, 2.0**53, b"7", Decimal("7"), "a\x01b", "nan", "", np.inf,
    # True after a 1: pd.factorize calls them equal; validation._distinct_ids keeps them apart
    # (the loader's per-distinct-value step, pseudonymize and check_customer_ids use it)
    True,
])
def test_an_id_the_loader_refuses_is_refused(bad):
    with pytest.raises(DataError, match="row 1"):
        _loaded([1, bad])
    with pytest.raises(DataError, match="column 'customer_id', row 1: id "):
        pseudonymize(pd.DataFrame({"customer_id": pd.Series([1, bad], dtype=object)}), KEY)


def test_identifier_columns_hostile_arguments():
    with pytest.raises(DataError, match="identifier_columns needs a DataFrame, got list"):
        identifier_columns([1, 2])
    df = pd.DataFrame({"email": ["a@b.cn"], "mail": ["c@d.cn"]})
    # a string is one name, not its substrings ("mail" is in "email")
    assert list(identifier_columns(df, exclude="email")) == ["mail"]
