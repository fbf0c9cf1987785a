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
