"""Suppression comments in Markdown reports (on the neutral test pack: NT201 a space between
汉字 and digits, NT202 markup residue, NT401 a missing part)."""

from __future__ import annotations

from dataclasses import replace

from conftest import NEUTRAL_PACK
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_text

TITLE = "# 某局2024年工作总结\n\n"
NEUTRAL = Config(builtin_rules=False, rule_dirs=(NEUTRAL_PACK,))
ONLY = replace(NEUTRAL, select=("NT201", "NT202"))


def only(select: tuple[str, ...], **settings: tuple[str, ...]) -> Config:
    return replace(NEUTRAL, select=select, **settings)


def positions(text: str, path: str = "r.md", config: Config = ONLY) -> list[tuple[str, int, int]]:
    doc, diagnostics = lint_text(text, path=path, config=config)
    return [(d.code, doc.position(d.start).line, doc.position(d.start).column) for d in diagnostics]


def test_disable_next_line_skips_blank_lines_and_only_that_line() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line NT201 -->\n\n全年共 5 条。\n全年共 6 条。\n"
    assert positions(text) == [("NT201", 6, 4), ("NT201", 6, 6)]


def test_disable_and_enable_a_region() -> None:
    text = (
        TITLE
        + "<!-- reportlint-disable NT201 -->\n全年共 5 条。\n<!-- reportlint-enable NT201 -->\n全年共 6 条。\n"
    )
    assert positions(text) == [("NT201", 6, 4), ("NT201", 6, 6)]


def test_disable_without_codes_silences_every_rule_until_enabled() -> None:
    text = TITLE + "<!-- reportlint-disable -->\n共 5 条**加粗**。\n<!-- reportlint-enable -->\n共 6 条。\n"
    assert positions(text) == [("NT201", 6, 2), ("NT201", 6, 4)]


def test_disable_at_the_top_covers_findings_about_the_whole_report() -> None:
    config = only(("NT401",))
    text = "# 某局2024年工作总结\n\n## 一、存在的问题\n\n学习不深入，原因是重视不够。\n"
    assert [code for code, *_ in positions(text, config=config)] == ["NT401"]
    assert positions("<!-- reportlint-disable NT401 -->\n" + text, config=config) == []


def test_unused_suppression_is_reported_as_info() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line NT201, NT202 -->\n全年共 5 条。\n"
    doc, diagnostics = lint_text(text, path="r.md", config=only(("NT201", "NT202", "RL002")))
    assert [(d.code, d.severity.label, doc.position(d.start).line, d.message) for d in diagnostics] == [
        ("RL002", "info", 3, "抑制注释没有抑制任何问题（NT202），可以删除。")
    ]


def test_unused_suppression_is_reported_with_the_default_rules_or_when_selected() -> None:
    """Like Ruff's RUF100: shown by default, and with --select only when selected."""
    text = TITLE + "<!-- reportlint-disable-next-line NT202 -->\n全年共5条。\n"
    assert ("RL002", 3, 1) in positions(text, config=NEUTRAL)
    assert positions(text, config=only(("NT201", "NT202"))) == []
    assert positions(text, config=only(("NT201", "NT202"), extend_select=("RL",))) == [("RL002", 3, 1)]


def test_suppression_naming_a_rule_that_did_not_run_is_not_unused() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line NT203 -->\n全年共5条。\n"
    assert positions(text) == []


def test_unused_suppression_can_be_ignored() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line NT202 -->\n全年共5条。\n"
    assert positions(text, config=only(("NT201", "NT202"), ignore=("RL002",))) == []


def test_plain_text_reports_do_not_honour_comments() -> None:
    text = TITLE + "<!-- reportlint-disable-next-line NT201 -->\n全年共 5 条。\n"
    assert positions(text, path="r.txt") == [("NT201", 4, 4), ("NT201", 4, 6)]


def test_unknown_code_in_a_suppression_is_a_warning_at_its_line() -> None:
    """As Ruff: a typo (letter O for zero) turns the comment off, so it is reported, even
    with --select."""
    text = TITLE + "<!-- reportlint-disable-next-line NT2O1 -->\n全年共 5 条。\n"
    doc, diagnostics = lint_text(text, path="r.md", config=ONLY)
    found = [(d.code, d.severity.label, doc.position(d.start).line, doc.position(d.start).column) for d in diagnostics]
    assert found == [("RL003", "warning", 3, 1), ("NT201", "warning", 4, 4), ("NT201", "warning", 4, 6)]
    assert diagnostics[0].message == "抑制注释中未知的规则代码 NT2O1，是否指 NT201？（这条注释因此不起作用）"
    assert positions(text, config=only(("NT201",), ignore=("RL003",))) == [("NT201", 4, 4), ("NT201", 4, 6)]
