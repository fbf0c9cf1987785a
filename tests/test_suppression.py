"""Suppression comments in Markdown reports."""

from __future__ import annotations

from reportlint.config import Config
from reportlint.engine import lint_text

TITLE = "# 某区司法局2024年度法治政府建设情况报告\n\n"
ONLY = Config(select=("FZ503", "FZ109"))



def positions(text: str, path: str = "r.md", config: Config = ONLY) -> list[tuple[str, int, int]]:
    doc, diagnostics = lint_text(text, path=path, config=config)
    return [(d.code, doc.position(d.start).line, doc.position(d.start).column) for d in diagnostics]


def test_disable_next_line_skips_blank_lines_and_only_that_line() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line FZ503 -->\n\n全年共 5 条。\n全年共 6 条。\n"
    assert positions(text) == [("FZ503", 6, 4), ("FZ503", 6, 6)]


def test_disable_and_enable_a_region() -> None:
    text = (
        TITLE
        + "<!-- reportlint-disable FZ503 -->\n全年共 5 条。\n<!-- reportlint-enable FZ503 -->\n全年共 6 条。\n"
    )
    assert positions(text) == [("FZ503", 6, 4), ("FZ503", 6, 6)]


def test_disable_without_codes_silences_every_rule_until_enabled() -> None:
    text = TITLE + "<!-- reportlint-disable -->\n共 5 条**加粗**。\n<!-- reportlint-enable -->\n共 6 条。\n"
    assert positions(text) == [("FZ503", 6, 2), ("FZ503", 6, 4)]


def test_disable_at_the_top_covers_findings_about_the_whole_report() -> None:
    config = Config(select=("FZ201",))
    text = "# 某区司法局2024年度法治政府建设情况报告\n\n## 一、存在的不足和原因\n\n学习不深入，原因是重视不够。\n"
    assert [code for code, *_ in positions(text, config=config)] == ["FZ201"]
    assert positions("<!-- reportlint-disable FZ201 -->\n" + text, config=config) == []


def test_unused_suppression_is_reported_as_info() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line FZ503, FZ109 -->\n全年共 5 条。\n"
    doc, diagnostics = lint_text(text, path="r.md", config=Config(select=("FZ503", "FZ109", "RL002")))
    assert [(d.code, d.severity.label, doc.position(d.start).line, d.message) for d in diagnostics] == [
        ("RL002", "info", 3, "抑制注释没有抑制任何问题（FZ109），可以删除。")
    ]


def test_unused_suppression_is_reported_with_the_default_rules_or_when_selected() -> None:
    """Like Ruff's RUF100: shown by default, and with --select only when selected."""
    text = TITLE + "<!-- reportlint-disable-next-line FZ109 -->\n全年共5条。\n"
    assert ("RL002", 3, 1) in positions(text, config=Config())
    assert positions(text, config=Config(select=("FZ503", "FZ109"))) == []
    assert positions(text, config=Config(select=("FZ503", "FZ109"), extend_select=("RL",))) == [("RL002", 3, 1)]


def test_suppression_naming_a_rule_that_did_not_run_is_not_unused() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line FZ301 -->\n全年共5条。\n"
    assert positions(text) == []


def test_unused_suppression_can_be_ignored() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line FZ109 -->\n全年共5条。\n"
    assert positions(text, config=Config(select=("FZ503", "FZ109"), ignore=("RL002",))) == []


def test_plain_text_reports_do_not_honour_comments() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line FZ503 -->\n全年共 5 条。\n"
    assert positions(text, path="r.txt") == [("FZ503", 4, 4), ("FZ503", 4, 6)]


def test_unknown_code_in_a_suppression_is_a_warning_at_its_line() -> None:
    """As Ruff: a typo (letter O for zero) turns the comment off, so it is reported, even
    with --select."""
    text = TITLE + "<!-- reportlint-disable-next-line FZ5O3 -->\n全年共 5 条。\n"
    doc, diagnostics = lint_text(text, path="r.md", config=ONLY)
    found = [(d.code, d.severity.label, doc.position(d.start).line, doc.position(d.start).column) for d in diagnostics]
    assert found == [("RL003", "warning", 3, 1), ("FZ503", "warning", 4, 4), ("FZ503", "warning", 4, 6)]
    assert diagnostics[0].message == "抑制注释中未知的规则代码 FZ5O3，是否指 FZ503？（这条注释因此不起作用）"
    assert positions(text, config=Config(select=("FZ503",), ignore=("RL003",))) == [("FZ503", 4, 4), ("FZ503", 4, 6)]
