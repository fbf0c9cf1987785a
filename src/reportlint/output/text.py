"""Output for a person: ``text`` (Ruff-like concise lines), ``full`` (with the source
line, basis and fix) and the ``--statistics`` table; the summary line they end with."""

from __future__ import annotations

import unicodedata
from collections import Counter

from reportlint.app.fixes import fixable_document
from reportlint.app.results import Results
from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.output.base import OutputFormat

__all__ = ["FORMATS", "display_width", "fix_hint", "format_full", "format_statistics", "format_text", "summary_line"]


def _context(doc: Document, diag: Diagnostic) -> str:
    """`` （位置：“首几个字…”）`` for Word documents, whose lines are paragraphs a reader cannot count."""
    context = doc.context(diag.start)
    return f"（位置：{context}）" if context else ""


def summary_line(results: Results) -> str:
    """One line on what was checked and found.  It never says 未发现问题 of files that were
    not checked: the files that could not be read are counted apart."""
    counts = Counter(d.severity.chinese for d in results.diagnostics)
    total = sum(counts.values())
    files = len(results.files)
    unread = len(results.errors) - results.unwritten - results.bad_config
    unchecked = unread + results.bad_config
    if total:
        parts = "，".join(f"{name} {counts[name]}" for name in ("错误", "警告", "提示", "建议") if counts[name])
        line = f"发现 {total} 个问题（{parts}），检查 {files} 个文件"
    elif not files:
        line = "没有检查任何文件"
    elif unchecked:
        line = f"已检查的 {files} 个文件未发现问题"
    else:
        line = f"未发现问题（检查 {files} 个文件）"
    if unread:
        line += f"；{unread} 个文件无法读取，没有检查"
    if results.bad_config:
        line += f"；{results.bad_config} 个文件的配置有误，没有检查"
    if results.written:
        line += f"；已自动修正 {results.fixed} 个问题，写回 {results.written} 个文件"
    if results.unwritten:
        line += f"；{results.unwritten} 个文件无法写回，修正没有保存"
    return line


def format_text(results: Results) -> str:
    lines = []
    for result in results.files:
        doc = result.document
        rewritable = fixable_document(doc)
        for diag in result.diagnostics:
            pos = doc.source_position(diag.start)
            fixable = " [*]" if rewritable and results.applicable(diag) else ""
            lines.append(
                f"{doc.path}:{pos}: {diag.code}{fixable} [{diag.severity.chinese}] {diag.message}{_context(doc, diag)}"
            )
    lines.append(summary_line(results))
    hint = fix_hint(results)
    if hint:
        lines.append(hint)
    return "\n".join(lines) + "\n"


def fix_hint(results: Results) -> str:
    """As Ruff's "[*] N fixable with the --fix option (M hidden fixes can be enabled with
    the --unsafe-fixes option)": what --fix would apply, and what it would leave."""
    fixes = [d.fix for f in results.files if fixable_document(f.document) for d in f.diagnostics if d.fix]
    applicable = sum(1 for fix in fixes if fix.safe or results.unsafe_fixes)
    hidden = len(fixes) - applicable
    parts = []
    if applicable:
        parts.append(f"标有 [*] 的 {applicable} 个问题可用 --fix 自动修正")
    if hidden:
        parts.append(f"另有 {hidden} 个修正需人工确认，加 --unsafe-fixes 可一并应用")
    return "；".join(parts) + "。" if parts else ""


# --format full shows this many characters either side of a finding, and at most this many
# of the finding itself: a report's paragraph is often one line thousands of characters long.
WINDOW_CONTEXT = 24
WINDOW_SPAN = 48


def display_width(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def source_window(line: str, start: int, end: int) -> tuple[str, str]:
    """The part of ``line`` around characters ``start:end`` (0-based) and the caret line
    under it, as rustc and Ruff show a long line: … where text is left out."""
    end = min(max(end, start + 1), len(line)) if line else start + 1
    left = max(0, start - WINDOW_CONTEXT)
    cut = end - start > WINDOW_SPAN
    span_end = start + WINDOW_SPAN if cut else end
    right = min(len(line), span_end + WINDOW_CONTEXT)
    before, span, after = line[left:start], line[start:span_end], line[span_end:right]
    head = "…" if left > 0 else ""
    # (a span cut short ends the window: the text after it would read as the span's)
    tail = "…" if cut else after + ("…" if right < len(line) else "")
    shown = head + before + span + tail
    caret = " " * display_width(head + before) + "^" * max(1, display_width(span))
    return shown, caret


def format_full(results: Results) -> str:
    blocks = []
    for result in results.files:
        doc = result.document
        for diag in result.diagnostics:
            pos = doc.source_position(diag.start)
            end = doc.source_position(diag.end)
            source = doc.source_line_text(pos)
            same_line = (end.page, end.line) == (pos.page, pos.line)
            stop = end.column if same_line else len(source) + 1
            shown, caret = source_window(source, pos.column - 1, max(stop - 1, pos.column))
            block = [
                f"{doc.path}:{pos}: {diag.code} {results.title(diag)}（{diag.severity.chinese}）{_context(doc, diag)}",
                f"  {diag.message}",
                f"  {pos.line:>4} | {shown}",
                f"       | {caret}",
                f"  依据：{diag.basis}",
            ]
            if diag.fix:
                block.append(f"  修正：{diag.fix.title}{'' if diag.fix.safe else '（需确认）'}")
            blocks.append("\n".join(block))
    blocks.append(summary_line(results))
    return "\n\n".join(blocks) + "\n"


def format_statistics(results: Results) -> str:
    """Counts per rule and severity, most frequent first (``--statistics``): a rule's
    findings can differ in severity (a hint in an unfinished draft, an error in the final
    report), and each is counted at the severity it was reported with."""
    counts = Counter((d.code, d.severity) for d in results.diagnostics)
    titles = {d.code: results.title(d) for d in results.diagnostics}
    fixable = {(d.code, d.severity) for f in results.files for d in f.diagnostics if results.applicable(d)}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], -item[0][1]))
    lines = [
        f"{count:>5}  {code:<6} {'[*]' if (code, severity) in fixable else '   '} {titles[code]}（{severity.chinese}）"
        for (code, severity), count in rows
    ]
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


FORMATS = (OutputFormat("text", format_text), OutputFormat("full", format_full, describes_rules=True))
