"""Command line: ``reportlint check``, ``reportlint rules``, ``reportlint explain`` and the
commands that start the other front ends (``lsp``, ``report``, ``serve``).

Exit codes (:mod:`reportlint.app.runner`): 0 no finding at or above the fail level,
1 findings, 2 a usage, configuration, rule-file or input error (other files are still
linted).  The arguments become :class:`~reportlint.app.session.RunOptions`, which is
what the other front ends get too.
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
from reportlint.app.results import Results
from reportlint.app.rule_docs import INTERNAL_EXPLANATIONS, explain_text
from reportlint.app.runner import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, find_cross_report_duplicates, lint_paths
from reportlint.app.session import RunOptions, Session, session_for
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.errors import MISSING_DEPENDENCY, InputError
from reportlint.core.internal import UnknownCodeError
from reportlint.core.version import __version__
from reportlint.engine.config import MAX_FILE_SIZE_MB, ConfigError, show
from reportlint.engine.lint import RuleSet
from reportlint.frontends.argparse_chinese import chinese_messages
from reportlint.inputs import registry as input_formats
from reportlint.output import registry as output_formats
from reportlint.output.text import display_width as _columns
from reportlint.output.text import format_statistics
from reportlint.rules.model import CATEGORY_TITLES, SEVERITIES, Rule, RuleError

PACK_HELP = "用这个规则包检查每份报告，不论标题是否像它适用的报告（默认按各规则包的 [applies_to] 选择）"
KIND_HELP = "报告类型（须为已安装规则包的 [report_kinds] 之一；默认按标题和落款推断）"


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


def _suffix_list() -> str:
    """The suffixes reportlint reads, for the help: ``.txt、.md、.docx、.pdf``."""
    return "、".join(input_formats.suffixes())


def _listing_note() -> str:
    """How ``reportlint text`` numbers each format's lines, for its help: ``.docx 按段落，.pdf 按页和行``."""
    return "，".join(f"{r.suffixes[0]} {r.listing}" for r in input_formats.readers() if r.listing and r.suffixes)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportlint",
        description="检查政府工作报告（首个规则包：法治政府建设年度报告）是否符合合规要求。",
    )
    parser.add_argument("--version", action="version", version=f"reportlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    check = commands.add_parser("check", help=f"检查报告文件（{_suffix_list()}；目录递归；- 表示标准输入）")
    check.add_argument("paths", nargs="*", default=["."], help="文件或目录")
    check.add_argument("--format", choices=output_formats.format_names(), default="text", help="输出格式")
    check.add_argument("--select", type=_codes, help="只启用这些规则（代码或前缀，逗号分隔）")
    check.add_argument("--extend-select", type=_codes, help="在默认规则之外再启用这些规则")
    check.add_argument("--ignore", type=_codes, help="停用这些规则（代码或前缀）")
    check.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录")
    check.add_argument("--config", type=Path, help="配置文件（默认向上查找 reportlint.toml 或 pyproject.toml）")
    check.add_argument("--fail-on", choices=SEVERITIES, help="达到此级别的问题使退出码为 1（默认 warning）")
    check.add_argument("--exit-zero", action="store_true", help="发现问题时仍以 0 退出")
    check.add_argument("--kind", metavar="类型", help=KIND_HELP)
    check.add_argument("--pack", metavar="规则包", help=PACK_HELP)
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

    listing = _listing_note()
    text = commands.add_parser(
        "text", help=f"显示从文件中提取的文字及行号{f'（{listing}）' if listing else ''}，便于对照问题位置"
    )
    text.add_argument("path", help=f"报告文件（{_suffix_list()}）")
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

    schema = commands.add_parser(
        "schema", help="输出规则文件、pack.toml 或 tables.toml 的 JSON Schema，供编辑器校验和补全"
    )
    schema.add_argument(
        "what", choices=("rule", "pack", "tables"), help="rule：规则文件；pack：pack.toml；tables：tables.toml"
    )
    schema.add_argument("--output", "-o", type=Path, help="写入文件而不是标准输出")
    schema.add_argument(
        "--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录（含其自定义检查类型）"
    )

    new_rule = commands.add_parser("new-rule", help="新建一条规则：生成带示例的规则文件，再按需修改")
    new_rule.add_argument("code", help="规则代码，如 FZ512（不能与已有规则重复）")
    new_rule.add_argument("--name", required=True, help="英文名称，小写、用连字符连接，如 extra-space")
    new_rule.add_argument("--pack", help="规则包名称（如 fazhi）或目录；只装了一个规则包时可省略")
    new_rule.add_argument(
        "--check-kind", "--kind", dest="check_kind", default="forbid", metavar="检查类型",
        help="检查类型（默认 forbid；没有模板的类型会列出有模板的）",
    )  # fmt: skip
    new_rule.add_argument("--title", default="", help="简短的中文标题")
    new_rule.add_argument("--category", default="formulation", choices=tuple(CATEGORY_TITLES), help="类别")
    new_rule.add_argument("--severity", default="warning", choices=SEVERITIES, help="级别（默认 warning）")
    new_rule.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录")

    for sub in (report, serve):  # the same rule selection as check
        sub.add_argument("--select", type=_codes, help="只启用这些规则（代码或前缀，逗号分隔）")
        sub.add_argument("--extend-select", type=_codes, help="在默认规则之外再启用这些规则")
        sub.add_argument("--ignore", type=_codes, help="停用这些规则（代码或前缀）")
        sub.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录")
        sub.add_argument("--config", type=Path, help="配置文件（默认向上查找 reportlint.toml 或 pyproject.toml）")
        sub.add_argument("--kind", metavar="类型", help=KIND_HELP)
        sub.add_argument("--pack", metavar="规则包", help=PACK_HELP)
        sub.set_defaults(fail_on=None, fix=False, unsafe_fixes=False, diff=False)
    for sub in commands.choices.values():
        sub.add_argument(
            "--no-cache", action="store_true", help="不读写缓存（规则、正则表达式和语法的缓存，位置见 README）"
        )
    return parser


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
    """Codes given on the command line must name rules, ``--kind`` a report kind of the
    installed packs and ``--pack`` an installed pack: anything else is a usage error (exit 2)
    before anything is read, so a typo never makes CI pass by selecting nothing."""
    codes = [*(args.select or ()), *(args.extend_select or ()), *(args.ignore or ())]
    pack = getattr(args, "pack", None)
    if not codes and not args.kind and not pack:
        return
    ruleset = Session(RunOptions(config_path=args.config, rule_dirs=tuple(args.rules))).ruleset()
    try:
        ruleset.check_selectors(codes)
    except UnknownCodeError as exc:
        raise UsageError(str(exc)) from None
    kinds = ruleset.report_kinds()
    if args.kind and args.kind not in kinds:
        choices = "、".join(kinds) if kinds else "已安装的规则包没有定义报告类型"
        raise UsageError(f"参数 --kind：无效的取值“{show(args.kind)}”（可选：{choices}）")
    names = [p.name for p in ruleset.packs]
    if pack and pack not in names:
        choices = "、".join(names) if names else "没有安装任何规则包"
        raise UsageError(f"参数 --pack：无效的取值“{show(pack)}”（可选：{choices}）")


class UsageError(Exception):
    """A mistake on the command line (exit 2)."""


def run_check(args: argparse.Namespace) -> int:
    options = RunOptions.from_arguments(vars(args))  # (--unsafe-fixes widens --fix and --diff, as Ruff's)
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
    output_format = output_formats.get_format(args.format)
    if output_format.describes_rules or args.statistics:  # formats that name or describe the rules
        results.rules = _rules_that_ran(results, options)
    report = format_statistics(results) if args.statistics else output_format.render(results)
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
        for rule in session_for(options).rules(result.document.path)[1]:
            seen.setdefault(rule.code, rule)
    return list(seen.values())


def _ruleset(args: argparse.Namespace) -> RuleSet:
    return Session(RunOptions(rule_dirs=tuple(args.rules))).ruleset()


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


def run_schema(args: argparse.Namespace) -> int:
    """The JSON Schema of rule files or of pack.toml, with the check kinds of every pack loaded
    (built-in, configured and ``--rules``: a pack's own check kinds are in it too)."""
    from reportlint.engine.schema import pack_schema, rule_file_schema
    from reportlint.tables.schema import tables_json_schema

    _ruleset(args)  # (loading the packs registers their own check kinds)
    schemas = {"rule": rule_file_schema, "pack": pack_schema, "tables": tables_json_schema}
    schema = schemas[args.what]()
    _emit(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", args.output)
    return EXIT_CLEAN


def run_new_rule(args: argparse.Namespace) -> int:
    """``reportlint new-rule``: write a rule file with examples into a pack (see app.scaffold)."""
    from reportlint.app.scaffold import ScaffoldError, new_rule
    from reportlint.core.internal import INTERNAL_CODES

    ruleset = _ruleset(args)
    packs = {pack.name: pack for pack in ruleset.packs}
    if args.pack is None:
        if len(packs) != 1:
            _error(f"请用 --pack 指定规则包（已安装：{'、'.join(packs)}）")
            return EXIT_ERROR
        (pack,) = packs.values()
    elif args.pack in packs:
        pack = packs[args.pack]
    elif (Path(args.pack) / "pack.toml").is_file():
        from reportlint.engine.loader import load_pack

        pack = load_pack(Path(args.pack))
    else:
        _error(f"没有规则包 {args.pack}（已安装：{'、'.join(packs)}；也可给出含 pack.toml 的目录）")
        return EXIT_ERROR
    taken = {rule.code for rule in ruleset.rules} | {rule.code for rule in pack.rules} | set(INTERNAL_CODES)
    try:
        path = new_rule(
            args.code,
            args.name,
            pack,
            check_kind=args.check_kind,
            category=args.category,
            severity=args.severity,
            title=args.title,
            taken=taken,
        )
    except ScaffoldError as exc:
        _error(exc)
        return EXIT_ERROR
    print(f"已生成规则文件：{path}")
    print("接下来：")
    print("  1. 修改其中的 pattern、message、basis 和示例（bad 写会被查出的文字，«» 标出位置；good 写不应被查出的）")
    extra = "" if pack.name in packs else f" --rules {pack.directory}"
    print(f"  2. reportlint explain {args.code.upper()}{extra} 查看效果；pytest tests/test_rule_examples.py 运行示例")
    print(f"  3. 更新规则列表：python -m reportlint.app.rule_docs {pack.directory}")
    return EXIT_CLEAN


def run_text(args: argparse.Namespace) -> int:
    """Print the text reportlint extracts from a file, with the line numbers findings refer to."""
    from reportlint.inputs.reading import text_listing

    try:
        doc = Session(RunOptions(max_file_size=args.max_file_size)).read(args.path)
    except InputError as exc:
        _error(exc)
        return EXIT_ERROR
    sys.stdout.write(text_listing(doc))
    return EXIT_CLEAN


def run_lsp(args: argparse.Namespace) -> int:
    try:
        from reportlint.frontends.lsp import run_lsp as run  # imported only here: pygls/lsprotocol cost start time
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in ("pygls", "lsprotocol"):
            raise
        print(f"reportlint: 语言服务器需要 {missing}{MISSING_DEPENDENCY}", file=sys.stderr)
        return EXIT_ERROR
    return run(args)


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
        if args.command == "schema":
            return run_schema(args)
        if args.command == "new-rule":
            return run_new_rule(args)
        if args.command == "rules":
            return run_rules(args)
        if args.command == "lsp":
            return run_lsp(args)
        if args.command == "text":
            return run_text(args)
        if args.command == "report":  # (the other front ends: imported only for their command)
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
