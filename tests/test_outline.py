"""Tests for reportlint.outline.parser: heading markers, title, sections, paragraphs, enumerations.

Expected values for the samples were read off ``cat -n fixtures/reports/00*.txt``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportlint.core.document import Document
from reportlint.outline.parser import (
    Outline,
    build_outline,
    find_enumerators,
    outline_parser,
    parse_heading_line,
)
from reportlint.zh.numerals import canonical_marker, cn_to_int
from reportlint.zh.numerals import to_chinese as int_to_cn

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def sample(prefix: str) -> tuple[Document, Outline]:
    (path,) = REPORTS.glob(f"{prefix}_*.txt")
    doc = Document.from_text(path.read_text(encoding="utf-8"), str(path))
    return doc, build_outline(doc)


def outline_of(text: str) -> tuple[Document, Outline]:
    doc = Document.from_text(text)
    return doc, build_outline(doc)


# --- the five samples: headings ---------------------------------------------------------

# (line, level, ordinal, marker, run_in, first characters of the title)
HEADINGS = {
    "000": [
        (7, 1, 1, "一、", False, "2024 年法治"),
        (9, 2, 1, "（一）", False, "强化组织领导"),
        (19, 2, 2, "（二）", False, "聚焦学习贯彻"),
        (25, 2, 3, "（三）", False, "抓实依法行政"),
        (35, 1, 2, "二、", False, "存在的不足和问题"),
        (39, 1, 3, "三、", False, "下一步工作谋划"),
    ],
    "001": [
        (9, 1, 1, "一、", False, "法治政府建设推进情况"),
        (11, 2, 1, "(一)", True, "全面加强法治建设"),
        (15, 2, 2, "（二）", True, "依据经科局的职能范畴"),
        (21, 2, 3, "(三)", False, "运用法治力量惠及民众"),
        (23, 3, 1, "1、", True, "依法维护社会稳定"),
        (25, 3, 2, "2、", True, "依法做好厂级干部"),
        (27, 1, 2, "二、", False, "当前法治政府建设"),
        (31, 1, 3, "三、", False, "2025年工作思路"),
    ],
    "002": [
        (5, 1, 1, "一、", False, "主要工作成效"),
        (10, 2, 2, "（二）", False, "高效政务运转"),
        (14, 2, 3, "（三）", False, "加强政务公开"),
        (17, 1, 2, "二、", False, "存在问题和不足"),
        (20, 1, 3, "三、", False, "下一步工作举措"),
    ],
    "003": [
        (7, 1, 1, "一、", False, "2024年度党政负责人"),
        (11, 1, 2, "二、", False, "2024年度推进法治"),
        (13, 2, 1, "(一）", False, "加强组织领导"),
        (17, 2, 2, "(二）", False, "推进依法行政"),
        (21, 2, 3, "(三）", False, "强化法治思维"),
        (25, 2, 4, "(四）", False, "增强法治观念"),
        (29, 1, 3, "三、", False, "2024年度推进法治"),
        (44, 1, 4, "四、", False, "下一年度推进"),
        (46, 2, 1, "（一）", False, "持续加强理论知识学习"),
        (50, 2, 2, "（二）", False, "持续加强法治教育培训"),
        (54, 2, 3, "（三）", False, "持续推进法治政府建设"),
    ],
    "004": [
        (7, 1, 1, "一、", False, "2024年推进法治政府建设的主要举措"),
        (8, 2, 1, "（一）", False, "持续提高政治站位"),
        (12, 2, 2, "（二）", False, "强化法治学习教育"),
        (16, 2, 3, "（三）", False, "注重规范建章立制"),
        (20, 2, 4, "（四）", False, "优化法治营商环境"),
        (24, 2, 5, "（五）", False, "及时做好信息公开"),
        (28, 1, 2, "二、", False, "2024年推进法治政府建设存在"),
        (30, 2, 1, "（一）", False, "习近平法治思想"),
        (34, 2, 2, "（二）", False, "法治教育培训工作"),
        (38, 2, 3, "（三）", False, "增强法治意识"),
        (42, 1, 3, "三、", False, "2024年投资促进局主要负责人"),
        (44, 2, 1, "（一）", False, "加强组织领导"),
        (48, 2, 2, "（二）", False, "带头学法用法"),
        (52, 2, 3, "（三）", False, "依法履行职能"),
        (55, 1, 4, "四、", False, "2024年推进法治政府建设的主要安排"),
        (57, 2, 1, "（一）", False, "高位谋划推动"),
        (61, 2, 2, "（二）", False, "加强教育培训"),
        (65, 2, 3, "（三）", False, "营造浓厚氛围"),
    ],
}


@pytest.mark.parametrize("prefix", sorted(HEADINGS))
def test_sample_headings(prefix: str) -> None:
    doc, outline = sample(prefix)
    got = [(h.line, h.level, h.ordinal, h.marker, h.run_in) for h in outline.headings]
    assert got == [expected[:5] for expected in HEADINGS[prefix]]
    for heading, expected in zip(outline.headings, HEADINGS[prefix], strict=True):
        assert heading.title.startswith(expected[5])
        assert doc.text[heading.title_start : heading.title_end] == heading.title
        assert doc.text[heading.start : heading.marker_end] == heading.marker
        assert doc.line_of(heading.start) == heading.line


def test_sample_heading_details() -> None:
    doc, outline = sample("001")
    by_line = {h.line: h for h in outline.headings}
    # (一) run-in: the title stops before the first 。, the body follows.
    first = by_line[11]
    assert first.canonical == "（一）" and not first.well_formed
    assert first.title == "全面加强法治建设，深入贯彻落实关于构建法治政府的系列工作部署"
    assert doc.text[first.title_end] == "。"
    assert doc.text[first.marker_end] == " "  # the space after "(一)" is not part of the marker
    # (三) stands alone although it ends with 。 (nothing follows on the line).
    third = by_line[21]
    assert third.title == "运用法治力量惠及民众与企业，切实为人民群众和企业办实事，解难题"
    assert doc.text[third.title_end] == "。"
    assert by_line[23].canonical == "1." and by_line[25].canonical == "2."
    # "2025年抓以下重点工作：" (line 33) has no marker.
    assert 33 not in by_line


def test_sample_003_mixed_brackets_are_level_2() -> None:
    _, outline = sample("003")
    mixed = [h for h in outline.headings if h.marker.startswith("(")]
    assert [(h.line, h.canonical) for h in mixed] == [
        (13, "（一）"),
        (17, "（二）"),
        (21, "（三）"),
        (25, "（四）"),
    ]


def test_sample_002_first_level_2_heading_is_er() -> None:
    _, outline = sample("002")
    level2 = [h for h in outline.headings if h.level == 2]
    assert (level2[0].line, level2[0].ordinal, level2[0].marker) == (10, 2, "（二）")
    # Line 7, the unnumbered first sub-heading, is neither a heading nor joined to line 9.
    assert all(h.line != 7 for h in outline.headings)
    assert not any(7 in p.lines and len(p.lines) > 1 for p in outline.paragraphs)


# --- the five samples: title and header ------------------------------------------------

TITLES = {
    "000": ("2024 年度法治政府建设工作报告", (3,), (3,)),
    "001": ("新洲区经科局关于 2024 年度法治政府建设情况的报告", (5,), (3, 5)),
    "002": ("区政府办公室2024年法治政府建设情况报告", (1,), (1,)),
    "003": ("鲁山县张官营镇人民政府关于2024年法治政府建设情况的报告", (1, 3), (1, 3)),
    "004": ("南开区投资促进局2024年度法治政府建设情况报告", (1, 3), (1, 3)),
}


@pytest.mark.parametrize("prefix", sorted(TITLES))
def test_sample_title(prefix: str) -> None:
    doc, outline = sample(prefix)
    title, title_lines, header_lines = TITLES[prefix]
    assert outline.title == title
    assert outline.title_lines == title_lines
    assert outline.header_lines == header_lines
    assert doc.line_of(outline.title_start) == title_lines[0]
    assert doc.line_of(outline.title_end) == title_lines[-1]
    first = doc.text[outline.title_start : outline.title_end]
    assert first.startswith(title[:4]) and first.endswith(title[-4:])


def test_sample_title_offsets_skip_leading_space() -> None:
    doc, outline = sample("002")
    assert doc.text[0] == " "
    assert outline.title_start == 1
    assert outline.title_end == doc.line_end(1)


# --- the five samples: sections --------------------------------------------------------


def section_rows(outline: Outline) -> list[tuple[int, int, int, int]]:
    return [(s.level, s.start_line, s.end_line, s.parent.level if s.parent else -1) for s in outline.sections()]


def test_sample_000_sections() -> None:
    doc, outline = sample("000")
    assert section_rows(outline) == [
        (1, 7, 34, 0),
        (2, 9, 18, 1),
        (2, 19, 24, 1),
        (2, 25, 34, 1),
        (1, 35, 38, 0),
        (1, 39, 47, 0),
    ]
    root = outline.root
    assert (root.level, root.start, root.end, root.start_line, root.end_line) == (
        0,
        0,
        len(doc.text),
        1,
        47,
    )
    first = root.children[0]
    assert first.end == doc.line_start(35) and first.children[-1].end == doc.line_start(35)


def test_sample_001_sections_with_level_3() -> None:
    _, outline = sample("001")
    assert section_rows(outline) == [
        (1, 9, 26, 0),
        (2, 11, 14, 1),
        (2, 15, 20, 1),
        (2, 21, 26, 1),
        (3, 23, 24, 2),
        (3, 25, 26, 2),
        (1, 27, 30, 0),
        (1, 31, 49, 0),  # the text ends with two newlines: 49 physical lines
    ]


def test_body_start_of_a_run_in_heading() -> None:
    doc, outline = sample("001")
    run_in = outline.root.children[0].children[0]
    assert run_in.heading is not None and run_in.heading.line == 11
    assert doc.text[run_in.body_start] == "。"


# --- the five samples: paragraphs ------------------------------------------------------

BROKEN = {
    "000": [(13, 15), (21, 23), (29, 31), (41, 43)],
    "001": [(11, 13), (15, 17, 19)],  # 15→17 and 17→19: one paragraph over three lines
    "002": [],
    "003": [],
    "004": [],
}


@pytest.mark.parametrize("prefix", sorted(BROKEN))
def test_sample_broken_paragraphs(prefix: str) -> None:
    doc, outline = sample(prefix)
    assert [p.lines for p in outline.paragraphs if len(p.lines) > 1] == BROKEN[prefix]
    for paragraph in outline.paragraphs:
        assert paragraph.start == doc.line_start(paragraph.lines[0])
        assert paragraph.end == doc.line_end(paragraph.lines[-1])


def test_sample_paragraphs_cover_every_non_empty_line_once() -> None:
    for prefix in BROKEN:
        doc, outline = sample(prefix)
        covered = [line for p in outline.paragraphs for line in p.lines]
        expected = [n for n in range(1, doc.line_count + 1) if doc.line_text(n).strip()]
        assert covered == expected


def test_sample_signature_and_date_not_joined() -> None:
    _, outline = sample("001")
    assert (45,) in [p.lines for p in outline.paragraphs]
    assert (47,) in [p.lines for p in outline.paragraphs]


def test_sample_split_titles_are_separate_paragraphs() -> None:
    _, outline = sample("004")
    assert [p.lines for p in outline.paragraphs[:3]] == [(1,), (3,), (5,)]


# --- the five samples: enumerations ----------------------------------------------------


def runs(outline: Outline) -> list[list[tuple[int, int, str]]]:
    return [[(e.line, e.ordinal, e.word) for e in run] for run in outline.enumerations]


def test_sample_001_repeated_wu_shi() -> None:
    doc, outline = sample("001")
    first = runs(outline)[0]
    assert first == [
        (11, 1, "是"),
        (11, 2, "是"),
        (11, 3, "是"),
        (13, 4, "是"),
        (13, 5, "是"),
        (13, 5, "是"),
        (13, 6, "是"),
    ]
    fives = [e for e in outline.enumerations[0] if e.ordinal == 5]
    assert doc.text[fives[0].start : fives[0].start + 8] == "五是加强行政执法"
    assert doc.text[fives[1].start : fives[1].start + 8] == "五是完善规范性文"
    assert runs(outline)[1] == [
        (15, 1, "是"),
        (17, 2, "是"),
        (17, 3, "是"),
        (17, 4, "是"),
        (17, 5, "是"),
        (17, 6, "是"),
    ]
    assert runs(outline)[2:] == [
        [(29, 1, "是"), (29, 2, "是")],
        [(35, 1, "是"), (37, 2, "是"), (39, 3, "是"), (41, 4, "是"), (43, 5, "是")],
    ]


def test_sample_003_word_mismatch() -> None:
    _, outline = sample("003")
    last = outline.enumerations[-1]
    assert [(e.line, e.ordinal, e.marker, e.word) for e in last] == [
        (52, 1, "一是", "是"),  # "一是要深入抓好…": the word is 是
        (52, 2, "二要", "要"),
    ]
    # 32/36/40: three runs of 一…四 in one section, each restarting at 一是.
    assert [r for r in runs(outline) if r[0][0] in (32, 36, 40)] == [
        [(line, n, "是") for n in (1, 2, 3, 4)] for line in (32, 36, 40)
    ]


def test_sample_000_runs_span_paragraphs_within_a_section() -> None:
    _, outline = sample("000")
    assert runs(outline) == [
        [(11, 1, "是"), (13, 2, "是"), (17, 3, "是")],
        [(27, 1, "是"), (29, 2, "是"), (33, 3, "是")],
        [(41, 1, "是"), (45, 2, "是"), (47, 3, "是")],
    ]


# --- markers: wrong forms, levels, canonical forms --------------------------------------


@pytest.mark.parametrize(
    ("line", "level", "ordinal", "marker", "canonical"),
    [
        ("一、总体情况", 1, 1, "一、", "一、"),
        ("一.总体情况", 1, 1, "一.", "一、"),
        ("一．总体情况", 1, 1, "一．", "一、"),
        ("一，总体情况", 1, 1, "一，", "一、"),
        ("十、总体情况", 1, 10, "十、", "十、"),
        ("十二、总体情况", 1, 12, "十二、", "十二、"),
        ("二十三、总体情况", 1, 23, "二十三、", "二十三、"),
        ("（一）主要举措", 2, 1, "（一）", "（一）"),
        ("(一)主要举措", 2, 1, "(一)", "（一）"),
        ("(一）主要举措", 2, 1, "(一）", "（一）"),
        ("（一)主要举措", 2, 1, "（一)", "（一）"),
        ("（一）、主要举措", 2, 1, "（一）、", "（一）"),
        ("（一）.主要举措", 2, 1, "（一）.", "（一）"),
        ("（十一）主要举措", 2, 11, "（十一）", "（十一）"),
        ("1.具体做法", 3, 1, "1.", "1."),
        ("1、具体做法", 3, 1, "1、", "1."),
        ("1．具体做法", 3, 1, "1．", "1."),
        ("1，具体做法", 3, 1, "1，", "1."),
        ("12.具体做法", 3, 12, "12.", "12."),
        ("（1）细项", 4, 1, "（1）", "（1）"),
        ("(1)细项", 4, 1, "(1)", "（1）"),
        ("（1)细项", 4, 1, "（1)", "（1）"),
        ("(1）细项", 4, 1, "(1）", "（1）"),
        ("（1）、细项", 4, 1, "（1）、", "（1）"),
        ("①细项", 4, 1, "①", "（1）"),
        ("③、细项", 4, 3, "③、", "（3）"),
        ("⑳细项", 4, 20, "⑳", "（20）"),
    ],
)
def test_marker_forms(line: str, level: int, ordinal: int, marker: str, canonical: str) -> None:
    heading = parse_heading_line(line)
    assert heading is not None
    assert (heading.level, heading.ordinal, heading.marker, heading.canonical) == (
        level,
        ordinal,
        marker,
        canonical,
    )
    assert heading.well_formed == (marker == canonical)
    assert heading.title == line[len(marker) :]


def test_marker_with_indentation_and_space() -> None:
    line = "\u3000\u3000(一)\u3000加强领导"
    heading = parse_heading_line(line, line=4, offset=100)
    assert heading is not None
    assert (heading.line, heading.start, heading.marker_end) == (4, 102, 105)
    assert (heading.title, heading.title_start, heading.title_end) == ("加强领导", 106, 110)


@pytest.mark.parametrize(
    "line",
    [
        "1.5亿元用于法治宣传",
        "3、4月份开展专项检查",
        "1，2，3",
        "2024年以来，我局坚持",
        "100.5万元",
        "一是坚持法治思想引领。",
        "二、三季度开展督查",
        "一、",
        "（一）",
        "1. ",
        "（注：以上数据截至年底）",
        "统一是基础",
        "",
        "   ",
    ],
)
def test_not_headings(line: str) -> None:
    assert parse_heading_line(line) is None


def test_level_1_title_may_start_with_a_year() -> None:
    heading = parse_heading_line("一、2024 年法治建设工作情况")
    assert heading is not None and heading.title == "2024 年法治建设工作情况"


# --- run-in versus stand-alone ---------------------------------------------------------


def test_run_in_heading() -> None:
    line = "（一）加强组织领导。严格落实责任制。"
    heading = parse_heading_line(line)
    assert heading is not None and heading.run_in
    assert heading.title == "加强组织领导"
    assert line[heading.title_end] == "。"


@pytest.mark.parametrize(
    ("line", "title", "after"),
    [
        ("（三）运用法治力量，解难题。", "运用法治力量，解难题", "。"),
        ("一、主要工作情况：", "主要工作情况", "："),
        ("（二）强化监督；", "强化监督", "；"),
        ("二、存在的问题，  ", "存在的问题", "，"),
        ("三、下一步工作安排", "三、下一步工作安排"[2:], ""),
        ("1.完善制度！\u3000", "完善制度", "！"),
    ],
)
def test_stand_alone_heading(line: str, title: str, after: str) -> None:
    heading = parse_heading_line(line)
    assert heading is not None and not heading.run_in
    assert heading.title == title
    assert line[heading.title_end : heading.title_end + len(after)] == after


# --- numerals --------------------------------------------------------------------------


def test_numerals_round_trip() -> None:
    for number in range(1, 100):
        assert cn_to_int(int_to_cn(number)) == number
    names = ["一", "十", "十一", "二十", "二十三", "九十九"]
    assert [int_to_cn(n) for n in (1, 10, 11, 20, 23, 99)] == names
    markers = ["三、", "（三）", "3.", "（3）"]
    assert [canonical_marker(level, 3) for level in (1, 2, 3, 4)] == markers


def test_parser_is_built_once() -> None:
    assert outline_parser() is outline_parser()


# --- enumerators -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "坚持全国统一是根本。",
        "这是唯一是非标准。",
        "第一是基础，第二是关键。",
        "法治是重要内容之一是共识。",
        "我们要进一步要求各单位。",
        "坚持一是一、二是二的作风",
    ],
)
def test_not_enumerators(text: str) -> None:
    assert find_enumerators(Document.from_text(text)) == []


def test_enumerators_positions_and_words() -> None:
    text = "主要做法：一是要加强学习；二要完善制度。\n　　三是强化监督，四是“抓落实”，五是推进。"
    doc = Document.from_text(text)
    found = find_enumerators(doc)
    assert [(e.marker, e.ordinal, e.word, e.line) for e in found] == [
        ("一是", 1, "是", 1),
        ("二要", 2, "要", 1),
        ("三是", 3, "是", 2),
        ("四是", 4, "是", 2),
        ("五是", 5, "是", 2),
    ]
    assert all(text[e.start : e.end] == e.marker for e in found)


def test_enumerators_after_closing_quote_and_bracket() -> None:
    found = find_enumerators(Document.from_text("开展“八五”普法”二是加强（试行）三是完善。十二是"))
    assert [e.ordinal for e in found] == [2, 3, 12]


def test_enumeration_runs_restart_per_section_and_at_one() -> None:
    text = "一、工作情况\n一是甲。二是乙。一是丙。\n二是丁。\n二、问题\n三是戊。四是己。\n"
    _, outline = outline_of(text)
    assert runs(outline) == [
        [(2, 1, "是"), (2, 2, "是")],
        [(2, 1, "是"), (3, 2, "是")],
        [(5, 3, "是"), (5, 4, "是")],  # a new section starts a new run even without 一是
    ]


# --- section tree ----------------------------------------------------------------------

TREE = """报告标题情况报告

一、第一部分
（一）甲
1.子项
（1）细项
（二）乙
二、第二部分
1.跳级子项
（1）细项
三、第三部分
正文。
"""


def test_section_tree_nesting_and_end_lines() -> None:
    doc, outline = outline_of(TREE)
    rows = [(s.level, s.start_line, s.end_line, s.title) for s in outline.sections()]
    assert rows == [
        (1, 3, 7, "第一部分"),
        (2, 4, 6, "甲"),
        (3, 5, 6, "子项"),
        (4, 6, 6, "细项"),
        (2, 7, 7, "乙"),
        (1, 8, 10, "第二部分"),
        (3, 9, 10, "跳级子项"),
        (4, 10, 10, "细项"),
        (1, 11, 13, "第三部分"),
    ]
    second = outline.root.children[1]
    skipped = second.children[0]
    assert skipped.level == 3 and skipped.parent is second  # level skip: 3 directly under 1
    assert skipped.children[0].parent is skipped
    assert [c.title for c in outline.root.children] == ["第一部分", "第二部分", "第三部分"]
    assert outline.root.children[0].end == doc.line_start(8)
    assert outline.root.children[-1].end == len(doc.text)
    assert outline.title == "报告标题情况报告" and outline.header_lines == (1,)


def test_no_headings_no_title() -> None:
    _, outline = outline_of("2024年，我局坚持以习近平新时代中国特色社会主义思想为指导。\n")
    assert outline.headings == [] and outline.root.children == []
    assert (outline.title, outline.title_lines, outline.header_lines) == ("", (), ())
    assert (outline.title_start, outline.title_end) == (0, 0)


# --- continuation lines and paragraphs -------------------------------------------------


def test_bare_marker_after_broken_long_line_is_continuation() -> None:
    text = (
        "一、总体情况\n\n"
        "坚持以习近平法治思想为指导，深入推进法治政府建设，全面落实各项工作要求，推进执法统\n\n"
        "一、规范、高效，切实提高执法水平。\n\n"
        "二、存在问题\n"
    )
    _, outline = outline_of(text)
    assert [(h.line, h.ordinal) for h in outline.headings] == [(1, 1), (7, 2)]
    assert [p.lines for p in outline.paragraphs] == [(1,), (3, 5), (7,)]


def test_bracketed_marker_after_broken_line_stays_heading() -> None:
    text = (
        "一、总体情况\n"
        "坚持以习近平法治思想为指导，深入推进法治政府建设，全面落实各项工作要求，切实提高依法行政水平\n"
        "（一）加强领导\n"
    )
    _, outline = outline_of(text)
    assert [h.line for h in outline.headings] == [1, 3]
    assert [p.lines for p in outline.paragraphs] == [(1,), (2,), (3,)]


def test_decimal_continuation_is_joined() -> None:
    text = (
        "一、总体情况\n"
        "深入开展普法宣传，组织法治讲座和知识竞赛，覆盖全体干部职工，全年共投入普法经费\n"
        "1.5万元，开展活动十余次。\n"
    )
    _, outline = outline_of(text)
    assert [h.line for h in outline.headings] == [1]
    assert [p.lines for p in outline.paragraphs] == [(1,), (2, 3)]


def test_paragraph_not_joined_before_enumerator_heading_or_date() -> None:
    text = (
        "一、总体情况\n"
        "坚持以习近平法治思想为指导，深入推进法治政府建设，全面落实各项工作要求\n"
        "一是加强学习。\n"
        "二、下一步安排\n"
        "某某区某某局\n"
        "2025年1月21日\n"
    )
    _, outline = outline_of(text)
    assert [p.lines for p in outline.paragraphs] == [(1,), (2,), (3,), (4,), (5,), (6,)]


# --- title heuristics ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "title_lines", "header_lines"),
    [
        (
            "某某县人民政府\n关于2024年法治政府建设\n情况的报告\n\n正文开始。",
            "某某县人民政府关于2024年法治政府建设情况的报告",
            (1, 2, 3),
            (1, 2, 3),
        ),
        (
            "中共某某局党组\n\n某某局关于2024年度法治政府建设情况的报告\n\n正文开始。",
            "某某局关于2024年度法治政府建设情况的报告",
            (3,),
            (1, 3),
        ),
        (
            "某某区人民政府2024年法治政府建设情况报告\n（2025年2月10日）\n\n正文开始。",
            "某某区人民政府2024年法治政府建设情况报告",
            (1,),
            (1, 2),
        ),
        (
            "\n\n某某局2024年法治政府建设情况报告\n一、主要举措\n",
            "某某局2024年法治政府建设情况报告",
            (3,),
            (3,),
        ),
    ],
)
def test_title_heuristics(text: str, title: str, title_lines: tuple[int, ...], header_lines: tuple[int, ...]) -> None:
    _, outline = outline_of(text)
    assert (outline.title, outline.title_lines, outline.header_lines) == (
        title,
        title_lines,
        header_lines,
    )


# --- Markdown ATX headings ---------------------------------------------------------------


def test_markdown_atx_headings_are_read_without_their_hashes() -> None:
    text = "# 某局2024年法治政府建设情况报告\n\n## 一、主要举措和成效 ##\n\n### （一）完善制度\n\n正文。\n"
    doc = Document.from_text(text, "report.md")
    outline = build_outline(doc)
    assert outline.title == "某局2024年法治政府建设情况报告"
    assert text[outline.title_start : outline.title_end] == outline.title
    assert [(h.level, h.marker, h.title) for h in outline.headings] == [(1, "一、", "主要举措和成效"), (2, "（一）", "完善制度")]
    first = outline.headings[0]
    assert (first.line, text[first.start : first.marker_end]) == (3, "一、")


@pytest.mark.parametrize("line", ["#一、不是标题", "####### 一、七个井号", "    # 一、缩进代码"])
def test_markdown_lines_that_are_no_atx_heading_keep_their_hashes(line: str) -> None:
    doc = Document.from_text(f"某局2024年法治政府建设情况报告\n\n{line}\n", "report.md")
    assert build_outline(doc).headings == []


def test_hashes_are_text_outside_markdown() -> None:
    doc = Document.from_text("某局2024年法治政府建设情况报告\n\n## 一、主要举措和成效\n", "report.txt")
    assert build_outline(doc).headings == []


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_sample_as_markdown_has_the_same_outline(prefix: str) -> None:
    """Each sample saved as Markdown, with # before the title and the heading lines."""
    doc, plain = sample(prefix)
    hashes = {h.line: "#" * (h.level + 1) + " " for h in plain.headings}
    for line in plain.title_lines:
        hashes[line] = "# "
    lines = [hashes.get(number, "") + text for number, text in enumerate(doc.lines, 1)]
    markdown = build_outline(Document.from_text("\n".join(lines), "report.md"))
    assert markdown.title == plain.title
    assert [(h.line, h.level, h.ordinal, h.title) for h in markdown.headings] == [
        (h.line, h.level, h.ordinal, h.title) for h in plain.headings
    ]
    assert [p.lines for p in markdown.paragraphs] == [p.lines for p in plain.paragraphs]


@pytest.mark.parametrize("path", ["report.txt", "report.md"])
def test_bold_headings_are_read_without_their_markup(path: str) -> None:
    text = "**某局2024年法治政府建设情况报告**\n\n**一、主要举措和成效**\n\n__（一）完善制度。__全年修订制度3项。\n"
    outline = build_outline(Document.from_text(text, path))
    assert outline.title == "某局2024年法治政府建设情况报告"
    assert [(h.level, h.title, h.run_in) for h in outline.headings] == [
        (1, "主要举措和成效", False),
        (2, "完善制度", True),
    ]


@pytest.mark.parametrize("line", ["**重点**是一、二两项", "* 一、列表项", "_一、_"])
def test_emphasis_that_does_not_wrap_a_heading_start_is_left(line: str) -> None:
    doc = Document.from_text(f"某局2024年法治政府建设情况报告\n\n{line}\n", "report.md")
    assert [h.title for h in build_outline(doc).headings] == []


def test_bare_headings_are_stand_alone_unpunctuated_lines_with_text_after() -> None:
    from reportlint.outline.parser import bare_headings

    text = (
        "某局2024年法治政府建设情况报告\n\n"
        "2024年主要举措和成效\n\n完成培训3次。\n\n"
        "存在的不足和原因\n学习不够深入。\n\n"
        "全年共办理案件12件，\n\n结案率100%。\n\n"
        "某局\n2025年1月20日\n"
    )
    doc = Document.from_text(text, "report.txt")
    found = bare_headings(doc, build_outline(doc))
    assert [(h.line, h.title, h.level, h.marker) for h in found] == [
        (3, "2024年主要举措和成效", 1, ""),
        (7, "存在的不足和原因", 1, ""),
        (14, "某局", 1, ""),  # a 落款 line is one too: only lines matching a part are used
    ]
    assert all(text[h.title_start : h.title_end] == h.title for h in found)


# --- the front matter: title blocks, addressee lines ----------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "title_lines", "header_lines", "addressee"),
    [
        # the title broken after the organ name, with a blank line between
        ("某某县司法局\n\n2024年度法治政府建设情况报告\n\n2024年，我局坚持依法行政。\n",
         "某某县司法局2024年度法治政府建设情况报告", (1, 3), (1, 3), None),
        # broken after 关于, then an author line and a date line under the title
        ("某某县人民政府关于\n2024年度法治政府建设情况的报告\n某某县人民政府\n2025年2月10日\n\n2024年，全县坚持依法行政。\n",
         "某某县人民政府关于2024年度法治政府建设情况的报告", (1, 2), (1, 2, 3, 4), None),
        # joint issuers on lines of their own, then the 关于 line
        ("中共某某县委员会\n某某县人民政府\n关于2024年度法治政府建设情况的报告\n\n2024年，全县坚持依法行政。\n",
         "中共某某县委员会某某县人民政府关于2024年度法治政府建设情况的报告", (1, 2, 3), (1, 2, 3), None),
        # a 版头 line is not part of the title
        ("中共某某区某某局党组\n\n某某区某某局关于2024年度法治政府建设情况的报告\n\n2024年，我局坚持依法行政。\n",
         "某某区某某局关于2024年度法治政府建设情况的报告", (3,), (1, 3), None),
        # a bracketed date under the title, then the addressee line
        ("某某县2024年度法治政府建设情况报告\n（2025年1月20日）\n\n中共某某市委、某某市人民政府：\n\n2024年，全县坚持依法行政。\n",
         "某某县2024年度法治政府建设情况报告", (1,), (1, 2), 4),
        # no title: the addressee line opens the report
        ("市政府并报市委：\n2024年，市应急管理局坚持依法行政。\n一、2024年工作开展情况\n", "", (), (), 1),
    ],
    ids=["organ-blank", "guanyu-author-date", "joint", "banner", "date-addressee", "addressee-only"],
)
def test_front_matter(
    text: str, title: str, title_lines: tuple[int, ...], header_lines: tuple[int, ...], addressee: int | None
) -> None:
    _, outline = outline_of(text)
    assert (outline.title, outline.title_lines, outline.header_lines) == (title, title_lines, header_lines)
    assert outline.addressee_line == addressee


def test_addressee_line_is_neither_title_nor_a_paragraph_of_the_body() -> None:
    _doc, outline = outline_of("中共红河州委、红河州人民政府：\n2025年，县委、县政府坚持依法行政。\n")
    assert outline.addressee_line == 1
    assert [p.lines for p in outline.paragraphs] == [(1,), (2,)]


@pytest.mark.parametrize(
    "line", ["现将有关情况报告如下：", "主要做法如下：", "原因分析：", "各位领导："], ids=["report", "list", "causes", "greeting"]
)
def test_lines_ending_in_a_colon_that_name_no_organ_are_no_addressee(line: str) -> None:
    _, outline = outline_of(f"{line}\n一是完善制度。\n")
    assert outline.addressee_line is None


# --- an 附件 after the 落款 ------------------------------------------------------------------

ANNEXED = (
    "某某县司法局2024年度法治政府建设情况报告\n"  # 1
    "一、主要举措和成效\n"  # 2
    "附件：1.2024年度行政执法统计表\n"  # 3 (the 附件说明 before the 落款: body)
    "全年办理行政处罚案件58件。\n"  # 4
    "某某县司法局\n"  # 5
    "2025年1月20日\n"  # 6
    "附件\n"  # 7
    "一、行政执法统计表\n"  # 8
    "序号\t项目\t数量\n"  # 9
    "1\t行政许可\t236\n"  # 10
)


def test_annex_after_the_date_is_outside_the_body() -> None:
    doc, outline = outline_of(ANNEXED)
    assert outline.annex_line == 7
    assert outline.body_end == doc.line_start(7)
    assert [h.line for h in outline.headings] == [2]  # the annex's 一、 is no heading of the report
    assert outline.root.end == doc.line_start(7) and outline.section_list[0].end_line == 6
    assert [p.lines for p in outline.paragraphs][-4:] == [(7,), (8,), (9,), (10,)]


@pytest.mark.parametrize("line", ["附件1", "附件：2024年度行政执法统计表", "附表2"])
def test_annex_starts_at_its_own_line_after_the_date(line: str) -> None:
    _, outline = outline_of(f"报告\n正文。\n某某局\n2025年1月20日\n{line}\n数据\n")
    assert outline.annex_line == 5


def test_no_annex_without_a_date_unless_the_line_is_a_bare_annex_marker() -> None:
    assert outline_of("报告\n正文。\n附件：2024年度统计表\n数据\n")[1].annex_line is None
    assert outline_of("报告\n正文。\n附件\n数据\n")[1].annex_line == 3


def test_table_rows_are_not_joined_as_broken_lines() -> None:
    _, outline = outline_of("一、执法统计\n序号\t项目\t数量（件）\t备注说明情况\n1\t行政许可\t236\t按时办结\n")
    assert [p.lines for p in outline.paragraphs] == [(1,), (2,), (3,)]


def test_a_short_stand_alone_heading_after_an_unfinished_paragraph_stays_a_heading() -> None:
    text = "坚持以习近平法治思想为指导，推动各项工作不断取得新进展新成效，切实以高水平法治护航经济发展\n\n一、工作开展情况\n"
    _, outline = outline_of(text)
    assert [(h.line, h.title) for h in outline.headings] == [(3, "工作开展情况")]
