"""The fuzzers of other inputs than reports (tests/fuzz/fuzz_*.py), run in CI: each
property on a bounded number of examples with a fixed seed, and every failing input a
fuzz campaign saved to tests/fuzz/regressions/ replayed.  ``python tests/fuzz/run.py``
runs the same properties with fresh seeds for as long as asked."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

FUZZ = Path(__file__).resolve().parent / "fuzz"
REGRESSIONS = FUZZ / "regressions"
# A quarter of the examples of each property of test_properties.py (50 by default): these
# run the whole command line twice per example.
EXAMPLES = max(1, int(os.environ.get("REPORTLINT_PROPERTY_EXAMPLES", "200")) // 4)
SEED = 20250301


def _fuzz_module(name: str) -> ModuleType:
    if str(FUZZ) not in sys.path:
        sys.path.insert(0, str(FUZZ))
    return importlib.import_module(name)


def _run_bounded(strategy: st.SearchStrategy[Any], check: Callable[[Any], object]) -> None:
    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def property_test(case: Any) -> None:
        check(case)

    property_test()


def _properties(module: ModuleType) -> list[Any]:
    return [pytest.param(prop, id=prop[0]) for prop in module.FUZZ_PROPERTIES]


# -- configuration files (fuzz_config) ----------------------------------------------------

fuzz_config = _fuzz_module("fuzz_config")


@pytest.mark.parametrize("prop", _properties(fuzz_config))
def test_config_fuzz_property(prop: tuple[str, st.SearchStrategy[Any], Callable[[Any], object], Any, str]) -> None:
    _, strategy, check, _, _ = prop
    _run_bounded(strategy, check)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("config-*.toml")), ids=lambda p: p.name)
def test_config_regressions(path: Path) -> None:
    fuzz_config.check(fuzz_config.decode(path.read_bytes()))


def test_config_cases_survive_their_encoding() -> None:
    case = ('select = ["FZ503"]\nfail-on = "a\\nb"\n', "pyproject.toml", ("--format", "json"))
    assert fuzz_config.decode(fuzz_config.encode(case)) == case


# -- baseline files (fuzz_baseline) -------------------------------------------------------

fuzz_baseline = _fuzz_module("fuzz_baseline")


@pytest.mark.parametrize("prop", _properties(fuzz_baseline))
def test_baseline_fuzz_property(prop: tuple[str, st.SearchStrategy[Any], Callable[[Any], object], Any, str]) -> None:
    _, strategy, check, _, _ = prop
    _run_bounded(strategy, check)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("baseline-*.json")), ids=lambda p: p.name)
def test_baseline_regressions(path: Path) -> None:
    fuzz_baseline.check(path.read_bytes())


# -- rule packs (fuzz_rules) ----------------------------------------------------------------

fuzz_rules = _fuzz_module("fuzz_rules")


@pytest.mark.parametrize("prop", _properties(fuzz_rules))
def test_rules_fuzz_property(prop: tuple[str, st.SearchStrategy[Any], Callable[[Any], object], Any, str]) -> None:
    _, strategy, check, _, _ = prop
    _run_bounded(strategy, check)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("rules-*.toml")), ids=lambda p: p.name)
def test_rules_regressions(path: Path) -> None:
    fuzz_rules.check(fuzz_rules.decode(path.read_bytes()))


def test_rules_cases_survive_their_encoding() -> None:
    case = ({"pack.toml": 'name = "a\\nb"\n', "XX101-r0.toml": 'code = "XX101"\nmessage = "{0}"\n'}, ("--diff",))
    assert fuzz_rules.decode(fuzz_rules.encode(case)) == case
