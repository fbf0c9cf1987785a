"""Command line: ``reportlint check``, ``reportlint rules``, ``reportlint explain``.

Exit codes: 0 no finding at or above the fail level, 1 findings, 2 a usage,
configuration, rule-file or input error (other files are still linted).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reportlint.app.baseline import Baseline, BaselineError, check_baseline_target, write_baseline
from reportlint.app.rule_docs import INTERNAL_EXPLANATIONS, explain_text
from reportlint.app.runner import RunOptions, find_cross_report_duplicates, lint_paths, rules_for
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.internal import UnknownCodeError
from reportlint.core.version import __version__
from reportlint.engine.config import MAX_FILE_SIZE_MB, ConfigError, find_config, load_config, show
from reportlint.engine.lint import RuleSet, load_ruleset
from reportlint.frontends.argparse_chinese import chinese_messages
from reportlint.inputs.reading import MISSING_DEPENDENCY, InputError
from reportlint.output.ci_formats import CI_FORMATTERS
from reportlint.output.formatters import FORMATTERS, Results, format_statistics
from reportlint.output.formatters import display_width as _columns
from reportlint.rules.model import CATEGORY_TITLES, SEVERITIES, Rule, RuleError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
ALL_FORMATTERS = {**FORMATTERS, **CI_FORMATTERS}


def _codes(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _megabytes(value: str) -> float:
    try:
        size = float(value)
    except ValueError:
        size = 0.0
    if not size > 0:  # (also NaN)
        raise argparse.ArgumentTypeError(f"应为正数（MB）：{show(value)}")
    if not size <= MAX_FILE_SIZE_MB:  # (also inf)
        raise argparse.ArgumentTypeError(f"过大，应不超过 {MAX_FILE_SIZE_MB}（MB）：{show(value)}")
    return size


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportlint",
        description="检查政府工作报告（首个规则包：法治政府建设年度报告）是否符合合规要求。",
    )
    parser.add_argument("--version", action="version", version=f"reportlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    check = commands.add_parser("check", help="检查报告文件（.txt、.md、.docx、.pdf；目录递归；- 表示标准输入）")
    check.add_argument("paths", nargs="*", default=["."], help="文件或目录")
    check.add_argument("--format", choices=sorted(ALL_FORMATTERS), default="text", help="输出格式")
    check.add_argument("--select", type=_codes, help="只启用这些规则（代码或前缀，逗号分隔）")
    check.add_argument("--extend-select", type=_codes, help="在默认规则之外再启用这些规则")
    check.add_argument("--ignore", type=_codes, help="停用这些规则（代码或前缀）")
    check.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录")
    check.add_argument("--config", type=Path, help="配置文件（默认向上查找 reportlint.toml 或 pyproject.toml）")
    check.add_argument("--fail-on", choices=SEVERITIES, help="达到此级别的问题使退出码为 1（默认 warning）")
    check.add_argument("--exit-zero", action="store_true", help="发现问题时仍以 0 退出")
    check.add_argument("--kind", choices=("部门", "政府", "乡镇街道"), help="报告主体类型（默认按标题推断）")
    check.add_argument("--output", "-o", type=Path, help="把结果写入文件而不是标准输出")
    check.add_argument("--fix", action="store_true", help="自动修正可安全修正的问题（原地写回，保留编码和换行符）")
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="与 --fix 或 --diff 同用：连同需人工确认的修正（接排断行、改法规名称）一并应用或显示；单独使用不修改文件",
    )
    check.add_argument("--diff", action="store_true", help="只显示修正会带来的改动（统一 diff），不写文件")
    check.add_argument("--statistics", action="store_true", help="只输出每条规则的问题数")
    check.add_argument(
        "--duplicates", action="store_true", help="同时查找各报告之间照搬的段落（RL101，跨报告比对）"
    )
    check.add_argument("--baseline", type=Path, metavar="FILE", help="忽略基线文件中已记录的问题，只报告新问题")
    check.add_argument("--write-baseline", type=Path, metavar="FILE", help="把当前全部问题写入基线文件")
    check.add_argument(
        "--jobs", "-j", type=int, default=0, metavar="N", help="并行检查的进程数（默认：全部 CPU 核心；1 为串行）"
    )
    check.add_argument("--max-file-size", type=_megabytes, metavar="MB", help="单个文件的大小上限（MB，默认 20）")

    text = commands.add_parser(
        "text", help="显示从文件中提取的文字及行号（.docx 按段落，.pdf 按页和行），便于对照问题位置"
    )
    text.add_argument("path", help="报告文件（.txt、.md、.docx、.pdf）")
    text.add_argument("--max-file-size", type=_megabytes, metavar="MB", help="文件大小上限（MB，默认 20）")

    rules = commands.add_parser("rules", help="列出全部规则")
    rules.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    rules.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录")

    explain = commands.add_parser("explain", help="说明一条规则：含义、依据和示例")
    explain.add_argument("code", help="规则代码，如 FZ503")
    explain.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录")

    commands.add_parser("lsp", help="启动语言服务器（LSP，标准输入输出），供编辑器实时检查")

    report = commands.add_parser("report", help="生成全部报告的检查总览（单个 HTML 看板或 CSV 表格）")
    report.add_argument("paths", nargs="*", default=["."], help="文件或目录")
    report.add_argument("--html", type=Path, metavar="FILE", help="把 HTML 看板写入此文件")
    report.add_argument("--format", choices=("html", "csv"), help="输出格式（默认 html）")
    report.add_argument("--output", "-o", type=Path, help="写入文件而不是标准输出")
    report.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="并行检查的进程数")
    report.add_argument(
        "--no-duplicates", dest="duplicates", action="store_false", help="不查找报告之间照搬的段落（RL101）"
    )
    serve = commands.add_parser("serve", help="启动本机自检页面：粘贴或上传报告，查看问题并自动修正")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）")
    serve.add_argument("--port", type=int, default=8765, help="端口（默认 8765；0 表示自动选择空闲端口）")
    serve.add_argument("--open", action="store_true", help="启动后在浏览器中打开页面")
    serve.add_argument(
        "--allow-host",
        action="append",
        metavar="NAME",
        help="另外接受以此主机名访问的请求（可重复，* 表示任意；内网部署时填内网域名）；"
        "不给出时，监听本机地址只接受本机地址，监听其他地址不限",
    )
    for sub in (report, serve):  # the same rule selection as check
        sub.add_argument("--select", type=_codes, help="只启用这些规则（代码或前缀，逗号分隔）")
        sub.add_argument("--extend-select", type=_codes, help="在默认规则之外再启用这些规则")
        sub.add_argument("--ignore", type=_codes, help="停用这些规则（代码或前缀）")
        sub.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录")
        sub.add_argument("--config", type=Path, help="配置文件（默认向上查找 reportlint.toml 或 pyproject.toml）")
        sub.add_argument("--kind", choices=("部门", "政府", "乡镇街道"), help="报告主体类型（默认按标题推断）")
        sub.set_defaults(fail_on=None, fix=False, unsafe_fixes=False, diff=False)
    for sub in commands.choices.values():
        sub.add_argument(
            "--no-cache", action="store_true", help="不读写缓存（规则、正则表达式和语法的缓存，位置见 README）"
        )
    return parser


def _options(args: argparse.Namespace) -> RunOptions:
    return RunOptions(
        config_path=args.config,
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        kind=args.kind,
        fail_on=args.fail_on,
        rule_dirs=tuple(args.rules),
        fix=args.fix,  # --unsafe-fixes only widens what --fix and --diff apply (as Ruff)
        unsafe_fixes=args.unsafe_fixes,
        diff=args.diff,
        max_file_size=getattr(args, "max_file_size", None),
    )


def _error(message: object) -> None:
    print(f"reportlint: {message}", file=sys.stderr)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{output}: 无法写入结果：{exc.strerror or exc}") from None


class OutputError(Exception):
    """The report could not be written where --output asked."""


def check_cli_codes(args: argparse.Namespace) -> None:
    """Codes given on the command line must name rules: an unknown one is a usage error
    (exit 2) before anything is read, so a typo never makes CI pass by selecting nothing."""
    codes = [*(args.select or ()), *(args.extend_select or ()), *(args.ignore or ())]
    if not codes:
        return
    base = load_config(args.config) if args.config else find_config(Path.cwd())
    ruleset = load_ruleset(base, args.rules)
    try:
        ruleset.check_selectors(codes)
    except UnknownCodeError as exc:
        raise UsageError(str(exc)) from None


class UsageError(Exception):
    """A mistake on the command line (exit 2)."""


def run_check(args: argparse.Namespace) -> int:
    options = _options(args)
    baseline = Baseline.load(args.baseline) if args.baseline else None
    if args.write_baseline:  # a folder that is missing, or a folder given as the file: before any work
        check_baseline_target(args.write_baseline)
    results = Results(unsafe_fixes=args.unsafe_fixes)
    if args.unsafe_fixes and not (args.fix or args.diff):
        _error("--unsafe-fixes 只扩大 --fix 和 --diff 应用的修正范围，单独使用不修改文件；要写回请同时加 --fix")
    diffs: list[str] = []
    failed = False
    for outcome in lint_paths(list(args.paths), options, jobs=args.jobs):
        if outcome.bad_config:  # the configuration's error is printed once, for its first file
            results.errors.append((outcome.path, outcome.problem))
            results.bad_config += 1
            if outcome.error:
                _error(outcome.error)
            continue
        if outcome.error:
            results.errors.append((outcome.path, outcome.problem))
            results.unwritten += outcome.result is not None  # read and checked, but not written back
            _error(outcome.error)
        if outcome.note:
            _error(outcome.note)
        if outcome.result is None:
            continue
        results.files.append(outcome.result)
        if outcome.written or args.diff:  # (fixes that could not be written are not counted)
            results.fixed += outcome.fixed
        results.written += outcome.written
        diffs.append(outcome.diff)
        if outcome.fixed_text is not None:  # --fix on standard input: the fixed text is the output
            sys.stdout.write(outcome.fixed_text)
    if args.duplicates:
        _add_duplicates(results, options, args.jobs)
    for result in results.files:
        if baseline is not None:
            result.diagnostics = baseline.filter(result.document, result.diagnostics)
        failed = failed or any(d.severity >= result.fail_severity for d in result.diagnostics)
    if args.write_baseline:
        unread = len(results.errors) - results.unwritten
        if unread:  # a baseline without the files not checked would lose their findings
            _error(f"{show(str(args.write_baseline), 200)}: {unread} 个文件没有检查，未写入基线（请先解决上面的问题）")
            return EXIT_ERROR
        count = write_baseline(args.write_baseline, ((r.document, d) for r in results.files for d in r.diagnostics))
        print(f"已把 {count} 个问题写入基线 {args.write_baseline}", file=sys.stderr)
        return EXIT_ERROR if results.errors else EXIT_CLEAN
    if args.diff:
        _emit("".join(diffs), args.output)
        fixable = sum(bool(d) for d in diffs)
        summary = f"可自动修正 {results.fixed} 个问题（{fixable} 个文件）" if fixable else "没有可自动修正的问题"
        print(summary, file=sys.stderr)
        return EXIT_ERROR if results.errors else (EXIT_FINDINGS if fixable else EXIT_CLEAN)
    if "-" in args.paths and options.fix:
        return EXIT_ERROR if results.errors else EXIT_CLEAN
    if args.format in ("sarif", "full") or args.statistics:  # formats that name or describe the rules
        results.rules = _rules_that_ran(results, options)
    report = format_statistics(results) if args.statistics else ALL_FORMATTERS[args.format](results)
    _emit(report, args.output)
    if results.errors:
        return EXIT_ERROR
    if failed and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _add_duplicates(results: Results, options: RunOptions, jobs: int) -> None:
    try:
        found = find_cross_report_duplicates(results.files, options, jobs)
    except InputError as exc:  # the configured ignore-file
        results.errors.append((exc.path, exc.problem))
        _error(exc)
        return
    for result in results.files:
        extra = found.get(result.document.path)
        if extra:
            result.diagnostics = sorted([*result.diagnostics, *extra], key=Diagnostic.sort_key)


def _rules_that_ran(results: Results, options: RunOptions) -> list[Rule]:
    """Every rule selected for at least one file (SARIF describes them all, found or not)."""
    seen: dict[str, Rule] = {}
    for result in results.files:
        for rule in rules_for(result.document.path, options)[1]:
            seen.setdefault(rule.code, rule)
    return list(seen.values())


def _ruleset(args: argparse.Namespace) -> RuleSet:
    return load_ruleset(find_config(Path.cwd()), args.rules)


def run_rules(args: argparse.Namespace) -> int:
    """Every rule of the installed packs and reportlint's own codes (RL…), with Chinese
    titles and categories: what --select, --ignore and suppressions can name."""
    from reportlint.core.internal import INTERNAL_CODES

    rules = _ruleset(args).rules
    from reportlint.app.rule_examples import example_message

    # (the message as it reads on the rule's first bad example: the JSON's only use of it)
    rows = [
        (r.code, r.title or r.name, r.category, r.severity.label, r.enabled, r.name,
         example_message(r) if args.format == "json" else "", r.basis, r.check_kind)
        for r in rules
    ]
    rows += [
        (c.code, c.title, c.category, c.severity, True, c.name, c.title, "reportlint 内部检查", "internal")
        for c in INTERNAL_CODES.values()
    ]
    if args.format == "json":
        keys = ("code", "title", "category", "severity", "enabled", "name", "message", "basis", "kind")
        payload = [dict(zip(keys, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return EXIT_CLEAN
    width = max(_columns(title) for _, title, *_ in rows)
    for code, title, category, severity, enabled, *_ in rows:
        flag = "" if enabled else "（默认关闭）"
        pad = " " * (width - _columns(title))
        chinese = Severity.parse(severity).chinese
        print(f"{code:<6}  {title}{pad}  {CATEGORY_TITLES.get(category, category)}  {chinese}{flag}")
    return EXIT_CLEAN


def run_explain(args: argparse.Namespace) -> int:
    code = args.code.upper()
    if code in INTERNAL_EXPLANATIONS:
        sys.stdout.write(INTERNAL_EXPLANATIONS[code])
        return EXIT_CLEAN
    rule = _ruleset(args).by_code(code)
    if rule is None:
        print(f"reportlint: 没有规则 {args.code}（用 reportlint rules 查看全部规则）", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(explain_text(rule))
    return EXIT_CLEAN


def run_text(args: argparse.Namespace) -> int:
    """Print the text reportlint extracts from a file, with the line numbers findings refer to."""
    from reportlint.inputs.reading import InputError, read_path, text_listing

    try:
        start = Path(args.path).resolve().parent
    except (OSError, RuntimeError):  # a symlink loop: read_path reports it below
        start = Path.cwd()
    size = args.max_file_size or find_config(start).max_file_size
    try:
        doc = read_path(args.path, max_bytes=int(size * 1024 * 1024))
    except InputError as exc:
        _error(exc)
        return EXIT_ERROR
    sys.stdout.write(text_listing(doc))
    return EXIT_CLEAN


def run_lsp() -> int:
    try:
        from reportlint.frontends.lsp import serve  # imported only here: pygls/lsprotocol cost start time
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in ("pygls", "lsprotocol"):
            raise
        print(f"reportlint: 语言服务器需要 {missing}{MISSING_DEPENDENCY}", file=sys.stderr)
        return EXIT_ERROR
    return serve()


def main(argv: Sequence[str] | None = None) -> int:
    # Reports and messages are Chinese: never let a legacy console encoding crash output.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    with chinese_messages():
        args = build_parser().parse_args(argv)
    if args.no_cache:  # before anything loads: the caches read this (and worker processes inherit it)
        os.environ["REPORTLINT_NO_CACHE"] = "1"
    try:
        if args.command in ("check", "report", "serve"):
            check_cli_codes(args)
        if args.command == "check":
            return run_check(args)
        if args.command == "rules":
            return run_rules(args)
        if args.command == "lsp":
            return run_lsp()
        if args.command == "text":
            return run_text(args)
        if args.command == "report":
            from reportlint.frontends.dashboard import run_report

            return run_report(args)
        if args.command == "serve":
            from reportlint.frontends.serve import run_serve

            return run_serve(args)
        return run_explain(args)
    except (RuleError, ConfigError, BaselineError, OutputError, UsageError) as exc:
        print(f"reportlint: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`reportlint rules | head`): stop quietly, and keep the
        # interpreter's final flush of stdout from failing again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
