"""Command line: ``reportlint check``, ``reportlint rules``, ``reportlint explain``.

Exit codes: 0 no finding at or above the fail level, 1 findings, 2 a usage,
configuration, rule-file or input error (other files are still linted).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from reportlint import __version__
from reportlint.config import Config, ConfigError, find_config, load_config
from reportlint.engine import RuleSet, lint_document, load_ruleset
from reportlint.formatters import FORMATTERS, FileResult, Results
from reportlint.reading import InputError, iter_report_files, read_path
from reportlint.rules import SEVERITIES, Rule, RuleError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportlint",
        description="检查政府工作报告（首个规则包：法治政府建设年度报告）是否符合合规要求。",
    )
    parser.add_argument("--version", action="version", version=f"reportlint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="检查报告文件（.txt、.md；目录递归；- 表示标准输入）")
    check.add_argument("paths", nargs="*", default=["."], help="文件或目录")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="输出格式")
    check.add_argument("--select", type=_codes, help="只启用这些规则（代码或前缀，逗号分隔）")
    check.add_argument("--extend-select", type=_codes, help="在默认规则之外再启用这些规则")
    check.add_argument("--ignore", type=_codes, help="停用这些规则（代码或前缀）")
    check.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR", help="增加规则包目录")
    check.add_argument("--config", type=Path, help="配置文件（默认向上查找 reportlint.toml 或 pyproject.toml）")
    check.add_argument("--fail-on", choices=SEVERITIES, help="达到此级别的问题使退出码为 1（默认 warning）")
    check.add_argument("--exit-zero", action="store_true", help="发现问题时仍以 0 退出")
    check.add_argument("--kind", choices=("部门", "政府", "乡镇街道"), help="报告主体类型（默认按标题推断）")
    check.add_argument("--output", type=Path, help="把结果写入文件而不是标准输出")

    rules = commands.add_parser("rules", help="列出全部规则")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR")

    explain = commands.add_parser("explain", help="说明一条规则：含义、依据和示例")
    explain.add_argument("code")
    explain.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR")
    return parser


def _config_for(path: str, args: argparse.Namespace) -> Config:
    if args.config is not None:
        base = load_config(args.config)
    else:
        start = Path.cwd() if path == "-" else Path(path).resolve().parent
        base = find_config(start)
    profile = dict(base.profile)
    if args.kind:
        profile["kind"] = args.kind
    return base.merged(
        select=args.select,
        extend_select=(base.extend_select + args.extend_select) if args.extend_select else None,
        ignore=(base.ignore + args.ignore) if args.ignore else None,
        fail_on=args.fail_on,
        profile=profile,
    )


def run_check(args: argparse.Namespace) -> int:
    results = Results()
    fail_level = None
    for item in iter_report_files(list(args.paths)):
        if isinstance(item, InputError):
            results.errors.append((item.path, item.problem))
            print(f"reportlint: {item}", file=sys.stderr)
            continue
        config = _config_for(item, args)
        ruleset = load_ruleset(config, args.rules)
        try:
            doc = read_path(item)
        except InputError as exc:
            results.errors.append((exc.path, exc.problem))
            print(f"reportlint: {exc}", file=sys.stderr)
            continue
        diagnostics = lint_document(doc, ruleset.select(config, item), config)
        results.files.append(FileResult(doc, diagnostics))
        level = config.fail_severity
        if any(d.severity >= level for d in diagnostics):
            fail_level = level
    output = FORMATTERS[args.format](results)
    if args.output:
        args.output.write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    if results.errors:
        return EXIT_ERROR
    if fail_level is not None and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _ruleset(args: argparse.Namespace) -> RuleSet:
    return load_ruleset(find_config(Path.cwd()), args.rules)


def run_rules(args: argparse.Namespace) -> int:
    rules = _ruleset(args).rules
    if args.format == "json":
        payload = [
            {
                "code": r.code,
                "name": r.name,
                "category": r.category,
                "severity": r.severity.label,
                "enabled": r.enabled,
                "message": r.message,
                "basis": r.basis,
                "kind": r.check_kind,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return EXIT_CLEAN
    for r in rules:
        flag = "" if r.enabled else "  （默认关闭）"
        print(f"{r.code}  {r.severity.label:<7}  {r.category:<16}  {r.name}{flag}")
    return EXIT_CLEAN


def explain_text(rule: Rule) -> str:
    lines = [
        f"{rule.code} {rule.name}",
        f"类别：{rule.category}　级别：{rule.severity.label}（{rule.severity.chinese}）"
        + ("" if rule.enabled else "　默认关闭，需 --select 启用"),
        "",
        "## 检查什么",
        rule.message,
        "",
        "## 依据",
        rule.basis,
    ]
    if rule.why:
        lines += ["", "## 为什么", rule.why]
    if rule.bad:
        lines += ["", "## 错误示例"] + [f"- {e.text}" for e in rule.bad]
    if rule.good:
        lines += ["", "## 正确示例"] + [f"- {e.text}" for e in rule.good]
    fixes = [e for e in rule.bad if e.fixed]
    if fixes:
        lines += ["", "## 自动修正" + ("" if rule.fix_safe else "（需 --unsafe-fixes）")]
        lines += [f"- {e.text} → {e.fixed}" for e in fixes]
    return "\n".join(lines) + "\n"


def run_explain(args: argparse.Namespace) -> int:
    rule = _ruleset(args).by_code(args.code.upper())
    if rule is None:
        print(f"reportlint: 没有规则 {args.code}（用 reportlint rules 查看全部规则）", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(explain_text(rule))
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    # Reports and messages are Chinese: never let a legacy console encoding crash output.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "rules":
            return run_rules(args)
        return run_explain(args)
    except (RuleError, ConfigError) as exc:
        print(f"reportlint: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
