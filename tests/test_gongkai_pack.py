"""The 政府信息公开工作年度报告 pack (rules/gongkai) on whole reports: the clean reports of
fixtures/gongkai/reports/ (complete reports in the shapes offices publish: a 县政府's own
report, departments, a 镇, a 街道, a 2020 report in the 2019 trial format; tables typed one
row per line, one cell per line, and as Markdown) get no error or warning, and each file of
fixtures/gongkai/defects/ (a clean report with one change) gets exactly the findings its
README lists.  Also: which reports the pack is chosen for, and the report kind and deadline
it reads from the title and the 落款."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUILTIN_HIDDEN, FIXTURES
from reportlint.app.api import lint_path, lint_text
from reportlint.checks.context import LintContext
from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import applicable_packs, load_ruleset, pack_profile

pytestmark = pytest.mark.skipif(BUILTIN_HIDDEN, reason="needs the built-in gongkai pack")

CLEAN = FIXTURES / "gongkai" / "reports"
DEFECTS = FIXTURES / "gongkai" / "defects"
CONFIG = {"pack": "gongkai"}


def own(code: str) -> bool:
    """The pack's rules on the text (GK1xx–GK8xx); the table rules (GK9xx) have their own tests."""
    return code.startswith("GK") and not code.startswith("GK9")


def findings(path: Path, **config: object) -> list[tuple[str, str, int, int]]:
    found = lint_path(path, config={**CONFIG, **config}, pack="gongkai")
    return sorted((f.code, f.severity, f.line, f.column) for f in found)


# -- clean reports -----------------------------------------------------------------------------

CLEAN_REPORTS = sorted(p for p in CLEAN.iterdir() if p.suffix in (".txt", ".md"))
# The only finding on a clean report: the title of 08 is over two lines, as published.
CLEAN_FINDINGS = {"08-county-department-split-title-2024.txt": [("GK105", "info", 1, 1)]}


def test_there_are_clean_reports_of_every_shape() -> None:
    names = [p.name for p in CLEAN_REPORTS]
    assert len(names) >= 8
    assert {p.suffix for p in CLEAN_REPORTS} == {".txt", ".md"}
    texts = {p.name: p.read_text(encoding="utf-8") for p in CLEAN_REPORTS}
    # a table one row per line (tabs), one cell per line, and in Markdown
    assert any("一、本年新收政府信息公开申请数量\t" in t for t in texts.values())
    assert any("\n一、本年新收政府信息公开申请数量\n\n" in t for t in texts.values())
    assert any("| 一、本年新收政府信息公开申请数量 |" in t for t in texts.values())
    # the 2019 trial format's tables in the 2020 report
    assert any("本年新制作数量" in t and "2020年" in t.splitlines()[0] for t in texts.values())


@pytest.mark.parametrize("path", CLEAN_REPORTS, ids=lambda p: p.name)
def test_clean_report_has_no_error_or_warning(path: Path) -> None:
    found = [f for f in findings(path) if f[0].startswith("GK")]
    assert [f for f in found if own(f[0])] == CLEAN_FINDINGS.get(path.name, [])
    assert not [f for f in found if f[1] in ("error", "warning")], found


@pytest.mark.parametrize("path", CLEAN_REPORTS, ids=lambda p: p.name)
def test_clean_report_with_every_rule_selected(path: Path) -> None:
    """The hints that are off by default (GK205, GK804) are quiet too."""
    found = [f for f in findings(path, select=["GK"]) if own(f[0])]
    assert found == CLEAN_FINDINGS.get(path.name, [])


# -- defects -----------------------------------------------------------------------------------

# file -> the findings of GK1xx–GK8xx, (code, severity, line, column); fixtures/gongkai/defects/README.md
EXPECTED = {
    "01-title-wrong-wording.txt": [("GK101", "warning", 1, 13)],
    "02-title-without-year.md": [("GK103", "error", 1, 3)],
    "03-title-without-organ.txt": [("GK102", "error", 1, 1)],
    "04-title-organ-without-place.md": [("GK107", "warning", 1, 3)],
    "05-composition-sentence-lists-five.txt": [("GK105", "info", 1, 1), ("GK112", "warning", 4, 66)],
    "06-missing-review-part.txt": [("GK116", "warning", 1, 1)],
    "07-missing-problems-part.md": [("GK117", "error", 1, 3)],
    "08-parts-out-of-order.txt": [("GK111", "warning", 77, 1)],
    "09-old-structure-heading.md": [("GK404", "error", 5, 3)],
    "10-problems-none.txt": [("GK203", "error", 587, 1)],
    "11-problems-without-improvements.md": [("GK209", "warning", 109, 4)],
    "12-government-without-evaluation.txt": [("GK202", "warning", 1, 1)],
    "13-pasted-format-instructions.txt": [("GK207", "error", 7, 94)],
    "14-template-placeholder.txt": [("GK105", "info", 1, 1), ("GK207", "error", 18, 38)],
    "15-superseded-format-citation.txt": [("GK402", "warning", 3, 73)],
    "16-old-ordinance-number.txt": [("GK403", "warning", 3, 26)],
    "17-short-ordinance-title.txt": [("GK105", "info", 1, 1), ("GK301", "warning", 4, 3)],
    "18-nested-book-marks.txt": [("GK401", "warning", 3, 34)],
    "19-doc-number-brackets.md": [("GK512", "error", 3, 101)],
    "20-fee-terms.md": [("GK305", "warning", 117, 28)],
    "21-statistics-period-wrong-year.md": [("GK702", "error", 3, 94)],
    "22-year-drift.txt": [("GK704", "warning", 27, 60)],
    "23-department-late.txt": [("GK105", "info", 1, 1), ("GK703", "warning", 85, 11)],
    "24-government-late.txt": [("GK703", "warning", 603, 10)],
    "25-town-late.txt": [("GK703", "info", 597, 11)],
    "26-date-from-last-year.txt": [("GK708", "warning", 597, 11)],
    "27-halfwidth-punctuation.md": [("GK501", "error", 11, 23)],
    "28-space-before-year.txt": [("GK503", "warning", 3, 212), ("GK503", "warning", 3, 217)],
    "29-heading-sequence.md": [("GK602", "error", 17, 5)],
}


def test_every_defect_file_is_listed() -> None:
    files = sorted(p.name for p in DEFECTS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
    assert files == sorted(EXPECTED)
    readme = (DEFECTS / "README.md").read_text(encoding="utf-8")
    for name, expected in EXPECTED.items():
        row = next(line for line in readme.splitlines() if f"`{name}`" in line)
        for code, _, line, column in expected:
            assert f"{line}:{column} {code}" in row, (name, code)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_defect_gives_exactly_its_finding(name: str) -> None:
    found = [f for f in findings(DEFECTS / name) if own(f[0])]
    assert found == sorted(EXPECTED[name])


# -- which reports, which kind, which deadline --------------------------------------------------

PACKS = load_ruleset().packs
GONGKAI = next(pack for pack in PACKS if pack.name == "gongkai")
# (file, kind, deadline)
KINDS = [
    ("01-county-government-2024.txt", "政府", "03-31"),
    ("02-city-department-2024.md", "部门", "01-31"),
    ("03-town-2024.txt", "乡镇街道", "01-31"),
    ("04-subdistrict-2025.txt", "乡镇街道", "01-31"),
    ("05-provincial-department-2023.md", "部门", "01-31"),
    ("06-district-office-2020-trial-format.txt", "部门", "01-31"),
    ("07-city-government-2023.txt", "政府", "03-31"),
    ("08-county-department-split-title-2024.txt", "部门", "01-31"),
    ("09-district-department-no-requests-2025.md", "部门", "01-31"),
]


def context(text: str, path: str = "report.txt") -> LintContext:
    return LintContext(Document.from_text(text, path=path))


@pytest.mark.parametrize(("name", "kind", "deadline"), KINDS)
def test_report_kind_and_deadline(name: str, kind: str, deadline: str) -> None:
    ctx = context((CLEAN / name).read_text(encoding="utf-8"), name)
    profile = pack_profile(ctx, Config(), GONGKAI)
    assert (profile["report_kind"], profile["deadline"]) == (kind, deadline)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("北京市东城区人民政府东四街道办事处2025年政府信息公开工作年度报告", "乡镇街道"),
        ("利辛县望疃镇2023年政府信息公开工作年度报告", "乡镇街道"),
        ("2023年下各镇政府信息公开工作年度报告", "乡镇街道"),
        ("2022年上海市政府信息公开工作年度报告", "政府"),
        ("广州市天河区2023年政府信息公开工作年度报告", "政府"),
        ("沭阳县人民政府2025年政府信息公开工作年度报告", "政府"),
        ("高平市人民政府办公室2023年政府信息公开工作年度报告", "部门"),
        ("广州市人民政府办公厅2023年政府信息公开工作年度报告", "部门"),
        ("达州市通川区统计局2024年政府信息公开工作年度报告", "部门"),
        ("江州市城市管理局2024年政府信息公开工作年度报告", "部门"),
    ],
)
def test_report_kind_from_the_title(title: str, kind: str) -> None:
    ctx = context(f"{title}\n\n一、总体情况\n\n全年收到申请3件。\n")
    assert pack_profile(ctx, Config(), GONGKAI)["report_kind"] == kind


def test_report_kind_from_the_signature() -> None:
    text = "2024年政府信息公开工作年度报告\n\n一、总体情况\n\n全年收到申请3件。\n\n某县人民政府\n\n2025年3月20日\n"
    assert pack_profile(context(text), Config(), GONGKAI)["report_kind"] == "政府"


def chosen(text: str) -> list[str]:
    return [pack.name for pack in applicable_packs(context(text), Config(), PACKS)]


@pytest.mark.parametrize(
    "title",
    [
        "青石县人民政府2024年政府信息公开工作年度报告",
        "舒兰市市场监督管理局2016年政务信息公开年度报告",  # a wrong title is still this report
        "某县教育局2024年政务公开工作年度报告",
        "某县统计局2024年政府信息公开年报",
    ],
)
def test_the_pack_applies_to_disclosure_report_titles(title: str) -> None:
    assert "gongkai" in chosen(f"{title}\n\n一、总体情况\n\n全年主动公开政府信息86条。\n")


def test_a_draft_without_title_is_told_by_the_tables() -> None:
    report = (CLEAN / "01-county-government-2024.txt").read_text(encoding="utf-8")
    body = report[report.index("一、总体情况") :]
    assert "gongkai" in chosen(body)


def test_not_a_commentary_page_nor_another_report() -> None:
    commentary = "图解：《青石县人民政府2024年政府信息公开工作年度报告》解读\n\n一图读懂年度报告。\n"
    assert "gongkai" not in chosen(commentary)
    fazhi = "某区司法局2024年度法治政府建设情况报告\n\n一、主要举措和成效\n\n全年公开政府信息135条，依法办理政府信息公开申请3件。\n"
    assert "gongkai" not in chosen(fazhi)


def test_the_pack_checks_a_pasted_text_when_forced() -> None:
    found = lint_text("某县统计局2024年政务信息公开年度报告\n\n一、总体情况\n", pack="gongkai", config=CONFIG)
    assert "GK101" in {f.code for f in found}
