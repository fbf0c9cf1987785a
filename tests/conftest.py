from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REPORTS = sorted((FIXTURES / "reports").glob("*.txt"))


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
