"""Plant one defect into a correct report, deterministically, with its label.

Each :class:`Defect` takes a correct spec (``tests/corpus/specs/``) rendered in one shape by
:mod:`variants` and makes one change a real office makes: 法制 for 法治, a short or wrong law
title, a half-width comma, a 顿号 between two 《》, a sentence broken over two lines, a heading
number skipped or repeated, a missing part, the wrong year in the plan heading …  The label
records the file, line, column, category and the severity a strict reviewer would give.

The planted wording comes from the rule catalogue's bad examples and the samples' defect tables
(``../shared/reference/rule-catalogue.md``, sections (b) and (c)) and from the trap list of the
development corpus, never from ``rules/``: the planter must not plant only what the rules
already know.  Where a spec does not hold the text a defect changes, the defect inserts a
sentence holding it (taken from the same sources) into the first paragraph of the achievements.

``python bench/planter.py --write DIR`` writes the planted reports and ``labels.jsonl`` to DIR
for a look; ``bench/accuracy.py`` plants them in memory.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from variants import Shape, Spec, load_specs, render, shapes_for

TextEdit = Callable[[str, Spec], tuple[str, int, int] | None]  # -> (new text, start, end of the defect)
SpecEdit = Callable[[Spec], tuple[Spec, str] | None]  # -> (new spec, text to locate the label at)


@dataclass(frozen=True)
class Planted:
    name: str
    text: str
    labels: list[dict[str, Any]]
    spec: str
    shape: str
    defect: str


@dataclass(frozen=True)
class Defect:
    name: str
    category: str
    severity: str  # what a strict reviewer would give
    source: str  # where the wording comes from (catalogue id / sample line)
    text_edit: TextEdit | None = None
    spec_edit: SpecEdit | None = None
    document: bool = False  # the defect is about the whole report (a missing part)
    last: bool = False  # the label is at the last occurrence of the located text (the 落款's date)
    shapes: Callable[[Shape], bool] | None = None  # the shapes the defect makes sense in
    years: tuple[int, int] = (2000, 2100)  # report years it applies to
    kinds: tuple[str, ...] = ("部门", "政府", "乡镇街道")


# -- where to change things -------------------------------------------------------------------


def body_start(text: str) -> int:
    """Offset of the first numbered or bare part heading: planted body text goes after it."""
    for marker in ("一、", "（一）", "\n"):
        at = text.find("\n" + marker) if marker != "\n" else -1
        if at != -1:
            return at + 1
    # no numbered heading: after the opening paragraph (the third non-empty line)
    lines = [i for i, ch in enumerate(text) if ch == "\n"]
    return lines[min(3, len(lines) - 1)] if lines else 0


def replace_first(old: str, new: str, *, after_body: bool = True) -> TextEdit:
    def edit(text: str, spec: Spec) -> tuple[str, int, int] | None:
        start = body_start(text) if after_body else 0
        at = text.find(old, start)
        if at == -1:
            return None
        return text[:at] + new + text[at + len(old) :], at, at + len(new)

    return edit


def replace_or_insert(old: str, new: str, sentence: str) -> TextEdit:
    """Replace ``old`` by ``new`` at its first occurrence in the body; if the report has no
    ``old``, insert ``sentence`` (which holds ``new``) at the end of the first body paragraph."""

    first = replace_first(old, new)

    def edit(text: str, spec: Spec) -> tuple[str, int, int] | None:
        return first(text, spec) or insert_sentence(sentence, new)(text, spec)

    return edit


def first_paragraph_end(text: str) -> int | None:
    """End of the first body paragraph under the first heading (a line ending in 。)."""
    start = body_start(text)
    at = start
    while True:
        end = text.find("\n", at)
        if end == -1:
            return None
        line = text[at:end]
        if line.endswith("。") and len(line) > 30:
            return end
        at = end + 1


def insert_sentence(sentence: str, defect_text: str) -> TextEdit:
    def edit(text: str, spec: Spec) -> tuple[str, int, int] | None:
        fields = {"year": spec.year, "next": spec.year + 1, "yy": spec.year % 100, "organ": spec.organ}
        sentence_text = sentence.format(**fields)
        end = first_paragraph_end(text)
        if end is None:
            return None
        new = text[:end] + sentence_text + text[end:]
        at = end + sentence_text.find(defect_text.format(**fields))
        return new, at, at + len(defect_text)

    return edit


def regex_edit(pattern: str, repl: Callable[[Any], str], *, after_body: bool = True) -> TextEdit:
    import regex

    compiled = regex.compile(pattern)

    def edit(text: str, spec: Spec) -> tuple[str, int, int] | None:
        start = body_start(text) if after_body else 0
        found = compiled.search(text, start)
        if found is None:
            return None
        new = repl(found)
        return text[: found.start()] + new + text[found.end() :], found.start(), found.start() + len(new)

    return edit


# -- text defects -----------------------------------------------------------------------------


def break_line(blank: bool) -> TextEdit:
    """Split a long body paragraph in the middle of a word (as a PDF copy does)."""

    def edit(text: str, spec: Spec) -> tuple[str, int, int] | None:
        at = body_start(text)
        while True:
            end = text.find("\n", at)
            if end == -1:
                return None
            line = text[at:end]
            if len(line) > 80 and not line.startswith(("（", "一", "二", "三", "四", "五", "1", "2", "3")):
                cut = at + 40
                # between two Chinese characters, not inside an enumerator (二|是)
                while cut < end - 10 and not (
                    _han(text[cut - 1])
                    and _han(text[cut])
                    and text[cut] not in "是要"
                    and text[cut - 1] not in "一二三四五六七八九十"
                ):
                    cut += 1
                if cut >= end - 10:
                    at = end + 1
                    continue
                gap = "\n\n" if blank else "\n"
                return text[:cut] + gap + text[cut:], cut - 1, cut
            at = end + 1

    return edit


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def halfwidth_comma(text: str, spec: Spec) -> tuple[str, int, int] | None:
    return regex_edit(r"(?<=\p{Han})，(?=\p{Han})", lambda m: ",")(text, spec)


def halfwidth_semicolon(text: str, spec: Spec) -> tuple[str, int, int] | None:
    return regex_edit(r"(?<=\p{Han})；(?=\p{Han})", lambda m: ";")(text, spec)


def mixed_bracket(text: str, spec: Spec) -> tuple[str, int, int] | None:
    # a bracketed note in running text, not a heading marker
    return regex_edit(r"(?<=\p{Han})（(?=[^）\n]{2,30}）)", lambda m: "(")(text, spec)


def straight_quotes(text: str, spec: Spec) -> tuple[str, int, int] | None:
    return regex_edit(r"“([^”\n]{2,20})”", lambda m: '"' + m.group(1) + '"')(text, spec)


def heading_marker(old: str, new: str) -> TextEdit:
    def edit(text: str, spec: Spec) -> tuple[str, int, int] | None:
        at = text.find("\n" + old)
        if at == -1:
            return None
        at += 1
        return text[:at] + new + text[at + len(old) :], at, at + len(new)

    return edit


def enumeration(old_index: int, new: str) -> TextEdit:
    """Renumber the ``old_index``-th enumerator of the first run that has at least three."""
    import regex

    run = regex.compile(r"一是[^\n]*?二是[^\n]*?三是")

    def edit(text: str, spec: Spec) -> tuple[str, int, int] | None:
        found = run.search(text, body_start(text))
        if found is None:
            return None
        words = ["一是", "二是", "三是"]
        at = text.find(words[old_index], found.start())
        return text[:at] + new + text[at + 2 :], at, at + len(new)

    return edit


def digit_space(text: str, spec: Spec) -> tuple[str, int, int] | None:
    return regex_edit(r"(?<=\p{Han})([0-9]{1,4})(?=[次件个项场人家条份])", lambda m: " " + m.group(1) + " ")(text, spec)


def markdown_bold(text: str, spec: Spec) -> tuple[str, int, int] | None:
    return regex_edit(r"(?<=，)([\p{Han}]{4,8})(?=，)", lambda m: "**" + m.group(1) + "**")(text, spec)


# -- spec defects -----------------------------------------------------------------------------


def _copy(spec: Spec) -> Spec:
    return copy.deepcopy(spec)


def drop_part(role: str, *, scrub: tuple[str, ...] = ()) -> SpecEdit:
    def edit(spec: Spec) -> tuple[Spec, str] | None:
        new = _copy(spec)
        new.parts = [p for p in new.parts if p.role != role]
        if scrub:
            _scrub(new, scrub)
        return new, new.title

    return edit


def _scrub(spec: Spec, words: tuple[str, ...]) -> None:
    """Remove every sentence holding one of ``words`` (the part's topic elsewhere in the text)."""
    import regex

    def clean(paragraph: str) -> str:
        sentences = regex.findall(r"[^。；！？]*[。；！？]?", paragraph)
        kept = [s for s in sentences if s and not any(w in s for w in words)]
        return "".join(kept)

    spec.opening = clean(spec.opening) or spec.opening
    for part in spec.parts:
        part.paragraphs = [c for c in (clean(p) for p in part.paragraphs) if c]
        for section in part.sections:
            section.paragraphs = [c for c in (clean(p) for p in section.paragraphs) if c]
            section.items = [c for c in (clean(p) for p in section.items) if c]
            if any(w in section.heading for w in words):
                section.heading = section.heading.replace("第一责任人", "主体责任")
        part.sections = [s for s in part.sections if s.paragraphs or s.items]


CAUSE_WORDS = (
    "原因",
    "根源",
    "根子",
    "症结",
    "剖析",
    "由于",
    "源于",
    "归因",
    "究其",
    "导致",
    "造成",
    "所致",
    "缘于",
    "因为",
    "在于",
)


def drop_causes(spec: Spec) -> tuple[Spec, str] | None:
    """Keep the problems, drop every cause sentence (the report lists symptoms only)."""
    import regex

    new = _copy(spec)
    part = new.part("shortcomings")
    if part is None:
        return None
    part.heading = regex.sub(
        r"不足和原因|不足、原因和[^，。]*|问题和原因|不足及原因|不足与原因", "不足和问题", part.heading
    )
    if "原因" in part.heading:
        return None

    def clean(paragraph: str) -> str:
        sentences = regex.findall(r"[^。；！？]*[。；！？]?", paragraph)
        return "".join(s for s in sentences if s and not any(w in s for w in CAUSE_WORDS))

    part.paragraphs = [renumber(c) for c in (clean(p) for p in part.paragraphs) if c]
    part.sections = [s for s in part.sections if not any(w in s.heading for w in CAUSE_WORDS)]
    for section in part.sections:
        section.paragraphs = [renumber(c) for c in (clean(p) for p in section.paragraphs) if c]
    part.sections = [s for s in part.sections if s.paragraphs or s.items]
    if not part.paragraphs and not part.sections:
        return None
    return new, part.heading


def renumber(paragraph: str) -> str:
    """一是/二是 … numbered again in order (after sentences holding some were removed)."""
    import regex
    from variants import chinese

    count = 0

    def next_number(match: Any) -> str:
        nonlocal count
        count += 1
        return chinese(count) + match.group(2)

    enumerator = r"(?:^|(?<=[。；：，！？]))([一二三四五六七八九十]{1,2})(是|要)(?=[\p{Han}“（])"
    return regex.sub(enumerator, next_number, paragraph)


def plan_heading_year(spec: Spec) -> tuple[Spec, str] | None:
    new = _copy(spec)
    part = new.part("plan")
    assert part is not None
    wrong = f"{spec.year}年"
    if f"{spec.year + 1}年" in part.heading:
        part.heading = part.heading.replace(f"{spec.year + 1}年", wrong, 1)
    else:
        part.heading = f"{spec.year}年推进法治政府建设的主要安排"
    return new, part.heading


def plan_lead_year(spec: Spec) -> tuple[Spec, str] | None:
    new = _copy(spec)
    part = new.part("plan")
    assert part is not None
    lead = f"{spec.year}年，我们将继续深入学习贯彻习近平法治思想，重点抓好以下工作："
    if spec.year < 2020:
        lead = f"{spec.year}年，我们将继续深入推进依法行政，重点抓好以下工作："
    part.paragraphs = [lead, *part.paragraphs]
    return new, lead


def review_heading_year(spec: Spec) -> tuple[Spec, str] | None:
    new = _copy(spec)
    part = new.part("achievements")
    assert part is not None
    part.heading = f"{spec.year - 1}年法治政府建设基本情况"
    return new, part.heading


def title_without_organ(spec: Spec) -> tuple[Spec, str] | None:
    new = _copy(spec)
    new.title = f"{spec.year}年度法治政府建设工作报告"
    new.joint = []
    return new, new.title


def title_without_year(spec: Spec) -> tuple[Spec, str] | None:
    import regex

    new = _copy(spec)
    new.title = regex.sub(
        r"关于20[0-9]{2}年度?|20[0-9]{2}年度?",
        lambda m: "关于" if m.group().startswith("关于") else "",
        spec.title,
        count=1,
    )
    if new.title == spec.title:
        return None
    new.joint = []
    return new, new.title


def title_organ_without_place(spec: Spec) -> tuple[Spec, str] | None:
    if spec.kind != "部门" or "局" not in spec.organ:
        return None
    new = _copy(spec)
    new.title = f"区政府办公室{spec.year}年法治政府建设情况报告"
    new.joint = []
    return new, "区政府办公室"


def drop_signature(spec: Spec) -> tuple[Spec, str] | None:
    new = _copy(spec)
    new.signature = []
    new.joint = []
    new.date = ""
    return new, spec.title


def chinese_date(spec: Spec) -> tuple[Spec, str] | None:
    import regex

    found = regex.fullmatch(r"(20[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日", spec.date)
    if not found:
        return None
    digits = "〇一二三四五六七八九"

    def cn(number: int) -> str:
        if number < 10:
            return digits[number]
        tens, units = divmod(number, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")

    year = "".join(digits[int(d)] for d in found.group(1))
    new = _copy(spec)
    new.date = f"{year}年{cn(int(found.group(2)))}月{cn(int(found.group(3)))}日"
    return new, new.date


def late_date(spec: Spec) -> tuple[Spec, str] | None:
    if spec.kind != "部门":
        return None
    new = _copy(spec)
    new.date = f"{spec.year + 1}年3月15日"
    return new, new.date


def party_header(spec: Spec) -> tuple[Spec, str] | None:
    if spec.kind != "部门" or not spec.organ.endswith("局") or not spec.title.startswith(spec.organ):
        return None
    new = _copy(spec)
    new.title = spec.title  # the title stays with the 局
    new.signature = [f"中共{spec.organ}党组"]
    return new, "HEADER"


def _drop_xi(spec: Spec) -> tuple[Spec, str] | None:
    """Every 习近平法治思想 replaced by the report's other formulations (REQ-004)."""
    new = _copy(spec)
    replacement = "党中央关于全面依法治国的决策部署"

    def fix(text: str) -> str:
        return text.replace("习近平法治思想", replacement)

    new.opening = fix(new.opening)
    for part in new.parts:
        part.heading = fix(part.heading)
        part.paragraphs = [fix(p) for p in part.paragraphs]
        for section in part.sections:
            section.heading = fix(section.heading)
            section.paragraphs = [fix(p) for p in section.paragraphs]
            section.items = [fix(p) for p in section.items]
    if new.annex is not None:
        new.annex.rows = [[fix(c) for c in row] for row in new.annex.rows]
    return new, new.title


DEFECTS: list[Defect] = [
    # 法制 for 法治 (FRM-006; samples 001 l.17, 004 l.18/40; dev trap list; head 038)
    Defect(
        "fazhi-xuanchuan-jiaoyu",
        "fazhi_term",
        "warning",
        "FRM-006, sample 004 l.40",
        replace_or_insert("法治宣传教育", "法制宣传教育", "深入开展法制宣传教育进机关、进乡村、进社区活动。"),
    ),
    Defect(
        "fazhi-yishi",
        "fazhi_term",
        "warning",
        "FRM-006, sample 001 l.17",
        replace_or_insert("法治意识", "法制意识", "开展“送法进企业”活动，帮助企业提高法制意识。"),
    ),
    Defect(
        "fazhi-guannian",
        "fazhi_term",
        "warning",
        "FRM-006 (法制观念)",
        replace_or_insert("法治观念", "法制观念", "通过以案释法，进一步增强干部群众的法制观念。"),
    ),
    Defect(
        "fazhi-hua",
        "fazhi_term",
        "warning",
        "head 038 l.9 (法制化)",
        replace_or_insert("法治化", "法制化", "确保决策科学化、民主化、法制化。"),
    ),
    Defect(
        "fazhi-jiangzuo",
        "fazhi_term",
        "warning",
        "FRM-006 (法制讲座)",
        insert_sentence("邀请执业律师举办法制讲座3场。", "法制讲座"),
    ),
    Defect(
        "fazhi-fuxiaozhang",
        "fazhi_term",
        "warning",
        "FRM-006 (法治副校长 from 2021)",
        insert_sentence("辖区中小学配备法制副校长12名，实现全覆盖。", "法制副校长"),
        years=(2021, 2100),
    ),
    # law citations (CIT-001/002/005/007; samples 000 l.29, 001 l.17; head 008 l.2; issue)
    Defect(
        "short-law-title",
        "law_citation",
        "warning",
        "CIT-001, sample 000 l.29",
        regex_edit(r"《中华人民共和国([^》]{2,20}法)》", lambda m: f"《{m.group(1)}》"),
    ),
    Defect(
        "short-regulation-title",
        "law_citation",
        "warning",
        "CIT-001, sample 000 l.29",
        insert_sentence("认真落实《政府信息公开条例》，主动公开政府信息。", "《政府信息公开条例》"),
    ),
    Defect(
        "gangyao-wrong-years",
        "law_citation",
        "error",
        "head 008 l.2, CIT-007",
        replace_or_insert(
            "纲要（2021—2025年）", "纲要（2022—2025年）", "认真落实《法治政府建设实施纲要（2022—2025年）》。"
        ),
        years=(2021, 2100),
    ),
    Defect(
        "gangyao-missing-nian",
        "law_citation",
        "error",
        "issue 13 §3.2 (a missing 年)",
        replace_or_insert(
            "纲要（2021—2025年）", "纲要（2021—2025）", "认真落实《法治政府建设实施纲要（2021—2025）》。"
        ),
        years=(2021, 2100),
    ),
    Defect(
        "gangyao-missing-bracket",
        "law_citation",
        "error",
        "issue 13 §3.2 (a missing bracket)",
        replace_or_insert("纲要（2021—2025年）", "纲要2021—2025年", "认真落实《法治政府建设实施纲要2021—2025年》。"),
        years=(2021, 2100),
    ),
    Defect(
        "decision-regulation-title",
        "law_citation",
        "error",
        "CIT-002, sample 001 l.17",
        replace_or_insert(
            "《重大行政决策程序暂行条例》",
            "《重大行政决策程序规定》",
            "严格按照《重大行政决策程序规定》，切实做好重大行政决策各项必经程序。",
        ),
    ),
    Defect(
        "ducha-ducha",
        "law_citation",
        "error",
        "issue 13 §3.2 (督查 for 督察)",
        insert_sentence(
            "按照《法治政府建设与责任落实督查工作规定》要求，按时报送年度报告。",
            "《法治政府建设与责任落实督查工作规定》",
        ),
    ),
    Defect(
        "first-responsible-regulation",
        "law_citation",
        "error",
        "issue 13 §3.2 (a missing 法治建设)",
        insert_sentence(
            "严格执行《党政主要负责人履行推进第一责任人职责规定》。", "《党政主要负责人履行推进第一责任人职责规定》"
        ),
    ),
    Defect(
        "xinfang-superseded",
        "law_citation",
        "warning",
        "CIT-005",
        insert_sentence("严格按照《信访条例》规定依法处理信访事项。", "《信访条例》"),
        years=(2022, 2100),
    ),
    # punctuation (PUN-001/002/007; samples 003 l.13, 004 l.50; heads 014, 034, 038)
    Defect("halfwidth-comma", "mixed_punctuation", "error", "PUN-001, sample 004 l.50", halfwidth_comma),
    Defect("halfwidth-semicolon", "mixed_punctuation", "error", "PUN-001", halfwidth_semicolon),
    Defect("mixed-bracket", "mixed_punctuation", "error", "PUN-002, sample 003 l.13", mixed_bracket),
    Defect(
        "ascii-angle-brackets",
        "mixed_punctuation",
        "warning",
        "heads 014 l.9, 034 l.5, 038 l.3",
        insert_sentence(
            "制定《关于贯彻落实<法治政府建设实施纲要（2021—2025年）>的实施方案》。",
            "<法治政府建设实施纲要（2021—2025年）>",
        ),
        years=(2021, 2100),
    ),
    Defect("straight-quotes", "mixed_punctuation", "warning", "PUN-007", straight_quotes),
    Defect(
        "dunhao-between-titles",
        "dunhao_between_titles",
        "warning",
        "CIT-003, samples 001 l.29, 004 l.50",
        replace_or_insert("》《", "》、《", "组织学习《中华人民共和国宪法》、《中华人民共和国民法典》。"),
    ),
    # layout
    Defect("broken-line-blank", "broken_line", "warning", "STR-009, sample 000 l.13", break_line(blank=True)),
    # (in Markdown, adjacent lines are one paragraph: a break there is no defect)
    Defect(
        "broken-line",
        "broken_line",
        "warning",
        "STR-009, sample 001 l.11",
        break_line(blank=False),
        shapes=lambda shape: not shape.markdown,
    ),
    Defect("digit-space", "digit_space", "warning", "PUN-004, sample 000 l.29", digit_space),
    Defect("markdown-bold", "markdown_residue", "error", "STR-007, sample 000 l.5", markdown_bold),
    Defect(
        "html-br",
        "markdown_residue",
        "error",
        "STR-007",
        insert_sentence("全年开展培训10次。<br>累计培训干部300人次。", "<br>"),
    ),
    Defect(
        "stray-english",
        "stray_latin",
        "error",
        "STR-008, sample 000 l.47",
        insert_sentence("自觉接受社会 and 群众的监督。", "and"),
    ),
    Defect(
        "placeholder-todo",
        "stray_latin",
        "error",
        "issue 13 §3.6 (TODO placeholder)",
        insert_sentence("全年办理行政复议案件TODO件。", "TODO"),
    ),
    # numbering (NUM-001/002/003; samples 001 l.11/13/23, 002 l.7, 003 l.52)
    Defect("marker-halfwidth", "heading_marker", "error", "NUM-001, sample 001 l.11", heading_marker("（一）", "(一)")),
    Defect("marker-arabic-dunhao", "heading_marker", "error", "NUM-001, sample 001 l.23", heading_marker("1.", "1、")),
    Defect("marker-extra-dunhao", "heading_marker", "error", "NUM-001 （一）、", heading_marker("（二）", "（二）、")),
    Defect("heading-skipped", "heading_sequence", "error", "NUM-002", heading_marker("（二）", "（三）")),
    Defect(
        "heading-level1-repeated",
        "heading_sequence",
        "error",
        "issue 13 §3.3 (一、…一、)",
        heading_marker("二、", "一、"),
    ),
    Defect(
        "heading-level2-repeated",
        "heading_sequence",
        "error",
        "issue 13 §3.3 (（一）…（一）)",
        heading_marker("（二）", "（一）"),
    ),
    Defect("enumeration-repeated", "enumeration_sequence", "error", "NUM-002, sample 001 l.13", enumeration(2, "二是")),
    Defect("enumeration-skipped", "enumeration_sequence", "error", "NUM-002", enumeration(2, "四是")),
    Defect("enumeration-word", "enumeration_sequence", "warning", "NUM-003, sample 003 l.52", enumeration(1, "二要")),
    # document numbers (PUN-003; sample 001 l.25)
    Defect(
        "doc-number-square",
        "doc_number_brackets",
        "error",
        "PUN-003, sample 001 l.25",
        replace_or_insert("〔", "[", "按照区委[2011]5号专题会议纪要精神抓好落实。"),
    ),
    Defect(
        "doc-number-di",
        "doc_number_brackets",
        "error",
        "PUN-003 (第N号)",
        insert_sentence(
            "按照《法治政府建设与责任落实督察工作规定》（厅字〔2019〕第28号）要求按时报告。", "〔2019〕第28号"
        ),
    ),
    # title (STR-001/002; samples 000 l.3, 002 l.1)
    Defect("title-no-organ", "title_unit_year", "error", "STR-001, sample 000 l.3", spec_edit=title_without_organ),
    Defect("title-no-year", "title_unit_year", "warning", "STR-002", spec_edit=title_without_year),
    Defect(
        "title-no-place", "title_unit_year", "warning", "STR-001, sample 002 l.1", spec_edit=title_organ_without_place
    ),
    # years (DAT-001; sample 004 l.55; head 008 l.3)
    Defect("plan-heading-year", "next_year_wrong", "error", "DAT-001, sample 004 l.55", spec_edit=plan_heading_year),
    Defect("plan-lead-year", "next_year_wrong", "error", "issue 13 §3.4", spec_edit=plan_lead_year),
    Defect(
        "review-heading-year",
        "review_year_wrong",
        "error",
        "head 008 l.3",
        spec_edit=review_heading_year,
        shapes=lambda shape: shape.achievements != "alias",
    ),
    # required parts (STR-004, REQ-001..004; samples 000, 001, 002)
    Defect("no-shortcomings", "problems", "error", "STR-004", spec_edit=drop_part("shortcomings"), document=True),
    Defect("no-causes", "causes", "error", "REQ-002, samples 000 l.35, 002 l.17", spec_edit=drop_causes),
    Defect(
        "no-responsibility",
        "first_responsible",
        "error",
        "REQ-001(a), sample 002",
        spec_edit=drop_part("responsibility", scrub=("第一责任人", "第一责任")),
        document=True,
    ),
    Defect(
        "no-responsibility-part",
        "first_responsible",
        "warning",
        "REQ-001(b), samples 000, 001",
        spec_edit=drop_part("responsibility"),
        document=True,
    ),
    Defect("no-plan", "next_year_plan", "error", "REQ-003", spec_edit=drop_part("plan"), document=True),
    # (not under the 一、{year}年法治政府建设情况 wrapper, which would then head only the other parts)
    Defect(
        "no-achievements",
        "measures",
        "error",
        "STR-004",
        spec_edit=drop_part("achievements"),
        document=True,
        shapes=lambda shape: shape.level != "wrapped",
    ),
    Defect(
        "no-xi-thought",
        "xi_rule_of_law_thought",
        "error",
        "REQ-004",
        spec_edit=_drop_xi,
        document=True,
        years=(2020, 2100),
    ),
    # signature and dates (STR-005, DAT-002/003/005)
    Defect(
        "no-signature",
        "signature_date",
        "warning",
        "STR-005, samples 000, 002, 003, 004",
        spec_edit=drop_signature,
        document=True,
    ),
    Defect("date-chinese", "date_format", "warning", "DAT-002", spec_edit=chinese_date, last=True),
    Defect("date-late", "deadline", "warning", "DAT-003", spec_edit=late_date, last=True),
    Defect(
        "abbreviated-year",
        "abbreviated_year",
        "error",
        "DAT-005",
        insert_sentence("{yy}年3月，召开专题会议研究部署法治政府建设工作。", "{yy}年3月"),
    ),
    # formulations (FRM-*; samples 003 l.5/7/56, 004 l.5/10/18; issue 13 §3.5)
    Defect(
        "power-cage",
        "formulation",
        "error",
        "FRM-012, sample 004 l.18",
        insert_sentence("真正实现将权利关进制度的笼子。", "权利"),
    ),
    Defect(
        "democratic-management",
        "formulation",
        "warning",
        "FRM-013, sample 004 l.10",
        insert_sentence("坚持和完善以工会为基本形式的民主管理制度。", "以工会为基本形式"),
    ),
    Defect(
        "two-establishments",
        "formulation",
        "error",
        "FRM-003",
        insert_sentence("深刻领悟“两个确定”的决定性意义。", "两个确定"),
        years=(2021, 2100),
    ),
    Defect(
        "plenum-shijiuda-lici",
        "formulation",
        "error",
        "issue 13 §3.5 (十九大历次全会)",
        insert_sentence("全面贯彻党的十九大和十九大历次全会精神。", "十九大历次全会"),
        years=(2018, 2022),
    ),
    Defect(
        "central-committee-name",
        "formulation",
        "warning",
        "issue 13 §3.5 (中央依法治国委员会)",
        insert_sentence("认真学习中央依法治国委员会会议精神。", "中央依法治国委员会"),
        years=(2018, 2100),
    ),
    Defect(
        "first-responsible-shouyao",
        "formulation",
        "warning",
        "issue 13 §3.5 (首要责任人)",
        insert_sentence("主要负责人切实履行推进法治建设首要责任人职责。", "首要责任人"),
    ),
    Defect(
        "zunfa-scrambled",
        "formulation",
        "warning",
        "FRM-011, issue 13 §3.5",
        insert_sentence("引导干部群众学法尊法用法守法。", "学法尊法用法守法"),
    ),
    Defect(
        "thought-misspelt",
        "formulation",
        "error",
        "FRM-002",
        replace_or_insert(
            "习近平新时代中国特色社会主义思想",
            "习近平新时代特色社会主义思想",
            "坚持以习近平新时代特色社会主义思想为指导。",
        ),
    ),
    Defect(
        "plenum-wording",
        "formulation",
        "error",
        "FRM-004 (全会议)",
        insert_sentence("深入学习贯彻党的二十届三中全会议精神。", "二十届三中全会议"),
        years=(2024, 2100),
    ),
    Defect(
        "xi-short",
        "formulation",
        "warning",
        "FRM-016 (习总书记)",
        insert_sentence("深入学习习总书记重要讲话精神。", "习总书记"),
    ),
    Defect(
        "bare-fazhi-sixiang",
        "formulation",
        "warning",
        "FRM-001, sample 000 l.11, 004 l.67",
        insert_sentence("着力用法治思想武装头脑、指导工作。", "法治思想"),
        years=(2021, 2100),
    ),
    Defect(
        "old-goal",
        "formulation",
        "warning",
        "FRM-007, sample 003 l.56",
        insert_sentence(
            "紧紧围绕“职能科学、权责法定、执法严明、公开公正、廉洁高效、守法诚信”的法治政府建设目标。",
            "廉洁高效、守法诚信",
        ),
        years=(2021, 2100),
    ),
    Defect(
        "old-thought-name",
        "formulation",
        "warning",
        "FRM-001, sample 003 l.5",
        insert_sentence("全面贯彻习近平总书记坚持全面依法治国新理念。", "习近平总书记坚持全面依法治国新理念"),
        years=(2021, 2100),
    ),
    Defect(
        "new-strategy-without-concept",
        "formulation",
        "warning",
        "issue 13 §3.5 (新思想新战略 without 新理念)",
        insert_sentence("深入学习贯彻习近平总书记全面依法治国新思想新战略。", "新思想新战略"),
        years=(2018, 2020),
    ),
    Defect(
        "legal-review-term",
        "formulation",
        "warning",
        "FRM-009",
        insert_sentence("全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法治审核制度。", "法治审核"),
    ),
    Defect(
        "procedures-incomplete",
        "decision_procedures",
        "warning",
        "REQ-007, sample 000 l.47",
        insert_sentence(
            "严格落实重大事项“专家论证、风险评估、合法性审查、集体讨论决定”等法定程序。",
            "专家论证、风险评估、合法性审查、集体讨论决定",
        ),
    ),
    Defect(
        "procedures-2004",
        "decision_procedures",
        "warning",
        "FRM-008, sample 003 l.9",
        insert_sentence(
            "建立公众参与、专家论证、风险评估、合法性审查和政府决定相结合的行政决策机制。", "合法性审查和政府决定相结合"
        ),
    ),
    Defect(
        "issuer-mismatch", "issuer", "warning", "STR-006, sample 001 l.3/5", spec_edit=party_header, kinds=("部门",)
    ),
    Defect(
        "range-glued",
        "range_dash",
        "warning",
        "PUN-005 (20212025年)",
        insert_sentence("对照2021—2025年目标，编制《法治建设规划（20212025年）》实施台账。", "20212025"),
        years=(2021, 2100),
    ),
]


PER_DEFECT = 3  # specs each defect is planted into


def _rank(defect: str, spec: str) -> str:
    return hashlib.sha256(f"{defect}/{spec}".encode()).hexdigest()


def plant_all(specs: list[Spec] | None = None, per_defect: int = PER_DEFECT) -> list[Planted]:
    """Every defect planted into ``per_defect`` specs (chosen by a hash, among those it applies
    to and where it can be planted), each in one of the spec's shapes."""
    specs = load_specs() if specs is None else specs
    planted: list[Planted] = []
    for defect in DEFECTS:
        candidates = sorted(
            (s for s in specs if defect.years[0] <= s.year < defect.years[1] and s.kind in defect.kinds),
            key=lambda s: _rank(defect.name, s.id),
        )
        made = 0
        for spec in candidates:
            if made == per_defect:
                break
            shapes = [s for s in shapes_for(spec) if defect.shapes is None or defect.shapes(s)]
            if not shapes:
                continue
            shape = shapes[int(_rank(defect.name, spec.id)[:8], 16) % len(shapes)]
            result = plant(defect, spec, shape)
            if result is not None:
                planted.append(result)
                made += 1
    return planted


def plant(defect: Defect, spec: Spec, shape: Shape) -> Planted | None:
    suffix = ".md" if shape.markdown else ".txt"
    name = f"{defect.name}--{spec.id}--{shape.name}{suffix}"
    if defect.spec_edit is not None:
        edited = defect.spec_edit(spec)
        if edited is None:
            return None
        new_spec, locate = edited
        text = render(new_spec, shape)
        if locate == "HEADER":  # a 版头 line above the title
            text = f"中共{spec.organ}党组\n\n" + text
            at = text.find("\n", text.find("\n") + 2) + 1
        else:
            at = (text.rfind(locate) if defect.last else text.find(locate)) if locate else 0
            if at == -1:
                return None  # the shape does not show what was changed
    else:
        assert defect.text_edit is not None
        edited_text = defect.text_edit(render(spec, shape), spec)
        if edited_text is None:
            return None
        text, at, _ = edited_text
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    label: dict[str, Any] = {
        "file": name,
        "line": line,
        "col": col,
        "category": defect.category,
        "severity": defect.severity,
        "defect": defect.name,
        "source": defect.source,
    }
    if defect.document:
        label["scope"] = "document"
    return Planted(name, text, [label], spec.id, shape.name, defect.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="DIR", help="write the planted reports and labels.jsonl to DIR")
    args = parser.parse_args(argv)
    planted = plant_all()
    by_defect: dict[str, int] = {}
    for item in planted:
        by_defect[item.defect] = by_defect.get(item.defect, 0) + 1
    missing = [d.name for d in DEFECTS if d.name not in by_defect]
    print(f"{len(planted)} planted reports, {len(by_defect)} of {len(DEFECTS)} defects")
    if missing:
        print("not planted anywhere: " + ", ".join(missing))
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        labels = []
        for item in planted:
            (out / item.name).write_text(item.text, encoding="utf-8")
            labels.extend(item.labels)
        (out / "labels.jsonl").write_text(
            "\n".join(json.dumps(label, ensure_ascii=False) for label in labels) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
