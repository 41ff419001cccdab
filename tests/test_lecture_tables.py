"""The lecture tables are data (datasets/seed_*.csv), not Python: shape, columns, key values, UTF-8."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import crmlab
from crmlab.datasets import SEED_TABLES, load_seed_table

DATA = Path(__file__).resolve().parents[1] / "datasets"

#: name -> (rows, columns)
LECTURE_TABLES = {
    "stage_models": (26, ["model", "order", "stage", "stage_zh", "start", "end", "source"]),
    "strategy_by_stage": (4, ["stage", "stage_zh", "strategy", "objective", "firm_action", "risk"]),
    "value_components": (8, ["component", "side", "english", "chinese", "meaning"]),
    "value_properties": (5, ["property", "chinese", "meaning"]),
    "value_drivers": (4, ["driver", "chinese", "what it covers", "example"]),
    "value_directions": (6, ["aspect", "delivered value (客户让渡价值)", "lifetime value (客户终身价值)"]),
    "retention_levels": (3, ["level", "bond", "bond_zh", "main_tool", "customisation", "easy_to_copy",
                             "competitive_advantage", "example"]),
    "privacy_laws": (10, ["year", "month", "jurisdiction", "law", "law_zh", "note"]),
}


@pytest.mark.parametrize("name", sorted(LECTURE_TABLES))
def test_lecture_table_shape_and_columns(name):
    rows, columns = LECTURE_TABLES[name]
    t = load_seed_table(name)
    assert t.shape == (rows, len(columns))
    assert t.columns.tolist() == columns
    assert not t.isna().any().any(), f"{name}: an empty cell (a stray comma or '#'?)"


@pytest.mark.parametrize("name", sorted(LECTURE_TABLES))
def test_lecture_table_is_documented_with_its_checksum(name):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    path = DATA / SEED_TABLES[name]
    assert f"`{name}` / `{path.name}`" in readme
    assert hashlib.sha256(path.read_bytes()).hexdigest() in readme, f"{path.name}: sha256 not in README"


def test_lecture_table_values_and_chinese_terms():
    models = load_seed_table("stage_models")
    assert models.groupby("model", sort=False).size().tolist() == [5, 5, 7, 4, 5]
    assert (models["end"] > models["start"]).all()
    chen = models[models["model"].str.startswith("Chen")]
    assert chen["stage_zh"].tolist() == ["考察期", "形成期", "稳定期", "退化期"]
    strategy = load_seed_table("strategy_by_stage").set_index("stage")
    assert strategy.loc["stability", "strategy"] == "retention (客户关系保持策略)"
    assert load_seed_table("value_properties")["chinese"].iloc[0] == "潜在性"
    assert load_seed_table("value_drivers")["chinese"].tolist()[-1] == "企业与客户的互动"
    assert "firm → customer" in load_seed_table("value_directions").iloc[0, 1]
    levels = load_seed_table("retention_levels")
    assert levels["level"].tolist() == [1, 2, 3]
    assert levels["bond"].tolist() == ["financial", "social", "structural"]
    assert levels["bond_zh"].iloc[0] == "财务联系 (增加财务利益)"
    laws = load_seed_table("privacy_laws")
    # the seed's timeline (seed 004 §1.3): OECD 1980 ... PIPL 2021
    assert laws["year"].tolist() == [1980, 1988, 2004, 2012, 2017, 2017, 2018, 2019, 2020, 2021]
    assert laws.query("jurisdiction == 'China'")["month"].tolist() == [6, 4, 8]
    assert laws.loc[laws["law"].str.contains("PIPL"), "law_zh"].item() == "个人信息保护法"


def test_no_lecture_table_left_in_python():
    gone = {
        "lifecycle": ["STAGE_MODELS", "stage_models", "STRATEGY_BY_STAGE", "strategy_table", "LADDER",
                      "RELATIONSHIP_CLASSES"],
        "value": ["components_table", "properties_table", "drivers_table", "directions_table"],
        "retention": ["retention_levels"],
        "segmentation": ["PRIVACY_LAWS"],
    }
    for module, names in gone.items():
        for name in names:
            assert not hasattr(getattr(crmlab, module), name), f"{module}.{name}"
