"""Tests for crmlab.ahp: hand-computed cases, the seed 003 No. 15 case, errors, properties."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlab
from crmlab import ahp
from crmlab.errors import CrmlabWarning, DataError, ParameterError

CONSISTENT = [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]
# Classic inconsistent 3x3 (Saaty-style textbook example)
M135 = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
SALES = [[1, 1 / 2, 1 / 3], [2, 1, 1 / 2], [3, 2, 1]]  # recovered sales-volume matrix


# --------------------------------------------------------------------------- methods
@pytest.mark.parametrize("method", ahp.METHODS)
def test_consistent_matrix_all_methods_exact(method):
    r = ahp.analyze(CONSISTENT, method)
    np.testing.assert_allclose(r.weights, [4 / 7, 2 / 7, 1 / 7], atol=1e-12)
    assert r.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert r.ci == 0.0 and r.cr == 0.0 and r.consistent


def test_geometric_mean_hand_computed():
    # row products 15, 1, 1/15 -> cube roots
    g = np.array([15 ** (1 / 3), 1.0, (1 / 15) ** (1 / 3)])
    w = ahp.priority_vector(M135, "geometric_mean")
    np.testing.assert_allclose(w, g / g.sum(), rtol=1e-12)
    np.testing.assert_allclose(np.round(w, 4), [0.6370, 0.2583, 0.1047])


def test_lambda_max_estimate_textbook_formula():
    r = ahp.analyze(M135, "column_average")
    w = np.asarray(r.weights)
    assert r.lambda_max_estimate == pytest.approx(np.mean(np.array(M135) @ w / w))
    assert r.lambda_max_estimate != pytest.approx(r.lambda_max, abs=1e-6)
    e = ahp.analyze(M135)
    assert e.lambda_max_estimate == pytest.approx(e.lambda_max, rel=1e-10)


def test_column_average_hand_computed():
    cols = np.array(M135).sum(axis=0)  # 23/15, 13/3, 9
    assert cols == pytest.approx([23 / 15, 13 / 3, 9])
    w1 = (1 / (23 / 15) + 3 / (13 / 3) + 5 / 9) / 3
    w = ahp.priority_vector(M135, "column_average")
    assert w[0] == pytest.approx(w1, rel=1e-12)
    np.testing.assert_allclose(np.round(w, 4), [0.6333, 0.2605, 0.1062])


def test_eigenvector_hand_computed():
    r = ahp.analyze(M135)
    # for n = 3 the eigenvector equals the geometric-mean vector
    np.testing.assert_allclose(r.weights, ahp.priority_vector(M135, "geometric_mean"), rtol=1e-9)
    assert r.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert r.ci == pytest.approx((r.lambda_max - 3) / 2)
    assert r.cr == pytest.approx(r.ci / 0.58)
    assert round(r.cr, 4) == 0.0332
    # A w = lambda w
    np.testing.assert_allclose(np.array(M135) @ r.weights, r.lambda_max * r.weights, rtol=1e-9)


def test_two_by_two_all_methods():
    for a in (2, 3, 4, 1 / 7):
        for m in ahp.METHODS:
            w = ahp.priority_vector([[1, a], [1 / a, 1]], m)
            assert w[0] == pytest.approx(a / (1 + a))


def test_seed_sales_volume_matrix():
    r = ahp.analyze(SALES)
    assert np.round(r.weights, 4).tolist() == [0.1634, 0.2970, 0.5396]
    assert r.lambda_max == pytest.approx(3.0092, abs=1e-4)
    assert r.cr < 0.01


def test_weights_series_when_labelled_and_array_otherwise():
    r = ahp.analyze(SALES, labels=["a", "b", "c"])
    assert isinstance(r.weights, pd.Series) and list(r.weights.index) == ["a", "b", "c"]
    assert isinstance(ahp.analyze(SALES).weights, np.ndarray)
    df = pd.DataFrame(SALES, index=list("xyz"), columns=list("xyz"))
    assert list(ahp.analyze(df).weights.index) == list("xyz")
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        r.cr = 0  # frozen


def test_orders_one_and_two_consistent_by_definition():
    r1 = ahp.analyze([[1]])
    assert r1.weights.tolist() == [1.0] and r1.cr == 0 and r1.ri == 0 and r1.consistent
    r2 = ahp.analyze([[1, 9], [1 / 9, 1]])
    assert r2.cr == 0 and r2.ci == 0 and r2.consistent


def test_random_index_tables():
    assert [ahp.random_index(n) for n in range(1, 11)] == [
        0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]
    assert ahp.random_index(4, "alonso_lamata2006") == 0.8815
    assert ahp.analyze(M135, ri_table="saaty2012").ri == 0.52
    with pytest.raises(ParameterError, match="n = 1..15"):
        ahp.random_index(16)
    big = ahp.random_reciprocal_matrices(1, 16, seed=0)[0]
    with pytest.raises(ParameterError, match="simulate_random_index"):
        ahp.analyze(big)
    r16 = ahp.analyze(big, ri=1.6)
    assert r16.ri_table == "custom" and r16.cr == pytest.approx(r16.ci / 1.6)
    assert r16.suggestion()["cr_after"] < r16.cr
    with pytest.raises(ParameterError, match="ri_table"):
        ahp.random_index(3, "nope")


def test_random_index_tables_are_data_documented_with_their_checksum():
    import hashlib
    from pathlib import Path

    tables = ahp.RANDOM_INDEX  # read from datasets/seed_random_index.csv
    assert list(tables) == ["saaty1980", "saaty2012", "alonso_lamata2006"]
    assert all(list(t) == list(range(1, 16)) for t in tables.values())
    assert tables["saaty1980"][12] == 1.48 and tables["alonso_lamata2006"][15] == 1.5838
    assert all(type(v) is float for t in tables.values() for v in t.values())
    data = Path(__file__).resolve().parents[1] / "datasets"
    digest = hashlib.sha256((data / "seed_random_index.csv").read_bytes()).hexdigest()
    assert digest in (data / "README.md").read_text(encoding="utf-8")
    with pytest.raises(AttributeError, match="RANDOM_INDEXES"):
        ahp.RANDOM_INDEXES  # noqa: B018


def test_inconsistent_flagged_with_suggestion():
    m = ahp.from_upper_triangle([2, 1 / 4, 2], list("abc"))  # a>b, b>c, c>a
    r = ahp.analyze(m)
    assert not r.consistent and r.cr > 0.1
    s = r.suggestion()
    assert s["row"] == "a" and s["col"] == "c"  # the circular judgment
    assert s["suggested"] == 4.0 and s["steps"] == 6 and s["cr_after"] == pytest.approx(0.0, abs=1e-9)
    assert ahp.analyze(CONSISTENT).suggestion() is None


def test_most_inconsistent_finds_corrupted_entry():
    w = np.array([0.4, 0.3, 0.15, 0.1, 0.05])
    m = ahp.consistent_matrix(w, list("abcde")).to_numpy().copy()
    m[1, 3], m[3, 1] = 1 / 5, 5  # b vs d should be 3, corrupt to 1/5
    t = ahp.most_inconsistent_judgment(m)
    assert t.iloc[0]["row"] == 1 and t.iloc[0]["col"] == 3
    assert t.iloc[0]["cr_after"] < 0.02 < t.iloc[0]["cr_before"]


# --------------------------------------------------------------------------- builders
def test_from_upper_triangle_forms():
    a = ahp.from_upper_triangle([2, 4, 2], list("abc"))
    b = ahp.from_upper_triangle(np.array([[1, 2, 4], [9, 1, 2], [9, 9, 1]]), list("abc"))
    c = ahp.from_upper_triangle(["2", "4", "2"], list("abc"))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    assert ahp.from_upper_triangle(["1/3"]).iloc[1, 0] == 3.0
    with pytest.raises(DataError, match="4 values is not n\\(n-1\\)/2"):
        ahp.from_upper_triangle([1, 2, 3, 4])
    with pytest.raises(DataError, match=r"entry \[a, c\].*'x'"):
        ahp.from_upper_triangle([2, "x", 2], list("abc"))


def test_from_statements():
    m = ahp.from_statements(
        ["loyalty is 4x as important as trust", ("loyalty", "profit", "1/2"),
         "profit is 8 times more important than trust"])
    assert list(m.index) == ["loyalty", "trust", "profit"]
    assert m.loc["trust", "loyalty"] == 0.25 and m.loc["profit", "loyalty"] == 2
    assert ahp.analyze(m).cr == pytest.approx(0, abs=1e-9)
    with pytest.raises(DataError, match=r"not judged, e.g. \(a, c\)"):
        ahp.from_statements([("a", "b", 2), ("b", "c", 2)])
    with pytest.raises(DataError, match="judged twice"):
        ahp.from_statements([("a", "b", 2), ("b", "a", 3)])
    with pytest.raises(DataError, match="cannot read"):
        ahp.from_statements(["loyalty beats trust"])
    with pytest.raises(DataError, match="itself"):
        ahp.from_statements([("a", "a", 2)])


# --------------------------------------------------------------------------- errors
def test_error_non_reciprocal_names_entry():
    m = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 0.5, 1]],
                     index=["profit", "volume", "trust"], columns=["profit", "volume", "trust"])
    with pytest.raises(DataError, match=r"\[volume, trust\] = 3 but \[trust, volume\] = 1/2"):
        ahp.analyze(m)


def test_error_non_positive():
    with pytest.raises(DataError, match=r"entry \[0, 1\] = -0.5 is not positive"):
        ahp.analyze([[1, -0.5], [-2, 1]])
    with pytest.raises(DataError, match="not positive"):
        ahp.analyze([[1, 0], [0, 1]])


def test_error_non_square():
    with pytest.raises(DataError, match=r"square.*\(2, 3\)"):
        ahp.analyze([[1, 2, 3], [0.5, 1, 2]])
    with pytest.raises(DataError, match="square"):
        ahp.analyze([1, 2, 3])
    with pytest.raises(DataError, match="square"):
        ahp.analyze([])


def test_error_nan_and_inf_and_text():
    with pytest.raises(DataError, match=r"entry \[0, 1\] = nan is missing"):
        ahp.analyze([[1, np.nan], [2, 1]])
    with pytest.raises(DataError, match="infinite"):
        ahp.analyze([[1, np.inf], [0, 1]])
    with pytest.raises(DataError, match=r"entry \[0, 1\] 'high' is not a number"):
        ahp.analyze([[1, "high"], [1, 1]])
    with pytest.raises(DataError, match="square"):
        ahp.analyze([[1, 2], [0.5]])
    # judgments typed as text (e.g. read from a CSV) are accepted
    txt = pd.DataFrame([["1", "1/3"], ["3", "1"]], index=["a", "b"], columns=["a", "b"])
    assert ahp.analyze(txt).weights["b"] == pytest.approx(0.75)


def test_error_diagonal_and_labels():
    with pytest.raises(DataError, match=r"diagonal entry \[b, b\] = 2"):
        ahp.analyze([[1, 2], [0.5, 2]], labels=["a", "b"])
    with pytest.raises(ParameterError, match="3 labels"):
        ahp.analyze([[1, 2], [0.5, 1]], labels=["a", "b", "c"])
    with pytest.raises(DataError, match="row labels"):
        ahp.analyze(pd.DataFrame([[1, 2], [0.5, 1]], index=["a", "b"], columns=["b", "a"]))
    with pytest.raises(ParameterError, match="method"):
        ahp.analyze(CONSISTENT, "power")


def test_reciprocal_tolerance_accepts_rounded_input():
    r = ahp.analyze([[1, 3], [0.333, 1]])  # hand-typed 1/3
    assert r.weights[0] == pytest.approx(0.75, abs=1e-3)
    with pytest.raises(DataError):
        ahp.analyze([[1, 3], [0.333, 1]], rtol=1e-6)


# --------------------------------------------------------------------------- permutation
def test_permutation_invariance():
    m = np.array(M135 + [])  # 3x3
    m4 = ahp.from_upper_triangle([3, 5, 8, 2, 2, 2], list("abcd"))
    perm = ["c", "a", "d", "b"]
    for method in ahp.METHODS:
        base = ahp.analyze(m4, method)
        p = ahp.analyze(m4.loc[perm, perm], method)
        pd.testing.assert_series_equal(p.weights[base.weights.index], base.weights, rtol=1e-10)
        assert p.cr == pytest.approx(base.cr, abs=1e-12)
    assert ahp.analyze(m).n == 3


# --------------------------------------------------------------------------- batch / RI
def test_batch_matches_single():
    stack = ahp.random_reciprocal_matrices(50, 5, seed=3)
    for method in ahp.METHODS:
        b = ahp.batch_analyze(stack, method)
        for k in (0, 17, 49):
            r = ahp.analyze(stack[k], method)
            np.testing.assert_allclose(b.weights[k], r.weights, rtol=1e-9)
            assert b.cr[k] == pytest.approx(r.cr, rel=1e-9)
    with pytest.raises(DataError, match="shape"):
        ahp.batch_analyze(np.ones((3, 2, 4)))
    with pytest.raises(DataError, match="matrix 1 of the stack.*reciprocal"):
        ahp.batch_analyze([[[1, 2], [0.5, 1]], [[1, 2], [2, 1]]])


def test_random_matrices_are_reciprocal_on_scale():
    s = ahp.random_reciprocal_matrices(20, 4, seed=1)
    for m in s:
        ahp.validate_matrix(m, rtol=1e-12)
        assert all(any(math.isclose(v, x) for x in ahp.SAATY_SCALE) for v in m.ravel())


def test_simulated_random_index_matches_alonso_lamata():
    t = ahp.simulate_random_index([3, 4, 5], size=20_000, seed=7)
    for n in (3, 4, 5):
        assert abs(t.loc[n, "ri"] - t.loc[n, "alonso_lamata2006"]) < 4 * t.loc[n, "se"] + 0.005
    # Saaty's 1980 value for n = 3 is clearly above the simulated one
    assert t.loc[3, "saaty1980"] - t.loc[3, "ri"] > 0.04


# --------------------------------------------------------------------------- recovery (seed case)
@pytest.mark.parametrize("w, a", [([0.8, 0.2], 4), ([0.75, 0.25], 3), ([0.6667, 0.3333], 2)])
def test_recover_two_by_two_unique(w, a):
    found = ahp.recover_judgments(w)
    assert len(found) == 1 and found[0].iloc[0, 1] == a


def test_recover_three_by_three_unique():
    sales = ahp.recover_judgments([0.1634, 0.2970, 0.5396])
    assert len(sales) == 1
    np.testing.assert_allclose(sales[0].to_numpy(), SALES)
    trust = ahp.recover_judgments([0.5278, 0.1396, 0.3325], search="exhaustive")
    assert len(trust) == 1
    np.testing.assert_allclose(trust[0].to_numpy()[0], [1, 3, 2])
    # without the CR condition a wildly inconsistent matrix also fits
    loose = ahp.recover_judgments([0.5278, 0.1396, 0.3325], search="exhaustive", max_cr=100)
    assert len(loose) == 2 and max(ahp.analyze(m).cr for m in loose) > 1


def test_recover_total_profit_needs_geometric_mean():
    w = [0.6095, 0.1842, 0.1231, 0.0832]
    assert ahp.recover_judgments(w, method="eigenvector") == []
    gm = ahp.recover_judgments(w, method="geometric_mean")
    assert len(gm) == 4
    for m in gm:
        r = ahp.analyze(m, "geometric_mean")
        assert np.round(r.weights, 4).tolist() == w and r.cr < 0.1
    with pytest.raises(ParameterError, match="max_candidates"):
        ahp.recover_judgments(w, search="exhaustive")


def test_seed_global_weights_and_rounding_flag():
    tab = crmlab.datasets.load_seed_table("ahp_weights")
    g = ahp.global_weights(tab)
    leaves = g[g.is_leaf].set_index("node")["global_weight"]
    assert leaves.sum() == pytest.approx(1.0, abs=1e-3)
    pub = tab.dropna(subset=["global_weight"]).set_index("node")["global_weight"]
    assert (leaves - pub).abs().max() < 1e-4
    with_root = pd.concat([pd.DataFrame({"node": ["customer value"], "parent": [np.nan],
                                          "local_weight": [1.0]}), tab], ignore_index=True)
    pd.testing.assert_frame_equal(ahp.global_weights(with_root), g)
    # the published (rounded) local weights multiplied down: only X7 rounds differently
    rounded = leaves.round(4)
    assert rounded.index[~np.isclose(rounded, pub[rounded.index], atol=1e-12)].tolist() == ["X7"]
    assert rounded["X7"] == 0.0720


# --------------------------------------------------------------------------- hierarchy
def test_global_weights_tree_forms():
    tree = ahp.Node("goal", (ahp.Node("A", (ahp.Node("a1"), ahp.Node("a2")),
                                      matrix=[[1, 3], [1 / 3, 1]]),
                             ahp.Node("B")), weights=[0.6, 0.4])
    t = ahp.global_weights(tree)
    leaf = t[t.is_leaf].set_index("node")["global_weight"]
    assert leaf.to_dict() == pytest.approx({"a1": 0.45, "a2": 0.15, "B": 0.4})
    assert t.set_index("node").loc["a1", "path"] == "goal / A / a1"
    assert t.set_index("node").loc["a1", "parent_cr"] == 0.0
    with pytest.raises(DataError, match="neither a judgment matrix nor weights"):
        ahp.global_weights({"name": "g", "children": ["a", "b"]})
    with pytest.raises(DataError, match="2×2 judgment matrix for 3 children"):
        ahp.global_weights({"name": "g", "matrix": [[1, 2], [0.5, 1]], "children": list("abc")})
    with pytest.raises(DataError, match="sum to 1.2000"):
        ahp.global_weights({"name": "g", "weights": [0.6, 0.6], "children": list("ab")})


# --------------------------------------------------------------------------- scoring
def test_standardize_and_composite_hand_case():
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [10.0, 30.0, 20.0]})
    z = ahp.standardize(x)
    assert z["a"].tolist() == [-1.0, 0.0, 1.0] and z["b"].tolist() == [-1.0, 1.0, 0.0]
    s = ahp.composite_score(x, pd.Series({"b": 0.4, "a": 0.6}))
    assert s.tolist() == pytest.approx([-1.0, 0.4, 0.6])
    mm = ahp.composite_score(x, [0.5, 0.5], "minmax", direction={"b": "cost"})
    assert mm.tolist() == pytest.approx([0.5, 0.25, 0.75])


def test_composite_errors():
    x = pd.DataFrame({"a": [1.0, 2.0, np.nan], "b": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError, match=r"column 'a', row 2"):
        ahp.composite_score(x, [0.5, 0.5])
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0]})
    with pytest.raises(ParameterError, match="sum to 0.9000"):
        ahp.composite_score(x, [0.5, 0.4])
    assert ahp.composite_score(x, [5, 4], normalize_weights=True).notna().all()
    with pytest.raises(ParameterError, match=r"no weight for \['b'\]"):
        ahp.composite_score(x, pd.Series({"a": 1.0}))
    with pytest.raises(ParameterError, match="standardize"):
        ahp.composite_score(x, [0.5, 0.5], "rank")


def test_constant_column_warns():
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0]})
    with pytest.warns(CrmlabWarning, match="1 constant indicator"):
        s = ahp.composite_score(x, [0.5, 0.5])
    assert s.tolist() == pytest.approx([-0.5, 0.0, 0.5])


def test_reconstructed_case_reproduces_published_outcome():
    x = ahp.load_customers()
    tab = crmlab.datasets.load_seed_table("ahp_weights")
    w = tab.dropna(subset=["global_weight"]).set_index("node")["global_weight"]
    groups = {"current": [f"X{k}" for k in range(1, 8)],
              "potential": [f"X{k}" for k in range(8, 13)]}
    seg = ahp.value_segments(x, w, groups)
    both_high = seg.index[(seg.current_level == "high") & (seg.potential_level == "high")]
    both_low = seg.index[(seg.current_level == "low") & (seg.potential_level == "low")]
    assert both_high.tolist() == [1, 5, 7] and both_low.tolist() == [3]
    # z-scored group means are 0, so "above the mean" is "positive"
    assert seg["current"].mean() == pytest.approx(0, abs=1e-12)


def test_saaty_step():
    assert ahp.saaty_step(1 / 9, -1) is None and ahp.saaty_step(0.5, 1) == 1.0
    assert ahp.saaty_step(3, -2) == 1.0 and ahp.saaty_step(1 / 2, -1) == pytest.approx(1 / 3)
    assert ahp.saaty_step(2.4, 0) == 2.0  # off the scale: snapped to the nearest value (in logs)


# --------------------------------------------------------------------------- properties
weights_st = st.lists(st.floats(0.01, 1.0), min_size=1, max_size=9)


@settings(max_examples=60, deadline=None)
@given(weights_st, st.sampled_from(ahp.METHODS))
def test_property_consistent_matrix_recovers_weights(w, method):
    w = np.array(w) / np.sum(w)
    r = ahp.analyze(ahp.consistent_matrix(w), method)
    np.testing.assert_allclose(r.weights, w, rtol=1e-8, atol=1e-12)
    assert r.cr == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.integers(0, 2**32 - 1), st.sampled_from(ahp.METHODS))
def test_property_weights_positive_sum_one_permutation_equivariant(n, seed, method):
    m = ahp.random_reciprocal_matrices(1, n, seed=seed)[0]
    w = np.asarray(ahp.priority_vector(m, method))
    assert np.all(w > 0) and w.sum() == pytest.approx(1.0)
    perm = np.random.default_rng(seed).permutation(n)
    wp = np.asarray(ahp.priority_vector(m[np.ix_(perm, perm)], method))
    np.testing.assert_allclose(wp, w[perm], rtol=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ahp.analyze(m, method)
    assert r.lambda_max >= n - 1e-9 and r.cr >= 0


# --------------------------------------------------------------------------- your own customer table
def test_load_customers_reads_your_table_and_names_what_is_wrong(tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("# my firm\ncustomer,X1,X2,note\nA,1,2.5,x\nB,3,4,y\n")
    got = ahp.load_customers(f, ["X1", "X2"])
    assert got.index.tolist() == ["A", "B"] and got.to_numpy().tolist() == [[1, 2.5], [3, 4]]
    assert got.attrs["columns_not_used"] == ["note"]
    assert ahp.load_customers(f, ["X1"], what="CUSTOMERS_PATH").attrs["columns_not_used"] == ["X2", "note"]
    cases = [("customer,X1\nA,1\nA,2\n", r"P \(c\.csv\): row 1 repeats customer 'A'"),
             ("customer,X1\n,1\nB,2\n", r"row 0 has no customer id"),
             ("customer,X1\nA,1\nB,two\n", r"column 'X1', row 1: 'two' is not a number"),
             ("customer,X2\nA,1\n", r"missing column\(s\) 'X1'"),
             ("customer,X1\n", r"header but no rows"),
             ("", r"cannot be read as a CSV file")]
    for text, message in cases:
        f.write_text(text)
        with pytest.raises(DataError, match=message):
            ahp.load_customers(f, ["X1"], what="P (c.csv)")
    with pytest.raises(DataError, match="cannot be read"):
        ahp.load_customers(tmp_path / "missing.csv")


def test_batch_consistent_uses_the_threshold_like_analyze():
    m = [[1, 2, 0.25], [0.5, 1, 2], [4, 0.5, 1]]
    r = ahp.analyze(m, threshold=0.9)
    b = ahp.batch_analyze([m], threshold=0.9)
    assert b.cr[0] == pytest.approx(r.cr) and 0.1 < r.cr < 0.9
    assert b.consistent.tolist() == [r.consistent] == [True]
    assert ahp.batch_analyze([m]).consistent.tolist() == [False]   # default 0.1


def test_a_boolean_is_not_a_judgment():
    for matrix in ([[1, True], [1, 1]], np.array([[True, True], [True, True]])):
        with pytest.raises(DataError, match="True is not a number"):
            ahp.validate_matrix(matrix)


def test_saaty_step_refuses_what_it_cannot_place_on_the_scale():
    with pytest.raises(ParameterError, match="value must be a finite number"):
        ahp.saaty_step(np.nan)  # NaN was snapped to 1/9 and stepped to 0.125
    with pytest.raises(ParameterError, match="value must be > 0"):
        ahp.saaty_step(0)  # raw math domain error
    with pytest.raises(ParameterError, match="steps must be a whole number"):
        ahp.saaty_step(3, True)
    assert ahp.saaty_step(3, 1) == 4.0


def test_composite_score_refuses_duplicated_or_boolean_weights():
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 3.0, 2.0]}, index=[1, 2, 3])
    with pytest.raises(ParameterError, match="weights name 'a' more than once"):
        ahp.composite_score(x, pd.Series([0.5, 0.5, 0.0], index=["a", "b", "a"]))
    with pytest.raises(ParameterError, match="weight for 'a' is True; expected a number"):
        ahp.composite_score(x, pd.Series([True, False], index=["a", "b"]))  # was read as 1 and 0
