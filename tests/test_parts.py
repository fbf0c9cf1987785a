"""How the parts of a report are found (LintContext.part_sections), whatever the pack: by
heading words at the top level or one level down (``strong``), at any level (``level = 0``),
as stand-alone lines without a number, by structure (``unclaimed``), above numbered headings
(第一部分 …); and what the ``section`` kind reports when one is missing.  On the neutral
test pack (tests/packs/neutral), so they pass without the 法治 pack (its own part wording:
tests/test_fazhi_parts.py)."""

from __future__ import annotations

from conftest import NEUTRAL_PACK
from reportlint.checks.context import LintContext
from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_text
from reportlint.engine.loader import load_pack

PACK = load_pack(NEUTRAL_PACK)
CONFIG = Config(builtin_rules=False, rule_dirs=(NEUTRAL_PACK,))
TITLE = "某某局2024年工作总结\n\n2024年，我局围绕中心工作开展“质量提升年”活动。\n\n"
REST = (
    "{n2}、存在的问题\n\n学习不够深入，原因是重视不够。\n\n"
    "{n3}、领导班子履职情况\n\n班子成员带头学习4次。\n\n"
    "{n4}、2025年工作计划\n\n明确目标，落实措施。\n\n某某局\n\n2025年1月20日\n"
)


def part_headings(text: str) -> dict[str, list[str]]:
    ctx = LintContext(Document.from_text(text))
    return {name: [s.title for s in ctx.part_sections(part, PACK)] for name, part in PACK.parts.items()}


def serious(text: str, config: Config = CONFIG) -> list[tuple[str, int]]:
    doc, found = lint_text(text, config=config)
    return [(d.code, doc.position(d.start).line) for d in found if d.severity.label in ("error", "warning")]


def test_thematic_level_one_headings_are_the_unclaimed_part() -> None:
    text = (
        TITLE
        + "一、强化队伍建设\n\n全年培训6次，完成任务5项。\n\n"
        + "二、推进数字化转型\n\n上线系统2项，办件300件。\n\n"
        + REST.format(n2="三", n3="四", n4="五")
    )
    parts = part_headings(text)
    assert parts["results"] == ["强化队伍建设", "推进数字化转型"]
    assert parts["problems"] == ["存在的问题"]
    assert serious(text) == []


def test_a_part_of_any_level_may_come_first() -> None:
    text = (
        TITLE
        + "一、领导班子履职情况\n\n班子成员带头学习4次。\n\n"
        + "二、主要工作情况\n\n全年培训6次，完成任务5项。\n\n"
        + "三、存在的问题\n\n学习不够深入，原因是重视不够。\n\n"
        + "四、下一步工作打算\n\n明确目标，落实措施。\n\n某某局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["leaders"] == ["领导班子履职情况"]
    assert parts["results"] == ["主要工作情况"]
    assert parts["plan"] == ["下一步工作打算"]
    assert serious(text) == []


def test_a_nested_leaders_heading_is_found_at_any_level() -> None:
    text = TITLE + "一、主要工作情况\n\n（一）领导班子履职情况\n\n班子成员带头学习4次。\n"
    assert part_headings(text)["leaders"] == ["领导班子履职情况"]


def test_review_parts_one_level_down_under_one_heading() -> None:
    """A ``strong`` heading is found one level below the top; the others are not."""
    text = (
        TITLE
        + "一、2024年工作情况\n\n（一）主要成绩\n\n全年培训6次，完成任务5项。\n\n"
        + "（二）存在的问题\n\n学习不够深入，原因是重视不够。\n\n"
        + "（三）领导班子履职情况\n\n班子成员带头学习4次。\n\n"
        + "二、2025年工作计划\n\n明确目标，落实措施。\n\n某某局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["problems"] == ["存在的问题"]
    assert parts["results"] == ["2024年工作情况"]
    assert parts["plan"] == ["2025年工作计划"]
    assert serious(text) == []


def test_without_level_one_headings_the_parts_are_one_level_down() -> None:
    text = TITLE + "（一）主要成绩\n\n全年培训6次，完成任务5项。\n\n（二）存在的问题\n\n学习不够，原因是重视不够。\n"
    parts = part_headings(text)
    assert parts["results"] == ["主要成绩"]
    assert parts["problems"] == ["存在的问题"]


def test_parts_headed_without_numbers() -> None:
    text = (
        TITLE
        + "主要工作情况\n\n（一）强化队伍建设\n\n全年培训6次，完成任务5项。\n\n"
        + "存在的问题\n\n（一）问题表现\n\n学习不够深入。\n\n（二）原因分析\n\n重视不够。\n\n"
        + "领导班子履职情况\n\n班子成员带头学习4次。\n\n"
        + "2025年工作计划\n\n（一）加强学习\n\n明确目标，落实措施。\n\n某某局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["problems"] == ["存在的问题"]
    assert parts["plan"] == ["2025年工作计划"]
    assert serious(text) == []


def test_a_heading_may_name_two_parts() -> None:
    text = (
        TITLE
        + "一、主要工作情况\n\n全年培训6次，完成任务5项。\n\n"
        + "二、领导班子履职情况\n\n班子成员带头学习4次。\n\n"
        + "三、存在的问题及下一步打算\n\n学习不够深入，原因是重视不够。2025年将明确目标，落实措施。\n\n"
        + "某某局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["problems"] == parts["plan"] == ["存在的问题及下一步打算"]
    assert serious(text) == []


def test_a_part_that_is_not_required_claims_its_sections() -> None:
    text = TITLE + "一、存在的问题\n\n原因是重视不够。\n\n二、其他事项\n\n无。\n\n三、2025年工作计划\n\n明确目标，落实措施。\n"
    assert part_headings(text)["results"] == []
    assert [code for code, _ in serious(text)] == ["NT401"]


def test_a_missing_part_says_where_it_belongs() -> None:
    text = TITLE + "一、主要工作情况\n\n全年培训6次，完成任务5项。\n\n" + (
        "二、领导班子履职情况\n\n班子成员带头学习4次。\n\n"
        "三、2025年工作计划\n\n明确目标，落实措施。\n\n某某局\n\n2025年1月20日\n"
    )
    doc, found = lint_text(text, config=Config(builtin_rules=False, rule_dirs=(NEUTRAL_PACK,), select=("NT402",)))
    (finding,) = found
    assert (finding.code, doc.position(finding.start).line) == ("NT402", 1)
    assert finding.message == "总结缺少“存在的问题”部分，应放在“一、主要工作情况”部分之后。"


def test_a_heading_naming_the_next_year_is_the_plan() -> None:
    text = TITLE + "一、2024年主要工作情况\n\n全年培训6次。\n\n二、2025年重点任务\n\n明确目标。\n"
    parts = part_headings(text)
    assert parts["results"] == ["2024年主要工作情况"]
    assert parts["plan"] == ["2025年重点任务"]
    # Without a report year an alias naming <next_year> matches nothing.
    assert part_headings("一、2025年重点任务\n\n明确目标。\n")["plan"] == []


def test_an_unfinished_report_gets_missing_parts_as_hints_or_not_at_all() -> None:
    """No 落款 and none of the pack's closing_parts: a draft.  ``if_unfinished = "info"``
    rules report at info with the pack's note, ``"skip"`` rules not at all."""
    text = TITLE + "一、领导班子履职情况\n\n班子成员带头学习4次。\n"
    _doc, found = lint_text(text, config=CONFIG)
    missing = {d.code: d for d in found if d.code in ("NT401", "NT402", "NT403")}
    assert sorted(missing) == ["NT401", "NT402"]
    assert {d.severity.label for d in missing.values()} == {"info"}
    assert missing["NT402"].message.endswith("可能尚未写完。）")
    # With a 落款 the same text is a finished report lacking its parts: errors.
    _doc, found = lint_text(text + "\n某某局\n\n2025年1月20日\n", config=CONFIG)
    assert {d.code: d.severity.label for d in found if d.code in ("NT401", "NT402", "NT403")} == {
        "NT401": "error",
        "NT402": "error",
        "NT403": "error",
    }


def test_unnumbered_part_headings_above_numbered_ones() -> None:
    """第一部分 … 第二部分 …: the 一、 headings restart under each part; the part is the whole
    第二部分, causes included."""
    text = (
        TITLE
        + "第一部分　2024年主要工作情况\n\n一、强化队伍建设\n\n全年培训6次，完成任务5项。\n\n"
        + "第二部分　存在的问题\n\n一、问题表现\n\n执行不到位。\n\n二、原因分析\n\n主要原因是人员偏少。\n\n"
        + "第三部分　领导班子履职情况\n\n班子成员带头学习4次。\n\n"
        + "第四部分　2025年工作计划\n\n一、加强学习\n\n明确目标，落实措施。\n\n某某局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["problems"] == ["第二部分　存在的问题"]
    assert parts["plan"] == ["第四部分　2025年工作计划"]
    assert serious(text) == []


def test_a_report_without_headings_is_one_unclaimed_part() -> None:
    text = TITLE + "全年培训6次，完成任务5项。\n"
    assert part_headings(text)["results"] == [""]
