"""Everything a check needs to look at one document: text, outline, scopes,
the report year, protected regions (inside 《》 or “”), word boundaries, and the tables
of a pack (tables.toml) found in it."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

import regex

from reportlint.core.document import Document
from reportlint.outline.parser import Heading, Outline, Section, bare_headings, build_outline
from reportlint.rules.model import Pack, Part, Scope
from reportlint.support import watchdog
from reportlint.support.prefilter import LiteralIndex, LiteralScanner
from reportlint.support.rxcache import LazyPattern
from reportlint.support.watchdog import RULE_TIMEOUT
from reportlint.tables.model import Table
from reportlint.zh import regions as zh_regions
from reportlint.zh.segmentation import boundaries

_ANY = LazyPattern("")  # matches every heading
_ANY_DATE = LazyPattern(
    r"[0-9０-９〇○零一二]{4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月|(?:19|20)[0-9]{2}[./-][0-9]{1,2}[./-][0-9]{1,2}"
)


def _outermost(sections: list[Section]) -> list[Section]:
    """``sections`` without those nested in another of them."""
    chosen: list[Section] = []
    for section in sections:
        if not any(outer.start <= section.start and section.end <= outer.end for outer in chosen):
            chosen.append(section)
    return chosen


YEAR_IN_TEXT = LazyPattern(r"(?<![0-9])(20[0-9]{2})\s*年")
SIGNATURE_DATE = LazyPattern(r"\s*(20[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日\s*")
# Paired regions rules can skip: inside 《…》 (titles) and “…” (quotations), within one line.
PAIRED_REGIONS = {name: LazyPattern(pattern) for name, pattern in zh_regions.PAIRED_REGIONS.items()}


class PartTimeout(TimeoutError):
    """A pattern of the pack's parts (pack.toml's aliases or strong) ran out of time while
    the sections of a part were looked for."""


_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Span:
    """A range of the document a scope covers, with the section it came from."""

    start: int
    end: int
    section: Section | None = None


@dataclass(eq=False)
class LintContext:
    doc: Document
    # The report's profile for the pack whose rules run (engine.lint.pack_profile):
    # report_kind, deadline, and what the configuration adds; ``profiles``: by pack (its id).
    profile: dict[str, Any] = field(default_factory=dict)
    profiles: dict[int, dict[str, Any]] = field(default_factory=dict)
    # The rule set's literals in one automaton (the engine passes it; None: one search each)
    scanner: LiteralScanner | None = None
    # The time limit a check passes to its searches; None while the engine's watch
    # enforces the limit for the whole rule (see reportlint.support.watchdog).
    regex_timeout: float | None = RULE_TIMEOUT
    # A pack's heading patterns (parts, section scopes) that run out of time while sections
    # are looked for are not run again on this document.  True (the engine): the lookup
    # raises TimeoutError (PartTimeout for the parts' patterns) each time, and the rule that
    # asked is reported as RL001; False (other callers, e.g. the dashboard's part columns):
    # those sections are taken as not found.
    strict_timeouts: bool = False
    # The rules being run on this document (the engine sets them): a check that weighs its
    # findings with those of its fellows (``identity``: one wrong cell, one finding) looks
    # at them.  Empty: the check is run on its own.
    rules: Sequence[Any] = ()
    # Lines (1-based) the outline leaves out: those of the tables found (mask_tables).
    masked_lines: frozenset[int] = frozenset()
    # What checks work out once per document and share, by a key of their own.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    _tables: dict[int, dict[str, Table]] = field(default_factory=dict, repr=False)
    _line_cuts: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)
    _spans: dict[tuple[Scope, int], list[Span]] = field(default_factory=dict, repr=False)
    _sections: dict[tuple[Any, ...], list[Section]] = field(default_factory=dict, repr=False)
    _bare_on_top: dict[int, bool] = field(default_factory=dict, repr=False)
    _timed_out: dict[tuple[Any, ...], bool] = field(default_factory=dict, repr=False)  # key -> a part's

    @cached_property
    def text(self) -> str:
        return self.doc.text

    @cached_property
    def outline(self) -> Outline:
        if self.masked_lines:
            return build_outline(self.doc, self.masked_lines)
        return build_outline(self.doc)

    # -- tables ----------------------------------------------------------------------------
    def tables(self, pack: Pack | None) -> dict[str, Table]:
        """The tables of ``pack``'s schemas (its tables.toml) found in the document, by name
        (of several of one name, the first in the text); extracted once per document and pack."""
        if pack is None:
            return {}
        found = self._tables.get(id(pack))
        if found is None:
            found = self._tables[id(pack)] = {}
            schemas = pack.tables
            if schemas:
                from reportlint.tables.extract import find_tables  # (only packs with tables need it)

                for table in find_tables(self.doc, schemas):
                    found.setdefault(table.name, table)
        return found

    def mask_tables(self, packs: Sequence[Pack]) -> None:
        """Leave the lines of the tables of ``packs`` found in the document out of the
        outline: a row label such as "一、本年新收政府信息公开申请数量" or
        "四、结转下年度继续办理" is no level-1 heading.  Packs without tables cost nothing."""
        lines: set[int] = set()
        for pack in packs:
            if pack.tables:
                for table in self.tables(pack).values():
                    lines.update(table.lines)
        if lines <= self.masked_lines:
            return
        self.masked_lines = self.masked_lines | lines
        self._forget_outline()

    def _forget_outline(self) -> None:
        """Drop everything worked out from the outline (it is built again when asked for)."""
        for name in ("outline", "heading_lines", "bare_headings", "report_year", "signature_date", "has_date_in_tail"):
            self.__dict__.pop(name, None)
        self._spans.clear()
        self._sections.clear()
        self._bare_on_top.clear()
        self._timed_out.clear()

    @cached_property
    def literals(self) -> LiteralIndex:
        """Memoised ``literal in text`` tests (rules skip documents lacking their literals)."""
        return LiteralIndex(self.text, self.scanner)

    @property
    def report_kind(self) -> str | None:
        """The report's kind for the pack whose rules run (部门, 政府 … : its [report_kinds])."""
        return self.profile.get("report_kind")

    # -- the report year -------------------------------------------------------------------
    @cached_property
    def report_year(self) -> int | None:
        """The year under review: from the title, else the most frequent year of the opening."""
        found = YEAR_IN_TEXT.search(self.outline.title)
        if found:
            return int(found.group(1))
        opening = self.spans(Scope("opening"))
        if not opening:
            return None
        years = [int(m.group(1)) for m in YEAR_IN_TEXT.finditer(self.text, opening[0].start, opening[0].end)]
        if not years:
            return None
        return max(set(years), key=lambda y: (years.count(y), -years.index(y)))

    @cached_property
    def signature_date(self) -> tuple[int, int, int] | None:
        """The 成文日期 in the last lines, as (year, month, day), if written correctly."""
        for span in self.spans(Scope("tail")):
            found = SIGNATURE_DATE.fullmatch(self.text, span.start, span.end)
            if found:
                return int(found.group(1)), int(found.group(2)), int(found.group(3))
        return None

    # -- scopes ----------------------------------------------------------------------------
    def header_end(self) -> int:
        """Offset just past the front matter: the header block and the addressee line."""
        outline = self.outline
        lines = [*outline.header_lines, *([outline.addressee_line] if outline.addressee_line else [])]
        return self.doc.line_end(max(lines)) if lines else 0

    @property
    def body_end(self) -> int:
        """Offset where the main text ends: an 附件 after the 落款 begins there."""
        end = self.outline.body_end
        return len(self.text) if end < 0 else end

    def part_sections(self, part: Part, pack: Pack | None = None) -> list[Section]:
        """The sections of a required part (computed once per part and document).

        Found by heading words first: the top-level sections (level 1, or the highest level
        used when a report has no 一、 headings) whose heading matches the part's aliases, else
        one level further down (the review parts under one 一、2024年工作情况 heading), else
        stand-alone lines without a number that match them.  A part of ``level = 0`` is
        looked for at every level (the outermost matches).  A part marked ``unclaimed`` is
        also found by structure: the top-level sections no other part of the pack claims (the
        achievements part written as thematic headings: 一、深入学习贯彻习近平法治思想
        二、…); a report with no headings at all has no structure to judge, and its whole
        body counts."""
        key = ("part", part.name, id(pack))
        found = self._sections.get(key)
        if found is None:
            found = self._sections[key] = self._searched(key, lambda: self._find_part(part, pack), [], part=True)
        return found

    def _searched(self, key: tuple[Any, ...], compute: Callable[[], _T], default: _T, part: bool = False) -> _T:
        """``compute()``, which runs a pack's heading patterns, unless one ran out of time
        for ``key`` before (see ``strict_timeouts``); ``part``: the patterns are the parts'."""
        if key in self._timed_out:
            if not self.strict_timeouts:
                return default
            raise PartTimeout() if self._timed_out[key] else TimeoutError()
        started = time.thread_time()
        try:
            return compute()
        except TimeoutError as exc:
            part = part or isinstance(exc, PartTimeout)
            # Not searched again if these patterns took the time (under the engine's watch the
            # limit is the rule's: a rule that spent it on its own pattern does not make the
            # part it asks for afterwards look slow).
            if time.thread_time() - started >= (self.regex_timeout or watchdog.RULE_TIMEOUT) / 2:
                self._timed_out[key] = part
            if not self.strict_timeouts:
                return default
            if part and not isinstance(exc, PartTimeout):
                raise PartTimeout() from None
            raise

    def part_pattern(self, part: Part) -> LazyPattern:
        """The part's heading pattern for this report's year (see Part.pattern_for)."""
        return part.pattern_for(self.report_year)

    def _find_part(self, part: Part, pack: Pack | None) -> list[Section]:
        sections = self.outline.section_list
        pattern = self.part_pattern(part)
        if pack is not None and self._bare_parts_on_top(pack):
            # 第一部分 … 第二部分 …: unnumbered part headings above numbered ones (一、 restarting
            # under each): the parts are the unnumbered headings.
            found = self._bare_part_sections(part, pack)
            if found:
                return found
        if part.level is None:
            timeout = self.regex_timeout
            found = _outermost([s for s in sections if pattern.search(s.title, timeout=timeout)])
            return found or self._bare_part_sections(part, pack)
        top = min((s.level for s in sections), default=None)
        found: list[Section] = []
        strong = part.strong_pattern
        if top == 1:
            found = self.matching_sections(pattern, 1)
            if not found and strong is not None:
                found = self.matching_sections(strong, 2)
        if not found:
            found = self._bare_part_sections(part, pack)
        if not found and top is not None and top > 1:
            found = self.matching_sections(pattern, top)
            if not found and strong is not None:
                found = self.matching_sections(strong, top + 1)
        if not found and part.unclaimed and not self._bare_part_sections(part, pack, any_part=True):
            found = self._unclaimed_sections(part, pack, top)
        return found

    def _unclaimed_sections(self, part: Part, pack: Pack | None, top: int | None) -> list[Section]:
        """Top-level sections that no other part claims by its heading words."""
        if top is None:
            return [self.outline.root]  # no headings: no structure to judge
        others = [p for p in (pack.parts.values() if pack is not None else ()) if p is not part]
        patterns = [self.part_pattern(other) for other in others]
        timeout = self.regex_timeout
        return [
            s
            for s in self.matching_sections(_ANY, top)
            if not any(p.search(s.title, timeout=timeout) for p in patterns)
        ]

    @cached_property
    def heading_lines(self) -> frozenset[int]:
        """The lines of the outline's numbered headings."""
        return frozenset(heading.line for heading in self.outline.headings)

    @cached_property
    def bare_headings(self) -> list[Heading]:
        """Short stand-alone lines without a marker that may head a part (see outline)."""
        return bare_headings(self.doc, self.outline)

    def _bare_parts_on_top(self, pack: Pack) -> bool:
        """Whether unnumbered headings of at least two different parts stand above numbered
        level-1 headings (第一部分 2024年工作情况 / 一、… / 第二部分 存在的不足和原因 / 一、…)."""
        found = self._bare_on_top.get(id(pack))
        if found is None:
            key = ("bare-on-top", id(pack))
            found = self._bare_on_top[id(pack)] = self._searched(key, lambda: self._find_bare_on_top(pack), False, True)
        return found

    def _find_bare_on_top(self, pack: Pack) -> bool:
        required = [p for p in pack.parts.values() if p.required]
        timeout = self.regex_timeout
        named = {
            part.name
            for heading in self.bare_headings
            for part in required
            if self.part_pattern(part).search(heading.title, timeout=timeout)
        }
        first_bare = min((h.start for h in self.bare_headings), default=len(self.text))
        numbered_below = any(h.level == 1 and h.start > first_bare for h in self.outline.headings)
        return len(named) >= 2 and numbered_below

    def _bare_part_sections(self, part: Part, pack: Pack | None, any_part: bool = False) -> list[Section]:
        """Sections under bare headings matching ``part`` (``any_part``: any part of ``pack``):
        each runs to the next bare heading of a part (of ``pack``, else of this one), the
        next level-1 heading (unless the bare headings stand above the numbered ones) or the
        end of the main text."""
        key = ("bare", part.name, id(pack), any_part)
        found = self._sections.get(key)
        if found is None:
            compute = lambda: self._find_bare_part_sections(part, pack, any_part)  # noqa: E731
            found = self._sections[key] = self._searched(key, compute, [], part=True)
        return found

    def _find_bare_part_sections(self, part: Part, pack: Pack | None, any_part: bool) -> list[Section]:
        parts = [self.part_pattern(p) for p in pack.parts.values()] if pack is not None else [self.part_pattern(part)]
        wanted = parts if any_part else [self.part_pattern(part)]
        body_end = self.body_end
        on_top = pack is not None and self._bare_parts_on_top(pack)
        timeout = self.regex_timeout
        bounds = sorted(
            [h.start for h in self.bare_headings if any(p.search(h.title, timeout=timeout) for p in parts)]
            + ([] if on_top else [self.doc.line_starts[h.line - 1] for h in self.outline.headings if h.level == 1])
        )
        found = []
        for heading in self.bare_headings:
            if heading.start >= body_end or not any(p.search(heading.title, timeout=timeout) for p in wanted):
                continue
            start = self.doc.line_starts[heading.line - 1]
            end = next((b for b in bounds if b > heading.start), body_end)
            end_line = self.doc.line_of(end) - 1 if end < len(self.text) else self.doc.line_count
            found.append(Section(heading, 1, start, end, heading.line, end_line, parent=self.outline.root))
        return found

    def matching_sections(self, pattern: regex.Pattern[str] | LazyPattern, level: int | None) -> list[Section]:
        key = (pattern.pattern, pattern.flags, level)
        found = self._sections.get(key)
        if found is None:
            timeout = self.regex_timeout
            compute = lambda: [  # noqa: E731
                section
                for section in self.outline.section_list
                if (level is None or section.level == level) and pattern.search(section.title, timeout=timeout)
            ]
            found = self._sections[key] = self._searched(key, compute, [])
        return found

    def unfinished(self, pack: Pack) -> bool:
        """Whether the report looks unfinished: no 成文日期 in its last lines and none of the
        pack's ``closing_parts`` (a draft, or a text cut off after its first parts)."""
        closing = pack.settings.get("closing_parts", ())
        if not closing or self.signature_date is not None or self.has_date_in_tail:
            return False
        return not any(self.part_sections(pack.parts[name], pack) for name in closing if name in pack.parts)

    @cached_property
    def has_date_in_tail(self) -> bool:
        """Whether one of the last lines is a date of any form (二〇二五年一月 too)."""
        return any(_ANY_DATE.search(self.text, span.start, span.end) for span in self.spans(Scope("tail")))

    def scope_sections(self, scope: Scope, pack: Pack) -> list[Section]:
        if scope.part is not None:
            return self.part_sections(pack.parts[scope.part], pack)
        if scope.parts:
            found = {id(s): s for name in scope.parts for s in self.part_sections(pack.parts[name], pack)}
            return sorted(found.values(), key=lambda section: section.start)
        return self.matching_sections(scope.pattern, scope.level)

    def spans(self, scope: Scope, pack: Pack | None = None) -> list[Span]:
        """The ranges of text a scope covers (empty when the scope is absent); computed
        once per scope and document, so callers must not change the list."""
        key = (scope, id(pack))
        found = self._spans.get(key)
        if found is None:
            found = self._spans[key] = self._compute_spans(scope, pack)
        return found

    def _compute_spans(self, scope: Scope, pack: Pack | None) -> list[Span]:
        outline = self.outline
        name = scope.name
        if name == "document":
            return [Span(0, len(self.text))]
        if name == "title":
            return [Span(outline.title_start, outline.title_end)] if outline.title else []
        if name == "headings":
            return [Span(h.start, h.title_end) for h in outline.headings]
        if name == "body":
            return [Span(self.header_end(), len(self.text))]
        if name == "main":
            return [Span(self.header_end(), self.body_end)]
        if name == "opening":
            return self._opening()
        if name == "tail":
            return self._tail()
        assert pack is not None, "section scopes need the rule's pack"
        spans = []
        for section in self.scope_sections(scope, pack):
            heading = section.heading
            if heading is None:  # a part found as the whole text of a report without headings
                if scope.within != "heading":
                    spans.append(Span(self.header_end(), self.body_end, section))
                continue
            if scope.within == "heading":
                spans.append(Span(heading.start, heading.title_end, section))
            elif scope.within == "body":
                spans.append(Span(section.body_start, section.end, section))
            else:
                spans.append(Span(section.start, section.end, section))
        return spans

    def _opening(self) -> list[Span]:
        first_heading = self.outline.headings[0].start if self.outline.headings else self.body_end
        start = self.header_end()
        for paragraph in self.outline.paragraphs:
            if paragraph.start >= start and paragraph.end <= first_heading:
                return [Span(paragraph.start, paragraph.end)]
        return []

    def _tail(self, count: int = 3) -> list[Span]:
        """The last ``count`` non-empty lines of the main text (before an 附件)."""
        spans: list[Span] = []
        header = set(self.outline.header_lines)
        annex = self.outline.annex_line
        last = self.doc.line_count if annex is None else annex - 1
        for line in range(last, 0, -1):
            if len(spans) == count:
                break
            if line in header:
                break
            if self.doc.line_text(line).strip():
                spans.append(Span(self.doc.line_start(line), self.doc.line_end(line)))
        return spans[::-1]

    # -- regions and words -----------------------------------------------------------------
    @cached_property
    def _regions(self) -> dict[str, list[tuple[int, int]]]:
        return {}  # region name -> its spans, each found when first asked for

    def region_spans(self, region: str) -> list[tuple[int, int]]:
        spans = self._regions.get(region)
        if spans is None:
            spans = self._regions[region] = [m.span() for m in PAIRED_REGIONS[region].finditer(self.text)]
        return spans

    def inside(self, region: str, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside one of the paired regions (《…》 or “…”), or,
        for ``"table"``, on a line of a table the packs declare (its cells are the table
        rules' business: an NBSP in an empty cell is no stray whitespace)."""
        if region == "table":
            return bool(self.masked_lines) and self.doc.line_of(start) in self.masked_lines
        spans = self.region_spans(region)
        index = bisect.bisect_right(spans, (start, len(self.text) + 1)) - 1
        return index >= 0 and spans[index][0] < start and end <= spans[index][1]

    def is_word(self, start: int, end: int, words: tuple[str, ...] = ()) -> bool:
        """Whether jieba segments ``text[start:end]`` as whole words (boundaries at both ends)."""
        line = self.doc.line_of(start)
        line_start = self.doc.line_start(line)
        cuts = self._line_cuts.get(line)
        if cuts is None:
            cuts = boundaries(self.doc.line_text(line), words)
            self._line_cuts[line] = cuts
        return (start - line_start) in cuts and (end - line_start) in cuts
