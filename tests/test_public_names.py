"""One concept, one home: no public name is defined in two crmlab modules, and ``from crmlab import *`` works.

The modules are found through ``crmlab._SUBMODULES`` (and the submodules of packages such
as ``crmlab.exercises``), so the test follows modules as they are added, split or renamed.
A public function or class counts where it is *defined* (its ``__module__``): importing it
into another module (a re-export of the same object) is fine, a second definition under the
same name is not.

The chapter answer-checker modules ``crmlab.exercises.chNN`` are the one deliberate
exception among themselves: the grading contract names a task's checker ``check_<task>``
(and its data ``task<N>_<what>``) in every chapter, namespaced by the chapter module. They
are still compared with every other crmlab module.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import subprocess
import sys
import types
from collections import defaultdict

import crmlab

CHAPTER_MODULE = re.compile(r"^crmlab\.exercises\.ch\d\d$")


def crmlab_modules() -> list[types.ModuleType]:
    mods = []
    for name in sorted(crmlab._SUBMODULES):
        mod = importlib.import_module(f"crmlab.{name}")
        mods.append(mod)
        if hasattr(mod, "__path__"):  # a package: its submodules too
            for info in sorted(pkgutil.iter_modules(mod.__path__), key=lambda i: i.name):
                mods.append(importlib.import_module(f"{mod.__name__}.{info.name}"))
    return mods


def definitions() -> dict[str, list[str]]:
    """Public function/class name -> the modules that define one under that name."""
    defs: dict[str, list[str]] = defaultdict(list)
    for mod in crmlab_modules():
        for name, obj in vars(mod).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", None) == mod.__name__:
                defs[name].append(mod.__name__)
    return defs


def collisions(defs: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {}
    for name, where in defs.items():
        others = [m for m in where if not CHAPTER_MODULE.match(m)]
        chapters = [m for m in where if CHAPTER_MODULE.match(m)]
        if len(others) > 1 or (others and chapters):
            out[name] = where
    return out


def test_every_listed_submodule_imports():
    assert len(crmlab_modules()) >= len(crmlab._SUBMODULES)
    assert "finance" in crmlab._SUBMODULES


def test_no_public_name_is_defined_twice():
    defs = definitions()
    assert len(defs) > 100, f"only {len(defs)} public names found: is the module list empty?"
    dup = collisions(defs)
    assert not dup, "public names defined in more than one module (one concept, one home): " + "; ".join(
        f"{name} in {', '.join(where)}" for name, where in sorted(dup.items())
    )


def test_the_finance_names_live_in_finance_only():
    defs = definitions()
    for name in ["present_value", "npv", "retention_clv", "expected_lifetime", "revenue_identity",
                 "project_revenue", "discount_factor"]:
        assert defs[name] == ["crmlab.finance"], (name, defs[name])
    assert "project_revenue_identity" not in defs


def test_collision_rule_can_fail():
    # the rule itself: a second definition fails, a re-export or a chapter checker does not
    assert collisions({"f": ["crmlab.a", "crmlab.b"]}) == {"f": ["crmlab.a", "crmlab.b"]}
    assert collisions({"check_1a": ["crmlab.exercises.ch01", "crmlab.exercises.ch02"]}) == {}
    assert collisions({"check_number": ["crmlab.validation", "crmlab.exercises.ch01"]}) != {}


def test_star_import_in_a_fresh_interpreter():
    code = (
        "from crmlab import *\n"
        "import crmlab\n"
        "missing = [n for n in crmlab.__all__ if n not in globals()]\n"
        "assert not missing, missing\n"
        "print(len(crmlab.__all__))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert int(res.stdout.strip()) == len(crmlab.__all__)
