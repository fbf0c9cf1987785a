"""The 法治 pack's parts (rules/fazhi/pack.toml [parts.*]) on the shapes real offices write,
and what its missing-part rules report.  (How parts are found, whatever the pack: the
neutral test pack in tests/test_parts.py.)"""

from __future__ import annotations

import pytest

from reportlint.checks.context import LintContext
from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_text, load_ruleset

PACK = next(pack for pack in load_ruleset().packs if pack.name == "fazhi")
TITLE = "某某县司法局2024年度法治政府建设情况报告\n\n2024年，我局深入学习贯彻习近平法治思想。\n\n"
REST = (
    "{n2}、存在的不足和原因\n\n学习不够深入，原因是重视不够。\n\n"
    "{n3}、党政主要负责人履行推进法治建设第一责任人职责情况\n\n局长主持研究法治工作4次。\n\n"
    "{n4}、2025年工作安排\n\n继续推进。\n\n某某县司法局\n\n2025年1月20日\n"
)


def part_headings(text: str) -> dict[str, list[str]]:
    ctx = LintContext(Document.from_text(text))
    return {name: [s.title for s in ctx.part_sections(part, PACK)] for name, part in PACK.parts.items()}


def serious(text: str) -> list[tuple[str, int]]:
    doc, found = lint_text(text, config=Config())
    return [(d.code, doc.position(d.start).line) for d in found if d.severity.label in ("error", "warning")]


def test_thematic_level_one_headings_are_the_achievements_part() -> None:
    text = (
        TITLE
        + "一、深入学习贯彻习近平法治思想\n\n全年集中学法6次。\n\n"
        + "二、依法全面履行政府职能\n\n公布权责清单216项。\n\n"
        + "三、坚持问题导向，强化执法监督\n\n评查案卷180卷。\n\n"
        + REST.format(n2="四", n3="五", n4="六")
    )
    parts = part_headings(text)
    assert parts["achievements"] == ["深入学习贯彻习近平法治思想", "依法全面履行政府职能", "坚持问题导向，强化执法监督"]
    assert parts["shortcomings"] == ["存在的不足和原因"]
    assert serious(text) == []


def test_the_responsibility_part_may_come_first() -> None:
    text = (
        TITLE
        + "一、党政主要负责人履行推进法治建设第一责任人职责情况\n\n局长主持研究法治工作4次。\n\n"
        + "二、主要工作开展情况\n\n全年集中学法6次。\n\n"
        + "三、存在的不足和原因\n\n学习不够深入，原因是重视不够。\n\n"
        + "四、下一步工作打算\n\n继续推进。\n\n某某县司法局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["responsibility"] == ["党政主要负责人履行推进法治建设第一责任人职责情况"]
    assert parts["achievements"] == ["主要工作开展情况"]
    assert parts["plan"] == ["下一步工作打算"]
    assert serious(text) == []


def test_review_parts_one_level_down_under_one_heading() -> None:
    text = (
        TITLE
        + "一、2024年法治政府建设情况\n\n（一）主要举措和成效\n\n全年集中学法6次。\n\n"
        + "（二）存在的不足和原因\n\n学习不够深入，原因是重视不够。\n\n"
        + "（三）党政主要负责人履行推进法治建设第一责任人职责情况\n\n局长主持研究法治工作4次。\n\n"
        + "二、2025年工作安排\n\n继续推进。\n\n某某县司法局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["shortcomings"] == ["存在的不足和原因"]
    assert parts["plan"] == ["2025年工作安排"]
    assert serious(text) == []


def test_parts_headed_without_numbers() -> None:
    text = (
        TITLE
        + "主要举措和成效\n\n（一）强化组织领导\n\n全年集中学法6次。\n\n"
        + "存在的不足和原因\n\n（一）存在的不足\n\n学习不够深入。\n\n（二）原因分析\n\n重视不够。\n\n"
        + "党政主要负责人履行推进法治建设第一责任人职责情况\n\n局长主持研究法治工作4次。\n\n"
        + "2025年工作安排\n\n（一）加强学习\n\n继续推进。\n\n某某县司法局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["shortcomings"] == ["存在的不足和原因"]
    assert parts["plan"] == ["2025年工作安排"]
    assert serious(text) == []


def test_a_heading_may_name_two_parts() -> None:
    text = (
        TITLE
        + "一、主要举措和成效\n\n全年集中学法6次。\n\n"
        + "二、党政主要负责人履行推进法治建设第一责任人职责情况\n\n局长主持研究法治工作4次。\n\n"
        + "三、存在的问题及下一步打算\n\n学习不够深入，原因是重视不够。2025年将继续推进。\n\n"
        + "某某县司法局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["shortcomings"] == parts["plan"] == ["存在的问题及下一步打算"]
    assert serious(text) == []


def test_other_matters_are_not_achievements() -> None:
    text = TITLE + "一、存在的不足和原因\n\n原因是重视不够。\n\n二、其他需要报告的情况\n\n无。\n\n三、2025年工作安排\n\n继续推进。\n"
    assert part_headings(text)["achievements"] == []
    assert [code for code, _ in serious(text)] == ["FZ201", "FZ204", "FZ107"]


def test_a_missing_part_says_where_it_belongs() -> None:
    text = TITLE + "一、主要举措和成效\n\n全年集中学法6次。\n\n" + (
        "二、党政主要负责人履行推进法治建设第一责任人职责情况\n\n局长主持研究法治工作4次。\n\n"
        "三、2025年工作安排\n\n继续推进。\n\n某某县司法局\n\n2025年1月20日\n"
    )
    doc, found = lint_text(text, config=Config(select=("FZ202",)))
    (finding,) = found
    assert (finding.code, doc.position(finding.start).line) == ("FZ202", 1)
    assert "应放在“一、主要举措和成效”部分之后" in finding.message


@pytest.mark.parametrize(
    "heading",
    ["二、需要改进的方面", "二、面临的困难和挑战", "二、存在问题", "二、差距与不足", "二、问题及原因"],
)
def test_shortcomings_headings_real_offices_write(heading: str) -> None:
    text = TITLE + "一、主要举措和成效\n\n全年集中学法6次。\n\n" + heading + "\n\n原因是重视不够。\n"
    assert part_headings(text)["shortcomings"] == [heading[2:]]


@pytest.mark.parametrize("heading", ["一、坚持问题导向，深化专项整治", "一、着力解决群众急难愁盼问题"])
def test_thematic_headings_about_problems_are_not_the_shortcomings_part(heading: str) -> None:
    assert part_headings(TITLE + heading + "\n\n全年整改问题12个。\n")["shortcomings"] == []


def test_a_heading_naming_the_next_year_is_the_plan() -> None:
    text = TITLE + "一、2024年主要工作举措与成效\n\n全年集中学法6次。\n\n二、2025年推进法治政府建设的工作举措\n\n继续推进。\n"
    parts = part_headings(text)
    assert parts["achievements"] == ["2024年主要工作举措与成效"]
    assert parts["plan"] == ["2025年推进法治政府建设的工作举措"]


def test_an_unfinished_report_gets_missing_parts_as_hints_only() -> None:
    """No 落款 and neither the 不足 nor the plan part: a draft or a text cut off after its first
    part.  The missing parts are still reported, at info, with a note."""
    text = TITLE + "一、党政主要负责人履行推进法治建设第一责任人职责情况\n\n（一）深入学习贯彻习近平法治思想\n\n全年集中学法6次。\n"
    _doc, found = lint_text(text, config=Config())
    missing = {d.code: d for d in found if d.code in ("FZ201", "FZ202", "FZ205", "FZ107")}
    assert sorted(missing) == ["FZ107", "FZ201", "FZ202", "FZ205"]
    assert {d.severity.label for d in missing.values()} == {"info"}
    assert "可能尚未写完" in missing["FZ202"].message
    # With a 落款 the same text is a finished report lacking its parts: errors.
    _doc, found = lint_text(text + "\n某某县司法局\n\n2025年1月20日\n", config=Config())
    assert {d.code: d.severity.label for d in found if d.code in ("FZ201", "FZ202", "FZ205")} == {
        "FZ201": "error",
        "FZ202": "error",
        "FZ205": "error",
    }


def test_unnumbered_part_headings_above_numbered_ones() -> None:
    """第一部分 … 第二部分 …: the 一、 headings restart under each part; the part is the whole
    第二部分, causes included."""
    text = (
        TITLE
        + "第一部分　2024年法治政府建设主要举措和成效\n\n一、强化组织领导\n\n全年集中学法6次。\n\n"
        + "第二部分　存在的不足和原因\n\n一、存在的不足\n\n执法监督不到位。\n\n二、原因分析\n\n主要原因是专业人员偏少。\n\n"
        + "第三部分　党政主要负责人履行推进法治建设第一责任人职责情况\n\n局长主持研究法治工作4次。\n\n"
        + "第四部分　2025年工作安排\n\n一、加强学习\n\n继续推进。\n\n某某县司法局\n\n2025年1月20日\n"
    )
    parts = part_headings(text)
    assert parts["shortcomings"] == ["第二部分　存在的不足和原因"]
    assert parts["plan"] == ["第四部分　2025年工作安排"]
    assert serious(text) == []


def test_a_part_on_the_leaders_duties_without_the_word() -> None:
    text = TITLE + "一、主要举措和成效\n\n局长履行推进法治建设第一责任人职责。\n\n二、领导干部履职情况\n\n局长主持研究法治工作4次。\n"
    assert part_headings(text)["responsibility"] == ["领导干部履职情况"]
