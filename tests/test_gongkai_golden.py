"""Golden tests of the 政府信息公开 pack: the exact findings (line, column, code, severity) of
every report under fixtures/gongkai/ — the clean reports, the one-defect copies, and the real
沭阳县人民政府 2025 and 上海市人民政府办公厅 2019 reports as .docx, .pdf and browser text —
with the default rule set (both packs installed).  ``fixtures/gongkai/expected/REVIEW.md``
says why each line is there.

To rewrite after a reviewed change: ``REPORTLINT_UPDATE_GOLDEN=1 python -m pytest
tests/test_gongkai_golden.py`` (then read the diff line by line before committing).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from test_golden import actual_lines, expected_lines

ROOT = Path(__file__).resolve().parent.parent
GONGKAI = ROOT / "fixtures" / "gongkai"
EXPECTED = GONGKAI / "expected"
REAL = ["shuyang-2025.docx", "shuyang-2025.pdf", "shanghai-2019.docx", "shanghai-2019.pdf"]
REAL_TEXT = ["renderings/shuyang-2025-innertext.txt", "renderings/shanghai-2019-innertext.txt"]
REPORTS = [
    *sorted(p for p in (GONGKAI / "reports").iterdir() if p.suffix in (".txt", ".md")),
    *sorted(p for p in (GONGKAI / "defects").iterdir() if p.suffix in (".txt", ".md") and p.stem != "README"),
    *[GONGKAI / name for name in [*REAL, *REAL_TEXT]],
]


def golden_name(path: Path) -> str:
    return f"{path.parent.name}--{path.name}.txt"


@pytest.mark.parametrize("report", REPORTS, ids=[f"{p.parent.name}/{p.name}" for p in REPORTS])
def test_report_matches_golden(report: Path) -> None:
    golden = EXPECTED / golden_name(report)
    actual = actual_lines(report)
    if os.environ.get("REPORTLINT_UPDATE_GOLDEN"):
        EXPECTED.mkdir(exist_ok=True)
        golden.write_text("".join(f"{line}\n" for line in actual), encoding="utf-8")
    assert actual == expected_lines(golden)


def test_no_golden_without_its_report() -> None:
    assert {p.name for p in EXPECTED.glob("*.txt")} == {golden_name(p) for p in REPORTS}
