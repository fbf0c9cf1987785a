from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Keep the compiled-rule and regex caches of the test run out of the user's cache
# directory (and start from an empty one, as a fresh install does).  Set before any
# test imports reportlint; subprocesses inherit it.
os.environ.setdefault("REPORTLINT_CACHE_DIR", tempfile.mkdtemp(prefix="reportlint-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REPORTS = sorted((FIXTURES / "reports").glob("*.txt"))


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# Test packs (tests/packs/): ``neutral`` uses every check kind on a kind of report unrelated
# to the 法治 pack; the generic check kinds are tested on it.
PACKS = ROOT / "tests" / "packs"
NEUTRAL_PACK = PACKS / "neutral"

# REPORTLINT_TEST_HIDE_BUILTIN=1 (tests/test_without_builtin_rules.py sets it for a run of the
# generic tests): the built-in packs are replaced by an empty folder, so a test that needs
# the 法治 pack fails ("no rule files") instead of passing on its rules.
if os.environ.get("REPORTLINT_TEST_HIDE_BUILTIN") == "1":
    import reportlint.engine.lint as _lint
    import reportlint.support.resources as _resources

    _EMPTY_RULES = Path(tempfile.mkdtemp(prefix="reportlint-no-builtin-"))
    _lint.builtin_rules_dir = _resources.builtin_rules_dir = lambda: _EMPTY_RULES


@pytest.fixture
def neutral_pack() -> Path:
    return NEUTRAL_PACK


BUILTIN_HIDDEN = os.environ.get("REPORTLINT_TEST_HIDE_BUILTIN") == "1"


def shipped_and_test_rules() -> list:  # type: ignore[type-arg]
    """The rules of the built-in packs (unless hidden) and of the neutral test pack."""
    from reportlint.engine.config import Config
    from reportlint.engine.lint import load_ruleset

    return load_ruleset(Config(builtin_rules=not BUILTIN_HIDDEN), extra=[NEUTRAL_PACK]).rules
