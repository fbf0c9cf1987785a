"""``reportlint report PATH... --html out.html`` / ``--format csv``: the repository dashboard.

The command only turns its arguments into :class:`~reportlint.app.session.RunOptions`,
collects the dashboard's data (:mod:`reportlint.app.dashboard`, linting as ``reportlint
check`` does) and writes it as rendered by :mod:`reportlint.output.dashboard`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reportlint.app.dashboard import DiagnosticSource, collect
from reportlint.app.runner import EXIT_CLEAN, EXIT_ERROR, find_cross_report_duplicates
from reportlint.app.session import RunOptions
from reportlint.core.errors import InputError
from reportlint.output.dashboard import render_csv, render_html

__all__ = ["DEFAULT_HTML", "run_report"]

DEFAULT_HTML = "报告总览.html"


def run_report(args: argparse.Namespace) -> int:
    """``reportlint report``: exit 0 when written, 2 on a usage error or when a file was unreadable."""
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

    options, jobs = RunOptions.from_arguments(vars(args)), getattr(args, "jobs", 0)
    sources: list[DiagnosticSource] = []
    if getattr(args, "duplicates", False):
        sources.append(lambda files: find_cross_report_duplicates(files, options, jobs))
    try:
        dashboard = collect(list(args.paths), options, jobs=jobs, extra_sources=sources, on_error=report_error)
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
        what = "看板" if fmt == "html" else "表格"
        print(f"已生成{what}：{output}（{readable} 份报告，{problems} 个问题）", file=sys.stderr)
    return EXIT_ERROR if any(r.error for r in dashboard.rows) else EXIT_CLEAN
