"""The 政府信息公开 pack on 23 real report heads (tests/corpus/gongkai-heads): what a head
shows — its title, its opening, its metadata lines — gets the defects the catalogue records
for it and no other error or warning.  Rules about the whole report (parts, tables, the
content a 人民政府 must report) are not judged on a head, nor half-width punctuation (crawled
copies normalise it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportlint.core.diagnostics import Severity
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_document, load_ruleset
from reportlint.inputs.reading import read_path

HEADS = Path(__file__).resolve().parent / "corpus" / "gongkai-heads"
# Unknowable on a head: the parts, the tables, and what the whole report must contain.
WHOLE_REPORT = {"GK110", "GK114", "GK115", "GK116", "GK117", "GK118", "GK901", "GK707", "GK201", "GK202",
                "GK206", "GK208"}  # fmt: skip
CRAWLED = {"GK501"}  # half-width punctuation: the crawler's, or the office's — not told apart

EXPECTED = {
    # "沐阳县人民政府 2025 年 政府信息…": spaces between the characters and the year (catalogue A1).
    "A01_shuyang_2025.txt": ["1:10 GK503", "1:15 GK503"],
    # The crawl lost the 年 of “望疃镇2023年”: the linter sees a year without 年 (A9).
    "A09_wangtuan_town_2023.txt": ["1:7 GK108"],
    # “…等六部分组成” lists five parts, 复议诉讼 missing (A12).
    "A12_district_stats_2023.txt": ["1:51 GK112"],
    # A 2022 report citing the superseded 国办公开办函〔2019〕60号 (A14).
    "A14_taiping_town_2022.txt": ["2:63 GK402"],
    # The page head “工作年度报告” names neither organ nor year; the format's instruction text
    # “(含《…条例》第五十条第四项规定的…)” pasted into the report (A17).
    "A17_changtong_subdistrict_2024.txt": ["1:1 GK102", "1:1 GK103", "2:156 GK207"],
    # A crawl wrote the heading and its first sentence on one line: “一、总体情况 2025年,…” (A18).
    "A18_beijie_subdistrict_2025.txt": ["3:7 GK503"],
    # “政务信息公开年度报告” (B3).
    "B03_shulan_market_2016.txt": ["1:16 GK101"],
}
HEAD_FILES = sorted(HEADS.glob("*.txt"))


def serious(path: Path) -> list[str]:
    config = Config(pack="gongkai")
    doc = read_path(path)
    found = []
    for diagnostic in lint_document(doc, load_ruleset(config).select(config, str(path)), config):
        if diagnostic.severity >= Severity.WARNING and diagnostic.code not in WHOLE_REPORT | CRAWLED:
            position = doc.position(diagnostic.start)
            found.append(f"{position.line}:{position.column} {diagnostic.code}")
    return found


@pytest.mark.parametrize("head", HEAD_FILES, ids=[p.stem for p in HEAD_FILES])
def test_a_real_head_gets_its_recorded_defects_and_nothing_else(head: Path) -> None:
    assert serious(head) == EXPECTED.get(head.name, [])


def test_metadata_dates_and_glued_crawl_digits_are_no_findings() -> None:
    """生成日期 2026-01-23 16:24:38 / 日期:2026-01-19 are the website's, not the 成文日期 (no
    GK706, GK509); 202511日至20251231日 is a glued crawl, not a wrong statistics year (no GK702)."""
    found = {code for path in HEAD_FILES for code in (entry.split()[1] for entry in serious(path))}
    assert not found & {"GK706", "GK509", "GK702", "GK512"}
    assert len(HEAD_FILES) == 23
