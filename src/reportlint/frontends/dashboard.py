"""The repository dashboard: ``reportlint report PATH... --html out.html`` / ``--format csv``.

One self-contained HTML file (inline CSS and JavaScript, no external resources,
a strict Content-Security-Policy): a matrix of reports × required parts and rule
categories, sortable and filterable; a chart of the most frequent defects (inline
SVG made here); and, per report, its text with every finding highlighted in place.
Texts are embedded once as JSON and rendered on demand, so a dashboard of a
thousand reports stays one file that opens quickly.  The CSV is the same matrix
for Excel (UTF-8 with BOM).

Everything from a report (paths, titles, text, messages) is untrusted: it is
escaped with ``html.escape`` in markup, encoded with every ``<``, ``>`` and ``&``
escaped inside the JSON block, and set with ``textContent`` by the page script.

Extra diagnostics (e.g. cross-report duplicates) plug in through ``collect``'s
``extra_sources``: each source gets every linted file and returns diagnostics by
path; they are shown like any other finding, whatever their code or category.
"""

from __future__ import annotations

import argparse
import base64
import bisect
import csv
import hashlib
import html
import io
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from reportlint.app.rule_examples import example_message
from reportlint.app.runner import config_for, find_cross_report_duplicates, lint_paths
from reportlint.checks.context import LintContext
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.engine.lint import load_ruleset
from reportlint.inputs.reading import InputError
from reportlint.output.formatters import FileResult, Results, diagnostic_json
from reportlint.rules.model import CATEGORY_TITLES, Pack, Part, Rule

__all__ = [
    "CATEGORY_LABELS",
    "Dashboard",
    "DiagnosticSource",
    "PartColumn",
    "ReportRow",
    "collect",
    "diagnostic_payload",
    "render_csv",
    "render_html",
    "run_report",
    "utf16_offsets",
]

# Chinese names of the rule categories; an unknown category shows as itself.
CATEGORY_LABELS = CATEGORY_TITLES
# Short column headers for the parts of pack.toml (the full label is the tooltip).
PART_SHORT_LABELS = {
    "achievements": "举措成效",
    "shortcomings": "不足原因",
    "responsibility": "第一责任人",
    "plan": "下年安排",
}
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.HINT)
SEVERITY_LETTER = {Severity.ERROR: "e", Severity.WARNING: "w", Severity.INFO: "i", Severity.HINT: "h"}
PRESENT, MISSING = "有", "缺失"
CHART_TOP = 15

# Diagnostics from outside the rule engine, by path (the path of the FileResult's document).
DiagnosticSource = Callable[[Sequence[FileResult]], Mapping[str, Iterable[Diagnostic]]]

_ASTRAL = regex.compile(r"[\U00010000-\U0010FFFF]")
_WEB = resources.files("reportlint.frontends") / "web"


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Map code-point offsets of ``text`` to UTF-16 offsets (JavaScript string indices)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect.bisect_left(astral, offset)


def web_asset(name: str) -> str:
    """The text of a file shipped in ``reportlint/web``."""
    return (_WEB / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class PartColumn:
    """A required part of a pack (pack.toml ``[parts.*]``) and the rules that report it missing."""

    pack: str
    name: str
    label: str
    part: Part
    missing_codes: frozenset[str]
    source: Pack | None = field(default=None, compare=False)  # the pack, for the parts' structure

    @property
    def key(self) -> str:
        return f"{self.pack}.{self.name}"

    @property
    def short(self) -> str:
        return PART_SHORT_LABELS.get(self.name, self.label)


def _missing_part_codes(pack: Pack, name: str) -> frozenset[str]:
    """Codes of the pack's ``section`` rules that fire exactly when part ``name`` is absent."""
    return frozenset(
        rule.code
        for rule in pack.rules
        if rule.check_kind == "section"
        and rule.params.get("part") == name
        and not rule.params.get("contains")
        and not rule.params.get("contains_pattern")
    )


def part_columns(packs: Iterable[Pack]) -> list[PartColumn]:
    return [
        PartColumn(pack.name, name, part.label, part, _missing_part_codes(pack, name), pack)
        for pack in packs
        for name, part in pack.parts.items()
        if part.required
    ]


@dataclass
class ReportRow:
    """One input: a linted document with its findings, or a file that could not be read."""

    path: str
    document: Document | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    title: str = ""
    # PartColumn.key -> the heading where the part was found, or None when it is missing.
    parts: dict[str, str | None] = field(default_factory=dict)
    error: str | None = None

    def counts(self, category: str | None = None) -> Counter[Severity]:
        return Counter(d.severity for d in self.diagnostics if category is None or d.category == category)

    def missing(self, columns: Sequence[PartColumn]) -> list[PartColumn]:
        return [c for c in columns if c.key in self.parts and self.parts[c.key] is None]


@dataclass
class Dashboard:
    rows: list[ReportRow]
    columns: list[PartColumn]
    rules: dict[str, Rule] = field(default_factory=dict)  # code -> rule, for names and chart labels
    rule_categories: list[str] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """The categories of the loaded rules, then any other category a diagnostic has."""
        order = list(CATEGORY_LABELS)
        known = sorted(set(self.rule_categories), key=lambda c: (order.index(c) if c in order else len(order), c))
        extra = sorted({d.category for r in self.rows for d in r.diagnostics} - set(known))
        return known + extra

    @property
    def results(self) -> Results:
        return Results(
            [FileResult(r.document, r.diagnostics) for r in self.rows if r.document is not None],
            [(r.path, r.error) for r in self.rows if r.error is not None],
        )

    def add_diagnostics(self, path: str, diagnostics: Iterable[Diagnostic]) -> None:
        """Show extra findings for ``path`` (the row's path or its document's path; the hook
        for checks outside the rule engine)."""
        for row in self.rows:
            if row.document is not None and path in (row.path, row.document.path):
                row.diagnostics = sorted([*row.diagnostics, *diagnostics], key=Diagnostic.sort_key)
                return
        raise KeyError(path)


def part_headings(ctx: LintContext, columns: Iterable[PartColumn]) -> dict[str, str | None]:
    """The heading each required part was found under (``LintContext.part_sections``, what the
    ``section(...)`` function of expr rules uses), or None when it has none."""
    found: dict[str, str | None] = {}
    for column in columns:
        sections = ctx.part_sections(column.part, column.source)
        if not sections:
            found[column.key] = None
        else:  # (a report without headings: its whole body is the part, with no heading of its own)
            heading = sections[0].heading
            found[column.key] = heading.title if heading is not None else ""
    return found


def part_presence(
    ctx: LintContext, columns: Sequence[PartColumn], diagnostics: Sequence[Diagnostic]
) -> dict[str, str | None]:
    """Which required parts a report has, by the rules' own logic: a part is present when its
    heading is found and no missing-part rule of that part fired.  Values are the heading's
    words, or None when the part is missing."""
    return _apply_fired(part_headings(ctx, columns), columns, diagnostics)


def _apply_fired(
    found: dict[str, str | None], columns: Iterable[PartColumn], diagnostics: Iterable[Diagnostic]
) -> dict[str, str | None]:
    fired = {d.code for d in diagnostics}
    for column in columns:
        if column.key in found and column.missing_codes & fired:
            found[column.key] = None
    return found


def collect(
    paths: Sequence[str],
    args: argparse.Namespace,
    extra_sources: Sequence[DiagnosticSource] = (),
    on_error: Callable[[str], None] | None = None,
) -> Dashboard:
    """Lint ``paths`` exactly as ``reportlint check`` would (same configuration discovery and
    ``--select``/``--ignore``/``--rules``/``--kind``/``--config`` options in ``args``), then
    add the diagnostics of ``extra_sources`` and work out each report's required parts.
    ``on_error`` gets the one-line message of each file that could not be read."""
    from reportlint.frontends.cli import _options  # cli imports this module lazily: no import cycle

    options = _options(args)
    rows: list[ReportRow] = []
    packs: dict[int, Pack] = {}
    columns_by_dir: dict[str, list[PartColumn]] = {}

    def columns_for(path: str) -> list[PartColumn]:
        directory = str(Path(path).parent)
        if directory not in columns_by_dir:
            ruleset = load_ruleset(config_for(path, options), options.rule_dirs)
            packs.update((id(p), p) for p in ruleset.packs)
            columns_by_dir[directory] = part_columns(ruleset.packs)
        return columns_by_dir[directory]

    # Titles and part headings are worked out while the worker processes lint the next files.
    for outcome in lint_paths(list(paths), options, jobs=getattr(args, "jobs", 0)):
        if outcome.error and on_error:
            on_error(outcome.error)
        if outcome.result is None:
            rows.append(ReportRow(outcome.path, error=outcome.problem or outcome.error))
            continue
        doc = outcome.result.document
        ctx = LintContext(doc)
        row = ReportRow(doc.path, doc, outcome.result.diagnostics, title=ctx.outline.title)
        row.parts = part_headings(ctx, columns_for(outcome.path))
        rows.append(row)
    if not packs:  # nothing readable: still show the columns of the default rules
        columns_for(str(Path.cwd() / "-"))
    columns = list({c.key: c for cs in columns_by_dir.values() for c in cs}.values())
    rules = {rule.code: rule for pack in packs.values() for rule in pack.rules}
    dashboard = Dashboard(rows, columns, rules, sorted({r.category for r in rules.values()}))
    results = dashboard.results.files
    for source in extra_sources:
        for path, found in source(results).items():
            dashboard.add_diagnostics(path, found)
    for row in rows:
        _apply_fired(row.parts, columns, row.diagnostics)
    return dashboard


# -- shared with the self-check page ------------------------------------------------------------


def diagnostic_payload(doc: Document, diag: Diagnostic, to16: Callable[[int], int]) -> dict[str, Any]:
    """``--format json``'s diagnostic plus UTF-16 ``start``/``end`` offsets for the page script."""
    item = diagnostic_json(doc, diag)
    item["start"], item["end"] = to16(diag.start), to16(diag.end)
    item["data"] = dict(diag.data)
    return item


def _json_for_script(payload: Any) -> str:
    """JSON safe inside a <script> element whatever the strings contain."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _rule_text(rule: Rule | None, sample: str) -> str:
    """What the dashboard says a rule finds: its message as its first bad example renders it
    (never the template), or for a finding without a rule file, a message of its own."""
    return example_message(rule) if rule is not None else sample


def _gist(rule: Rule | None, sample: str) -> str:
    """A short Chinese description of a rule for chart labels: its rendered message without
    the example's quoted context, up to the first clause break."""
    text = _rule_text(rule, sample)
    if rule is not None:
        text = _without_context(rule.message, text)
    text = _first_clause(text) or text
    return text if len(text) <= 18 else text[:17] + "…"


def _first_clause(text: str) -> str:
    """``text`` up to its first clause break outside quotes and brackets (a rendered message
    quotes the example's words, which may have breaks of their own: “学法，尊法，守法”)."""
    depth = 0
    for index, char in enumerate(text):
        if char in "“《（":
            depth += 1
        elif char in "”》）":
            depth = max(0, depth - 1)
        elif depth == 0 and char in "，。；：！？":
            return text[:index]
    return text


_CONTEXT_LEAD = "“{context}”"


def _without_context(template: str, message: str) -> str:
    """``message`` (rendered from ``template``) without a leading “{context}”: the words
    around the example's finding say nothing about the findings a chart bar counts."""
    if not template.startswith(_CONTEXT_LEAD):
        return message
    # The template's words after the context, up to its next placeholder, start the rest.
    follow = template[len(_CONTEXT_LEAD) :].split("{", 1)[0]
    at = message.find(follow, 1) if follow else -1
    return message[at:].lstrip("中的：") if at > 0 else message


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


# -- HTML ---------------------------------------------------------------------------------------


def _report_data(row: ReportRow, dashboard: Dashboard, codes: dict[str, dict[str, str]]) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": row.path, "title": row.title}
    if row.document is None:
        entry.update(error=row.error, text="", diagnostics=[], missing=[])
        return entry
    doc = row.document
    to16 = utf16_offsets(doc.text)
    diagnostics = []
    for diag in row.diagnostics:
        rule = dashboard.rules.get(diag.code)
        info = codes.get(diag.code)
        if info is None:
            info = codes[diag.code] = {
                "name": diag.name,
                "category": diag.category,
                "basis": diag.basis,
                "gist": _gist(rule, diag.message),
            }
        pos = doc.position(diag.start)
        item: dict[str, Any] = {
            "s": to16(diag.start),
            "e": to16(diag.end),
            "l": pos.line,
            "c": pos.column,
            "k": diag.code,
            "v": SEVERITY_ORDER.index(diag.severity),
            "m": diag.message,
        }
        if diag.basis != info["basis"]:
            item["b"] = diag.basis
        if diag.fix is not None:
            item["f"] = diag.fix.title
            if not diag.fix.safe:
                item["u"] = 1
        if diag.data:
            item["x"] = dict(diag.data)
        diagnostics.append(item)
    entry.update(
        error=None,
        text=doc.text,
        diagnostics=diagnostics,
        missing=[c.label for c in row.missing(dashboard.columns)],
    )
    return entry


def _severity_badges(counts: Counter[Severity]) -> str:
    return "".join(
        f'<span class="b {SEVERITY_LETTER[s]}" title="{s.chinese} {counts[s]}">{counts[s]}</span>'
        for s in SEVERITY_ORDER
        if counts[s]
    )


def _severity_key(counts: Counter[Severity]) -> int:
    """Sort key: errors first, then warnings, info, hints."""
    return sum(counts[s] * 1000 ** (int(s) - 1) for s in SEVERITY_ORDER)


def _matrix(dashboard: Dashboard) -> str:
    columns, categories = dashboard.columns, dashboard.categories
    head = [
        '<th data-type="text" rowspan="2"><button type="button">报告</button></th>',
        '<th data-type="num" rowspan="2"><button type="button">问题</button></th>',
    ]
    head += [
        f'<th data-type="num" rowspan="2" class="sev-{s.label}"><button type="button">{s.chinese}</button></th>'
        for s in SEVERITY_ORDER
    ]
    if columns:
        head.append(f'<th class="group-part" colspan="{len(columns)}">必备部分</th>')
    if categories:
        head.append(f'<th class="group-cat" colspan="{len(categories)}">规则类别</th>')
    # The second header row's cells sit under the first row's groups: data-col gives each
    # its column in the body, which its position in its own row does not.
    first = 2 + len(SEVERITY_ORDER)
    sub = [
        f'<th data-type="num" class="group-part" data-part="{_e(c.key)}" data-col="{first + i}" '
        f'title="{_e(c.label)}"><button type="button">{_e(c.short)}</button></th>'
        for i, c in enumerate(columns)
    ]
    sub += [
        f'<th data-type="num" class="group-cat" data-category="{_e(cat)}" data-col="{first + len(columns) + i}" '
        f'title="{_e(cat)}"><button type="button">{_e(CATEGORY_LABELS.get(cat, cat))}</button></th>'
        for i, cat in enumerate(categories)
    ]
    body = []
    for index, row in enumerate(dashboard.rows):
        codes = sorted({d.code for d in row.diagnostics})
        search = " ".join([row.path, row.title, *codes, row.error or ""]).lower()
        if row.document is None:
            flags = ["unreadable"]
            cells = [
                f'<td class="report" data-v="{_e(row.path)}"><a href="#r-{index}">{_e(row.path)}</a>'
                f'<div class="error-text">无法读取：{_e(row.error)}</div></td>'
            ]
            cells += ['<td data-v="-1">—</td>'] * (1 + len(SEVERITY_ORDER) + len(columns) + len(categories))
        else:
            counts = row.counts()
            missing = row.missing(columns)
            flags = ["readable"]
            flags += ["error"] if counts[Severity.ERROR] else []
            flags += ["missing"] if missing else []
            flags += ["clean"] if not row.diagnostics else []
            title = f'<div class="title">{_e(row.title)}</div>' if row.title else ""
            cells = [
                f'<td class="report" data-v="{_e(row.path)}"><a href="#r-{index}">{_e(row.path)}</a>{title}</td>',
                f'<td data-v="{len(row.diagnostics)}">{len(row.diagnostics)}</td>',
            ]
            cells += [
                f'<td data-v="{counts[s]}" class="{"zero" if not counts[s] else "sev-" + s.label}">{counts[s]}</td>'
                for s in SEVERITY_ORDER
            ]
            for column in columns:
                heading = row.parts.get(column.key)
                if heading is None:
                    cells.append(f'<td class="part missing" data-v="0" title="{_e(column.label)}">{MISSING}</td>')
                else:
                    cells.append(f'<td class="part present" data-v="1" title="{_e(heading)}">{PRESENT}</td>')
            for category in categories:
                found = row.counts(category)
                if found:
                    cells.append(f'<td data-v="{_severity_key(found)}">{_severity_badges(found)}</td>')
                else:
                    cells.append('<td data-v="0" class="zero">0</td>')
        body.append(
            f'<tr id="row-{index}" data-i="{index}" data-flags="{" ".join(flags)}" data-search="{_e(search)}"'
            f'{" class=err" if row.document is None else ""}>{"".join(cells)}</tr>'
        )
    return (
        '<table class="matrix" id="matrix"><thead>'
        f"<tr>{''.join(head)}</tr><tr>{''.join(sub)}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _chart(dashboard: Dashboard, top: int = CHART_TOP) -> str:
    """Horizontal bars: the most frequent findings across all reports, as inline SVG."""
    counts: Counter[str] = Counter()
    reports: Counter[str] = Counter()
    severity: dict[str, Counter[Severity]] = {}
    sample: dict[str, str] = {}
    for row in dashboard.rows:
        for code in {d.code for d in row.diagnostics}:
            reports[code] += 1
        for diag in row.diagnostics:
            counts[diag.code] += 1
            severity.setdefault(diag.code, Counter())[diag.severity] += 1
            sample.setdefault(diag.code, diag.message)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    if not ranked:
        return '<p class="muted">没有发现问题。</p>'
    label_w, bar_w, row_h, count_w = 300, 420, 26, 150
    width, height = label_w + bar_w + count_w, row_h * len(ranked) + 8
    most = ranked[0][1]
    bars = []
    for index, (code, count) in enumerate(ranked):
        y = 4 + index * row_h
        rule = dashboard.rules.get(code)
        worst = severity[code].most_common(1)[0][0]
        gist = _gist(rule, sample[code])
        length = max(2, round(bar_w * count / most))
        tip = f"{code}：{_rule_text(rule, sample[code])}（{count} 处，{reports[code]} 份报告）"
        bars.append(
            f'<g class="bar" data-code="{_e(code)}" data-count="{count}"><title>{_e(tip)}</title>'
            f'<rect class="track" x="0" y="{y}" width="{width}" height="{row_h}"/>'
            f'<text x="4" y="{y + 17}"><tspan font-weight="600">{_e(code)}</tspan> {_e(gist)}</text>'
            f'<rect class="sev-{worst.label}" x="{label_w}" y="{y + 5}" width="{length}" height="{row_h - 10}" rx="2"/>'
            f'<text class="count" x="{label_w + length + 6}" y="{y + 17}">{count} 处 · {reports[code]} 份</text></g>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="最常见的问题">{"".join(bars)}</svg>'
    )


def render_html(dashboard: Dashboard, generated: datetime | None = None) -> str:
    """The dashboard as one self-contained HTML document."""
    generated = generated or datetime.now()
    codes: dict[str, dict[str, str]] = {}
    reports = [_report_data(row, dashboard, codes) for row in dashboard.rows]
    payload = {"version": 1, "codes": codes, "reports": reports}
    script = web_asset("highlight.js") + "\n" + web_asset("dashboard.js")
    style = web_asset("common.css") + "\n" + web_asset("dashboard.css")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {_csp_hash(script)}"

    readable = [r for r in dashboard.rows if r.document is not None]
    total = Counter(d.severity for r in readable for d in r.diagnostics)
    unreadable = len(dashboard.rows) - len(readable)
    with_missing = sum(1 for r in readable if r.missing(dashboard.columns))
    tiles = [
        ("报告", len(readable)),
        ("问题", sum(total.values())),
        *[(s.chinese, total[s]) for s in SEVERITY_ORDER],
        ("缺少必备部分的报告", with_missing),
    ]
    if unreadable:
        tiles.append(("无法读取的文件", unreadable))
    tile_html = "".join(f'<div class="tile"><b>{n}</b>{_e(label)}</div>' for label, n in tiles)
    missing_lines = "".join(
        f"<li>{_e(c.label)}：{n} 份</li>"
        for c in dashboard.columns
        if (n := sum(1 for r in readable if r.parts.get(c.key, "") is None))
    )
    missing_html = f'<ul class="missing-summary">{missing_lines}</ul>' if missing_lines else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="reportlint">
<title>报告检查总览</title>
<style>
{style}
</style>
</head>
<body>
<header class="top"><h1>报告检查总览</h1>
<div class="sub">reportlint 生成于 {_e(generated.strftime("%Y-%m-%d %H:%M"))}。
点击列标题排序，点击报告名查看全文和问题。</div>
</header>
<main>
<div class="summary">{tile_html}</div>
{missing_html}
<h2>最常见的问题（前 {CHART_TOP} 项，点击条形筛选报告）</h2>
<div class="chart">{_chart(dashboard)}</div>
<h2>报告 × 必备部分和规则类别</h2>
<div class="controls">
<label>筛选：<input type="search" id="filter" placeholder="文件名、标题或规则代码，如 FZ503" autocomplete="off"></label>
<label>显示：<select id="show">
<option value="all">全部</option>
<option value="error">有错误级问题的</option>
<option value="missing">缺少必备部分的</option>
<option value="clean">未发现问题的</option>
<option value="unreadable">无法读取的</option>
</select></label>
<span id="row-count" class="muted"></span>
</div>
<noscript><p>浏览器禁用了脚本：表格可以查看，但排序、筛选和报告全文需要启用脚本。</p></noscript>
<div class="table-wrap">{_matrix(dashboard)}</div>
<section id="detail" hidden></section>
</main>
<script type="application/json" id="reportlint-data">{_json_for_script(payload)}</script>
<script>{script}</script>
</body>
</html>
"""


# -- CSV ----------------------------------------------------------------------------------------


def _csv_cell(value: str) -> str:
    """Keep Excel from reading a cell as a formula (report text is untrusted)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_csv(dashboard: Dashboard) -> str:
    """The matrix as CSV (CRLF line ends); write it as UTF-8 with BOM so Excel reads it."""
    columns, categories = dashboard.columns, dashboard.categories
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "文件",
            "标题",
            "状态",
            "问题总数",
            *[s.chinese for s in SEVERITY_ORDER],
            *[c.label for c in columns],
            *[CATEGORY_LABELS.get(cat, cat) for cat in categories],
            "问题代码",
        ]
    )
    for row in dashboard.rows:
        if row.document is None:
            writer.writerow(
                [_csv_cell(row.path), "", _csv_cell(f"无法读取：{row.error}")]
                + [""] * (1 + len(SEVERITY_ORDER) + len(columns) + len(categories) + 1)
            )
            continue
        counts = row.counts()
        codes = Counter(d.code for d in row.diagnostics)
        writer.writerow(
            [
                _csv_cell(row.path),
                _csv_cell(row.title),
                "正常",
                len(row.diagnostics),
                *[counts[s] for s in SEVERITY_ORDER],
                *[MISSING if row.parts.get(c.key) is None else PRESENT for c in columns],
                *[sum(row.counts(cat).values()) for cat in categories],
                " ".join(f"{code}×{n}" for code, n in sorted(codes.items())),
            ]
        )
    return out.getvalue()


# -- command ------------------------------------------------------------------------------------

# Checks outside the rule engine that the dashboard runs over all files (e.g. cross-report
# duplicates): the lead adds them here.
EXTRA_SOURCES: tuple[DiagnosticSource, ...] = ()


DEFAULT_HTML = "报告总览.html"


def run_report(args: argparse.Namespace) -> int:
    """``reportlint report``: exit 0 when written, 2 on a usage error or when a file was unreadable."""
    from reportlint.frontends.cli import EXIT_CLEAN, EXIT_ERROR

    fmt = args.format or "html"
    output: Path | None = args.output
    if args.html is not None:
        if args.format == "csv" or (output is not None and output != args.html):
            print("reportlint: --html 不能与 --format csv 或另一个 --output 同时使用", file=sys.stderr)
            return EXIT_ERROR
        fmt, output = "html", args.html
    if fmt == "html" and output is None:  # a 400 KB page is no terminal output
        output = Path(DEFAULT_HTML)

    def report_error(message: str) -> None:
        print(f"reportlint: {message}", file=sys.stderr)

    from reportlint.frontends.cli import _options

    sources = list(EXTRA_SOURCES)
    if getattr(args, "duplicates", False):
        options, jobs = _options(args), getattr(args, "jobs", 0)
        sources.append(lambda files: find_cross_report_duplicates(files, options, jobs))
    try:
        dashboard = collect(list(args.paths), args, sources, on_error=report_error)
    except InputError as exc:  # the duplicate finder's configured ignore-file
        report_error(str(exc))
        return EXIT_ERROR
    text = render_html(dashboard) if fmt == "html" else render_csv(dashboard)
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        if output is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode(encoding))
            sys.stdout.buffer.flush()
        else:
            output.write_bytes(text.encode(encoding))
    except OSError as exc:
        print(f"reportlint: {output}: 无法写入：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    if output is not None:
        readable = sum(1 for r in dashboard.rows if r.document is not None)
        problems = sum(len(r.diagnostics) for r in dashboard.rows)
        kind = "看板" if fmt == "html" else "表格"
        print(f"已生成{kind}：{output}（{readable} 份报告，{problems} 个问题）", file=sys.stderr)
    return EXIT_ERROR if any(r.error for r in dashboard.rows) else EXIT_CLEAN
