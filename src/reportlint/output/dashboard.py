"""The dashboard as one self-contained HTML file, or as CSV (``reportlint report``).

The HTML file has inline CSS and JavaScript, no external resources and a strict
Content-Security-Policy: a matrix of reports × required parts and rule categories,
sortable and filterable; a chart of the most frequent defects (inline SVG made here);
and, per report, its text with every finding highlighted in place.  Texts are embedded
once as JSON and rendered on demand, so a dashboard of a thousand reports stays one file
that opens quickly.  The CSV is the same matrix for Excel (UTF-8 with BOM).

Everything from a report (paths, titles, text, messages) is untrusted: it is
escaped with ``html.escape`` in markup, encoded with every ``<``, ``>`` and ``&``
escaped inside the JSON block, and set with ``textContent`` by the page script.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
from collections import Counter
from datetime import datetime
from typing import Any

from reportlint.app.dashboard import CATEGORY_LABELS, Dashboard, ReportRow, TableColumn
from reportlint.app.rule_examples import example_message
from reportlint.core.diagnostics import Severity
from reportlint.output.webpage import json_for_script, web_asset
from reportlint.rules.model import Rule

__all__ = ["CHART_TOP", "render_csv", "render_html"]

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.HINT)
SEVERITY_LETTER = {Severity.ERROR: "e", Severity.WARNING: "w", Severity.INFO: "i", Severity.HINT: "h"}
PRESENT, MISSING, NOT_APPLICABLE = "有", "缺失", "—"
CHART_TOP = 15


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
    to16 = doc.utf16_offset
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


def _table_cell(row: ReportRow, column: TableColumn) -> str:
    """A report's cell of a table column: the table found or missing, or the number of
    arithmetic findings; "—" when the column's pack did not check the report."""
    value = row.tables.get(column.key)
    if value is None:
        return f'<td class="na" data-v="-1" title="不适用">{NOT_APPLICABLE}</td>'
    if column.arithmetic:
        count = int(value)
        if not count:
            return '<td data-v="0" class="zero">0</td>'
        return f'<td class="part missing" data-v="{count}" title="{_e(column.label)}">{count}</td>'
    if value:
        return f'<td class="part present" data-v="1" title="{_e(column.label)}">{PRESENT}</td>'
    return f'<td class="part missing" data-v="0" title="{_e(column.label)}">{MISSING}</td>'


def _matrix(dashboard: Dashboard) -> str:
    columns, categories, tables = dashboard.columns, dashboard.categories, dashboard.table_columns
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
    if tables:
        head.append(f'<th class="group-part" colspan="{len(tables)}">表格</th>')
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
        f'<th data-type="num" class="group-part" data-table="{_e(c.key)}" data-col="{first + len(columns) + i}" '
        f'title="{_e(c.label)}"><button type="button">{_e(c.short)}</button></th>'
        for i, c in enumerate(tables)
    ]
    first += len(tables)
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
            width = 1 + len(SEVERITY_ORDER) + len(columns) + len(tables) + len(categories)
            cells += ['<td data-v="-1">—</td>'] * width
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
                if column.key not in row.parts:  # (a pack that did not check this report)
                    cells.append(f'<td class="na" data-v="-1" title="不适用">{NOT_APPLICABLE}</td>')
                elif heading is None:
                    cells.append(f'<td class="part missing" data-v="0" title="{_e(column.label)}">{MISSING}</td>')
                else:
                    cells.append(f'<td class="part present" data-v="1" title="{_e(heading)}">{PRESENT}</td>')
            cells += [_table_cell(row, column) for column in tables]
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


def _code_example(dashboard: Dashboard) -> str:
    """``，如 FZ503`` for the filter's placeholder: the most frequent finding's code, else
    the first rule's (whatever the pack), else nothing."""
    found = Counter(d.code for row in dashboard.rows for d in row.diagnostics)
    code = found.most_common(1)[0][0] if found else min(dashboard.rules, default="")
    return f"，如 {code}" if code else ""


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
    example = _e(_code_example(dashboard))
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
<label>筛选：<input type="search" id="filter" placeholder="文件名、标题或规则代码{example}" autocomplete="off"></label>
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
<script type="application/json" id="reportlint-data">{json_for_script(payload)}</script>
<script>{script}</script>
</body>
</html>
"""


# -- CSV ----------------------------------------------------------------------------------------


def _csv_cell(value: str) -> str:
    """Keep Excel from reading a cell as a formula (report text is untrusted)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _part_text(row: ReportRow, key: str) -> str:
    if key not in row.parts:
        return NOT_APPLICABLE
    return MISSING if row.parts[key] is None else PRESENT


def _table_text(row: ReportRow, column: TableColumn) -> str | int:
    value = row.tables.get(column.key)
    if value is None:
        return NOT_APPLICABLE
    if column.arithmetic:
        return int(value)
    return PRESENT if value else MISSING


def render_csv(dashboard: Dashboard) -> str:
    """The matrix as CSV (CRLF line ends); write it as UTF-8 with BOM so Excel reads it."""
    columns, categories, tables = dashboard.columns, dashboard.categories, dashboard.table_columns
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
            *[c.label if c.arithmetic else f"表格：{c.label}" for c in tables],
            *[CATEGORY_LABELS.get(cat, cat) for cat in categories],
            "问题代码",
        ]
    )
    for row in dashboard.rows:
        if row.document is None:
            writer.writerow(
                [_csv_cell(row.path), "", _csv_cell(f"无法读取：{row.error}")]
                + [""] * (1 + len(SEVERITY_ORDER) + len(columns) + len(tables) + len(categories) + 1)
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
                *[_part_text(row, c.key) for c in columns],
                *[_table_text(row, c) for c in tables],
                *[sum(row.counts(cat).values()) for cat in categories],
                " ".join(f"{code}×{n}" for code, n in sorted(codes.items())),
            ]
        )
    return out.getvalue()
