"""Text kinds: ``require`` (terms must appear), ``forbid`` (a pattern must not
appear) and ``substitute`` (a wrong -> right table, with fixes)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

import regex

from reportlint.checks.base import Check, Finding
from reportlint.checks.conditions import compile_condition, condition_holds
from reportlint.checks.context import LintContext, Span
from reportlint.core.diagnostics import Edit
from reportlint.rules.model import (
    CONDITION,
    DATA_FILE,
    FLAG,
    INTEGER,
    REGEX,
    REGEXES,
    SEVERITIES,
    SEVERITY,
    TEXT,
    TEXTS,
    Field,
    compile_pattern,
    invalid_value,
    os_reason,
)
from reportlint.support.prefilter import analyse_pattern, pattern_line_local, terms_facts
from reportlint.support.records import fast_constructor
from reportlint.support.rxcache import LazyPattern

_new_edit = fast_constructor(Edit)  # one per fixable finding
FIX = Field(str, format="fix")  # a replacement template: \g<name>, \1
# A table in a pattern list: the pattern with options of its own.
PATTERN_ITEM_FIELDS: dict[str, Field] = {
    "pattern": REGEX,
    "severity": SEVERITY,
    "applies_if": CONDITION,
    "fix": FIX,
}
PATTERNS = Field(
    (str, list),
    items=Field((str, dict), fields=PATTERN_ITEM_FIELDS, required=("pattern",), format="regex"),
    format="regex",
)
PAIR_FIELDS: dict[str, Field] = {  # a substitute pair
    "wrong": TEXT,
    "right": TEXT,
    "note": TEXT,
    "severity": SEVERITY,
    "applies_if": CONDITION,
}
# Inside 《》 / “”, or on the lines of a table the pack declares (tables.toml).
SKIP_INSIDE = Field(list, items=Field(str, choices=("book", "quote", "table")))
TABLE_COLUMNS = ("action", "pattern", "suggestion")  # a substitute table's required columns


def literal_alternation(terms: list[str]) -> str:
    """One regex matching any of ``terms``, longest first so the longest wins."""
    return "|".join(regex.escape(t) for t in sorted(set(terms), key=len, reverse=True))


@dataclass(eq=False)
class Search:
    """One pattern and what the prefilter knows of it: ``literals``, strings one of which
    every match contains (a document holding none of them is skipped without running the
    pattern); ``reach``, the most characters a match inspects (search windows around the
    literals); ``line_local``, matches never cross a line break (search the lines with
    literals).  See :mod:`reportlint.support.prefilter`."""

    pattern: LazyPattern
    literals: frozenset[str] | None = None
    reach: int | None = None
    line_local: bool = False
    # Whether a search needs the time limit (ctx.regex_timeout): a list of plain terms
    # cannot backtrack catastrophically.
    guarded: bool = True

    def finditer(self, ctx: LintContext, spans: list[Span], start: int = 0) -> Iterator[regex.Match[str]]:
        """The pattern's matches in ``spans`` (from ``start`` on), as a search of each span
        would find them."""
        literals = self.literals
        windows = None
        if literals is not None:
            if not ctx.literals.any_in(literals):
                return iter(())  # the pattern cannot match this document
            if self.reach is not None:
                windows = ctx.literals.windows(literals, self.reach)
            elif self.line_local:
                windows = ctx.literals.line_windows(literals)
        text, finditer = ctx.text, self.pattern.finditer
        timeout = ctx.regex_timeout if self.guarded else None
        if windows is None and len(spans) == 1:  # one search: its own iterator, no generator around it
            low, high = spans[0].start, spans[0].end
            return finditer(text, max(low, start), high, timeout=timeout) if high > start else iter(())
        return chain.from_iterable(
            finditer(text, max(low, start), high, timeout=timeout)
            for low, high in _search_ranges(spans, windows)
            if high > start
        )


def _leftmost(searches: list[Search], ctx: LintContext, spans: list[Span]) -> Iterator[regex.Match[str]]:
    """The non-empty matches of several patterns as their alternation finds them: the
    leftmost first, the earlier pattern on a tie, the search going on after each match
    taken (a pattern whose next match overlaps it is searched again from there)."""

    def stream(search: Search, start: int) -> Iterator[regex.Match[str]]:
        return (m for m in search.finditer(ctx, spans, start) if m.end() > m.start())

    streams = [stream(search, 0) for search in searches]
    heads: list[regex.Match[str] | None] = [next(s, None) for s in streams]
    taken_end = 0
    while True:
        best: regex.Match[str] | None = None
        best_index = -1
        for index, head in enumerate(heads):
            if head is not None and head.start() < taken_end:
                streams[index] = stream(searches[index], taken_end)
                head = heads[index] = next(streams[index], None)
            if head is not None and (best is None or head.start() < best.start()):
                best, best_index = head, index
        if best is None:
            return
        taken_end = best.end()
        heads[best_index] = next(streams[best_index], None)
        yield best


class MatcherMixin(Check):
    """Shared matching: ``pattern`` (one, or a list matched like their alternation but each
    prefiltered on its own) or ``terms``, ``allow`` list, ``skip_inside``, ``word``."""

    searches: list[Search]
    allow: LazyPattern | None

    def compile_matcher(self, params: dict[str, Any], terms_key: str = "terms") -> None:
        if "pattern" in params and terms_key in params:
            raise self.fail("pattern", f"参数“pattern”和“{terms_key}”只能给出其中一个")
        self.pattern_options: dict[str, dict[str, Any]] = {}
        if "pattern" in params:
            items = params["pattern"] if isinstance(params["pattern"], list) else [params["pattern"]]
            sources = [self._pattern_item(item) for item in items]
            if not sources:
                raise self.fail("pattern", "参数“pattern”应为字符串或非空列表")
            self.searches = []
            for source in sources:
                facts = analyse_pattern(source)
                compiled = compile_pattern(self.rule, "check.pattern", source)
                self.searches.append(Search(compiled, facts.literals, facts.reach, facts.line_local))
        elif params.get(terms_key):
            source = literal_alternation(params[terms_key])
            facts = terms_facts(params[terms_key], source)
            self.searches = [Search(LazyPattern(source), facts.literals, facts.reach, guarded=False)]
        else:
            raise self.fail("kind", f"检查类型“{self.kind}”需要参数“pattern”或“{terms_key}”")
        allow = params.get("allow", [])
        self.allow = compile_pattern(self.rule, "check.allow", "|".join(f"(?:{a})" for a in allow)) if allow else None
        # An allow list whose matches never cross a line break is searched only in the lines
        # that hold a match of the rule (the same allow matches a whole-text search finds there).
        self.allow_line_local = self.allow is not None and pattern_line_local(self.allow.pattern)
        self.skip_inside = tuple(params.get("skip_inside", ()))
        self.word = params.get("word", False)

    def _pattern_item(self, item: str | dict[str, Any]) -> str:
        """One entry of a pattern list (checked against PATTERN_ITEM_FIELDS already): a
        string, or a table with the pattern and options of its own (``severity``,
        ``applies_if``, ``fix``) kept in ``pattern_options``."""
        if isinstance(item, str):
            return item
        options: dict[str, Any] = {}
        if "severity" in item:
            options["severity"] = item["severity"]
        if "applies_if" in item:
            options["condition"] = compile_condition(self.rule, "check.pattern", item["applies_if"])
        if "fix" in item:
            options["fix"] = item["fix"]
        self.pattern_options[item["pattern"]] = options
        return item["pattern"]

    def literal_sets(self) -> Iterator[frozenset[str]]:
        """The prefilter literals of each pattern (for the rule set's literal scanner)."""
        for search in self.searches:
            if search.literals is not None:
                yield search.literals

    def allowed_spans(self, ctx: LintContext) -> list[tuple[int, int]]:
        if self.allow is None:
            return []
        return [m.span() for m in self.allow.finditer(ctx.text, timeout=ctx.regex_timeout)]

    def allowed_in_line(self, ctx: LintContext, line: int) -> list[tuple[int, int]]:
        """The allow list's matches in one line (a line-local allow list only)."""
        assert self.allow is not None
        doc = ctx.doc
        end = min(doc.line_end(line) + 1, len(ctx.text))
        return [m.span() for m in self.allow.finditer(ctx.text, doc.line_start(line), end, timeout=ctx.regex_timeout)]

    def is_allowed(self, ctx: LintContext, start: int, end: int, cache: dict[int, list[tuple[int, int]]]) -> bool:
        """Whether an allow-list match contains ``[start, end)``; ``cache`` keeps what was
        searched for this document (key -1: the whole text, else a line)."""
        if self.allow is None:
            return False
        if self.allow_line_local:
            line = ctx.doc.line_of(start)
            if ctx.doc.line_end(line) < end:
                return False  # the match crosses a line break: no allow match can contain it
            key = line
        else:
            key = -1
        allowed = cache.get(key)
        if allowed is None:
            allowed = cache[key] = self.allowed_in_line(ctx, key) if key >= 0 else self.allowed_spans(ctx)
        return any(a <= start and end <= b for a, b in allowed)

    def matches(self, ctx: LintContext, spans: list[Span]) -> Iterator[regex.Match[str]]:
        searches = self.searches
        if len(searches) > 1:
            # Only the patterns whose literals occur can match; most lists are left with one,
            # which is searched on its own (its empty matches are skipped below).
            literals = ctx.literals
            searches = [s for s in searches if s.literals is None or literals.any_in(s.literals)]
            if not searches:
                return
        candidates = searches[0].finditer(ctx, spans) if len(searches) == 1 else _leftmost(searches, ctx, spans)
        allowed: dict[int, list[tuple[int, int]]] = {}  # searched only once there is a match to check
        has_allow, skip_inside, word = self.allow is not None, self.skip_inside, self.word
        for match in candidates:
            start, end = match.span()
            if start == end:
                continue
            if has_allow and self.is_allowed(ctx, start, end, allowed):
                continue
            if skip_inside and any(ctx.inside(region, start, end) for region in skip_inside):
                continue
            if word and not ctx.is_word(start, end, self.rule.pack.words):
                continue
            yield match


def _search_ranges(spans: list[Span], windows: list[tuple[int, int]] | None) -> Iterator[tuple[int, int]]:
    """The ranges to search: each span, or its parts inside the prefilter's windows."""
    for span in spans:
        if windows is None:
            yield span.start, span.end
            continue
        for begin, end in windows:
            if end <= span.start:
                continue
            if begin >= span.end:
                break
            yield max(begin, span.start), min(end, span.end)


def context_around(ctx: LintContext, start: int, end: int, width: int = 4) -> str:
    """The matched text with a few characters either side, within its line."""
    text = ctx.text
    # The line's ends, looked for only as far as the context reaches.
    low = max(0, start - width)
    line_start = max(low, text.rfind("\n", low, start) + 1)
    high = max(end, start) + width
    line_end = text.find("\n", start, high)
    return text[line_start : high if line_end == -1 else line_end]


def _holds(ctx: LintContext, rule: Any, condition: Any, cache: dict[str, bool], key: str) -> bool:
    """A pattern's or pair's condition on the report, evaluated once per document (``cache``)."""
    found = cache.get(key)
    if found is None:
        found = cache[key] = condition_holds(ctx, rule.pack, condition)
    return found


def report_location(ctx: LintContext, spans: list[Span], at: str) -> tuple[int, int]:
    """Where to put a finding about something missing: a section heading, the title, or
    the first non-empty line of the document."""
    if at == "scope" and spans and spans[0].section is not None and spans[0].section.heading is not None:
        heading = spans[0].section.heading
        return heading.start, heading.title_end
    if at == "scope" and spans:
        return spans[0].start, spans[0].start
    if at == "end":  # the end of the main text (an 附件 after the 落款 is not part of it)
        annex = ctx.outline.annex_line
        for line in range((annex - 1) if annex else ctx.doc.line_count, 0, -1):
            text = ctx.doc.line_text(line).rstrip()
            if text.strip():
                return ctx.doc.line_start(line) + len(text), ctx.doc.line_start(line) + len(text)
        return 0, 0
    outline = ctx.outline
    if outline.title:
        return outline.title_start, outline.title_end
    for line in range(1, ctx.doc.line_count + 1):
        text = ctx.doc.line_text(line)
        if text.strip():
            start = ctx.doc.line_start(line) + len(text) - len(text.lstrip())
            return start, ctx.doc.line_end(line)
    return 0, 0


class Require(MatcherMixin):
    """Terms that must appear in the scope: ``any`` of them, ``all`` of them, a ``pattern``,
    or the report year's entry ``by_year`` in pack.toml's ``[years.YYYY]`` table."""

    kind = "require"
    params = {
        "any": TEXTS,
        "all": TEXTS,
        "pattern": REGEX,
        "by_year": TEXT,  # a name in pack.toml's [years.YYYY] tables
        "word": FLAG,
        "min": INTEGER,
        "at": Field(str, choices=("scope", "title", "end")),
        "allow": REGEXES,
        "skip_inside": SKIP_INSIDE,
        "unless": REGEX,
    }
    placeholders = frozenset({"terms", "missing", "heading", "count"})

    def compile(self, params: dict[str, Any]) -> None:
        self.unless = compile_pattern(self.rule, "check.unless", params["unless"]) if "unless" in params else None
        given = [k for k in ("any", "all", "pattern", "by_year") if k in params]
        if len(given) != 1:
            raise self.fail("kind", "检查类型“require”需要 any、all、pattern、by_year 中恰好一个参数")
        self.mode = given[0]
        self.terms: list[str] = params.get("any") or params.get("all") or []
        if self.mode == "by_year":
            self.searches = []  # the year's terms come from pack.toml, per document
        else:
            self.compile_matcher(params, "any" if self.mode == "any" else "all")
        self.min = params.get("min", 1)
        self.at = params.get("at", "scope" if self.rule.scope.is_section else "title")
        if self.mode == "by_year":
            name, years = params["by_year"], self.rule.pack.year_terms
            if not years:
                raise self.fail("by_year", f"参数“by_year”的值“{name}”无效：pack.toml 中没有 [years.<年份>] 表")
            if not any(name in table for table in years.values()):
                tables = "、".join(f"[years.{year}]" for year in years)
                raise self.fail("by_year", f"参数“by_year”的值“{name}”无效：pack.toml 的 {tables} 中都没有“{name}”")

    def year_entries(self, ctx: LintContext) -> tuple[tuple[str, LazyPattern], ...] | None:
        """(label, pattern) of each term the report year's table asks for; None if unknown."""
        year = ctx.report_year
        entry = self.rule.pack.year_terms.get(str(year)) if year is not None else None
        if entry is None:
            return None  # unknown year: skip rather than guess
        return entry.get(self.rule.params["by_year"], ())

    def missing_year_terms(self, ctx: LintContext, spans: list[Span]) -> list[str] | None:
        entries = self.year_entries(ctx)
        if entries is None:
            return None
        text, timeout = ctx.text, ctx.regex_timeout
        return [
            label
            for label, pattern in entries
            if not any(pattern.search(text, s.start, s.end, timeout=timeout) for s in spans)
        ]

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        if not spans:
            return
        if self.unless is not None and any(
            self.unless.search(ctx.text, s.start, s.end, timeout=ctx.regex_timeout) for s in spans
        ):
            return
        if self.mode == "by_year":
            missing = self.missing_year_terms(ctx, spans)
            if not missing:
                return
            values: dict[str, Any] = {"missing": "、".join(missing)}
        elif self.mode == "all":
            # (the search stops once every term is found, as for ``min`` below)
            wanted = set(self.terms)
            for match in self.matches(ctx, spans):
                wanted.discard(match.group())
                if not wanted:
                    return
            missing = [t for t in self.terms if t in wanted]
            if not missing:
                return
            values = {"missing": "、".join(missing), "terms": "、".join(self.terms)}
        else:
            count = 0
            for _ in self.matches(ctx, spans):
                count += 1
                if count >= self.min:
                    return  # enough: the rest need not be found (only a shortfall is reported)
            if count >= self.min:
                return
            values = {"terms": "、".join(self.terms), "count": count}
        start, end = report_location(ctx, spans, self.at)
        if spans[0].section is not None and spans[0].section.heading is not None:
            values["heading"] = spans[0].section.title
        yield Finding(start, end, values)


class Forbid(MatcherMixin):
    """A ``pattern`` (or any of ``terms``) must not appear; ``fix`` is a replacement
    template (``\\g<name>`` and ``\\1`` refer to groups)."""

    kind = "forbid"
    params = {
        "pattern": PATTERNS,
        "terms": TEXTS,
        "allow": REGEXES,
        "skip_inside": SKIP_INSIDE,
        "word": FLAG,
        "fix": FIX,
        "fix_map": Field(dict, values=TEXT),  # character -> replacement
        "max": INTEGER,
        "unless_before": REGEX,
    }
    placeholders = frozenset({"match", "context", "fix"})  # and the patterns' named groups

    def placeholder_names(self) -> frozenset[str]:
        groups = {name for search in self.searches for name in search.pattern.compiled.groupindex}
        return self.placeholders | groups

    def compile(self, params: dict[str, Any]) -> None:
        self.compile_matcher(params)
        self.template = params.get("fix")
        self.fix_map = params.get("fix_map")
        if self.template is not None and self.fix_map is not None:
            raise self.fail("fix_map", "参数“fix”和“fix_map”只能给出其中一个")
        self.max = params.get("max")
        self.unless_before = (
            compile_pattern(self.rule, "check.unless_before", params["unless_before"])
            if "unless_before" in params
            else None
        )
        for search in self.searches:
            template = self.pattern_options.get(search.pattern.pattern, {}).get("fix", self.template)
            if template is None:
                continue
            try:
                # The template is read only when something matches: expand it on the empty
                # match of a pattern with the same groups (numbers and names).
                compiled = search.pattern.compiled
                names = {index: name for name, index in compiled.groupindex.items()}
                groups = "".join(f"(?P<{names[i]}>)" if i in names else "()" for i in range(1, compiled.groups + 1))
                regex.compile(groups).sub(template, "")
            except (regex.error, IndexError) as exc:
                raise self.fail("fix", f"修正模板有误（{template!r}）：{exc}") from None

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        # ``unless_before``: a match is fine once the pattern has occurred earlier
        # (e.g. a bare 总书记 after 习近平总书记 has been written out once).
        first_allowed: int | None = None  # looked up at the first match
        count = 0
        holds: dict[str, bool] = {}  # per-pattern conditions, evaluated when first needed
        for match in self.matches(ctx, spans):
            if first_allowed is None:
                first_allowed = len(ctx.text) + 1
                if self.unless_before is not None:
                    found = self.unless_before.search(ctx.text, timeout=ctx.regex_timeout)
                    first_allowed = found.end() if found else first_allowed
            if match.start() >= first_allowed:
                continue
            if self.max is not None and count >= self.max:
                return
            options = self.pattern_options.get(match.re.pattern) if self.pattern_options else None
            template = self.template
            severity = None
            if options:
                condition = options.get("condition")
                if condition is not None and not _holds(ctx, self.rule, condition, holds, match.re.pattern):
                    continue
                severity = options.get("severity")
                template = options.get("fix", template)
            count += 1
            start, end = match.span()
            values = {k: v or "" for k, v in match.groupdict().items()} if match.re.groupindex else {}
            values["match"] = text = match.group()
            values["context"] = context_around(ctx, start, end)
            edits: tuple[Edit, ...] = ()
            replacement = None
            if template is not None:
                replacement = match.expand(template) if template else ""
            elif self.fix_map is not None:
                replacement = "".join(self.fix_map.get(ch, ch) for ch in text)
            if replacement is not None:
                values["fix"] = replacement
                edits = (_new_edit(start, end, replacement),)
            yield Finding(start, end, values, edits, severity)


@dataclass(frozen=True)
class Pair:
    wrong: str
    right: str
    note: str = ""
    severity: str | None = None
    applies_if: str = ""  # a condition on the report (e.g. a title superseded in a given year)
    condition: Any = None  # applies_if as a program


class Substitute(MatcherMixin):
    """A wrong -> right table, inline (``pairs``) or from a TSV data file (``table``,
    optionally filtered by its ``rule`` column with ``table_rule``); the TSV's
    ``allow`` rows join the allow list."""

    kind = "substitute"
    params = {
        "pairs": Field(list, items=Field(dict, fields=PAIR_FIELDS, required=("wrong", "right"))),
        "table": DATA_FILE,  # a TSV: action pattern suggestion rule severity note applies_if
        "table_rule": TEXTS,
        "allow": REGEXES,
        "skip_inside": SKIP_INSIDE,
        "word": FLAG,
        "fix": FLAG,
    }
    placeholders = frozenset({"wrong", "right", "note", "match", "context"})

    def compile(self, params: dict[str, Any]) -> None:
        pairs: list[Pair] = []
        allow = list(params.get("allow", []))
        for item in params.get("pairs", []):
            note, severity, condition = item.get("note", ""), item.get("severity"), item.get("applies_if", "")
            pairs.append(Pair(item["wrong"], item["right"], note, severity, condition))
        if "table" in params:
            table_pairs, table_allow = self.read_table(params["table"], params.get("table_rule"))
            pairs.extend(table_pairs)
            allow.extend(regex.escape(a) for a in table_allow)
        if not pairs:
            raise self.fail("kind", "检查类型“substitute”需要参数“pairs”，或有内容的“table”")
        pairs = [self._with_condition(pair) for pair in pairs]
        self.pairs = {p.wrong: p for p in pairs}
        self.compile_matcher({**params, "terms": list(self.pairs), "allow": allow})
        self.fixable = params.get("fix", True)

    def _with_condition(self, pair: Pair) -> Pair:
        if not pair.applies_if:
            return pair
        program = compile_condition(self.rule, "check.pairs", pair.applies_if)
        return Pair(pair.wrong, pair.right, pair.note, pair.severity, pair.applies_if, program)

    def read_table(self, name: str, rules: list[str] | None) -> tuple[list[Pair], list[str]]:
        """The pairs and allowed terms of a TSV table (``action pattern suggestion`` and the
        optional ``rule severity note applies_if`` columns); a table that cannot be read or
        lacks a column is a RuleError at ``table``."""
        try:
            path = self.rule.pack.data_path(name)
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle, delimiter="\t")
                rows = list(reader)
                columns = reader.fieldnames or []
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            reason = "不是制表符分隔的文本表" if isinstance(exc, csv.Error) else os_reason(exc)
            raise self.fail("table", f"无法读取替换表 {name}：{reason}") from None
        missing = [column for column in TABLE_COLUMNS if column not in columns]
        if missing:
            raise self.fail("table", f"替换表 {name} 缺少列“{missing[0]}”（表头应有 {'、'.join(TABLE_COLUMNS)}）")
        pairs, allow = [], []
        for number, row in enumerate(rows, start=2):
            if rules and row.get("rule") not in rules:
                continue
            action = row.get("action")
            if action not in ("allow", "flag"):
                continue
            if any(row.get(column) is None for column in TABLE_COLUMNS):
                raise self.fail("table", f"替换表 {name} 第 {number} 行的列数不够")
            severity = row.get("severity") or None
            if severity is not None and severity not in SEVERITIES:
                raise self.fail("table", invalid_value(f"替换表 {name} 第 {number} 行“severity”", severity, SEVERITIES))
            if action == "allow":
                allow.append(row["pattern"])
            else:
                note, condition = row.get("note") or "", (row.get("applies_if") or "").strip()
                pairs.append(Pair(row["pattern"], row["suggestion"], note, severity, condition))
        return pairs, allow

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        holds: dict[str, bool] = {}  # the pairs' conditions, evaluated when first needed
        for match in self.matches(ctx, spans):
            pair = self.pairs[match.group()]
            if pair.condition is not None and not _holds(ctx, self.rule, pair.condition, holds, pair.wrong):
                continue
            values = {
                "wrong": pair.wrong,
                "right": pair.right,
                "note": pair.note,
                "match": pair.wrong,
                "context": context_around(ctx, match.start(), match.end()),
            }
            edits: tuple[Edit, ...] = ()
            if self.fixable and " or " not in pair.right:
                edits = (_new_edit(match.start(), match.end(), pair.right),)
            yield Finding(match.start(), match.end(), values, edits, pair.severity)
