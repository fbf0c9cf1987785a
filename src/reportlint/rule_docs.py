"""Rule documentation: the rule list of a pack's README, generated from its
rule files, and one rule's explanation (``reportlint explain``, LSP hover, SARIF help).

The README keeps hand-written text outside the markers; the table between
``<!-- rules:start -->`` and ``<!-- rules:end -->`` is generated, and a test
fails when it is stale.  Regenerate with::

    python -m reportlint.rule_docs rules/fazhi
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlint.rules import Pack, Rule, load_pack

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table(pack: Pack) -> str:
    lines = [
        "| code | name | category | severity | default | fix | message | basis |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in sorted(pack.rules, key=lambda r: r.code):
        fixable = any(e.fixed for e in rule.bad)
        fix = ("safe" if rule.fix_safe else "unsafe") if fixable else ""
        lines.append(
            f"| {rule.code} | {rule.name} | {rule.category} | {rule.severity.label} | "
            f"{'on' if rule.enabled else 'off'} | {fix} | {_cell(rule.message)} | {_cell(rule.basis)} |"
        )
    return "\n".join(lines)


def render_readme(pack: Pack, current: str) -> str:
    """``current`` with the generated table replaced (appended if the markers are missing)."""
    block = f"{START}\n{rules_table(pack)}\n{END}"
    if START in current and END in current:
        head, _, rest = current.partition(START)
        _, _, tail = rest.partition(END)
        return head + block + tail
    return current.rstrip("\n") + "\n\n" + block + "\n"


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


# Findings of reportlint itself, which have no rule file.
DUPLICATE_BASIS = (
    "《法治政府建设与责任落实督察工作规定》要求年度报告写明本地区本部门推进法治政府建设的主要举措和成效等情况；"
    "照搬其他单位或往年报告的文字，反映不了本单位当年的实际工作"
)
INTERNAL_EXPLANATIONS = {
    "RL001": (
        "RL001 rule-timeout\n类别：internal　级别：error（错误）\n\n## 检查什么\n"
        "某条规则在这份报告上运行超过 2 秒（几乎总是正则表达式回溯过多），该规则已跳过，其余规则照常检查。\n\n"
        "## 怎么办\n检查提示中那条规则文件的正则表达式（常见原因：嵌套的重复，如 (a+)+）；"
        "内置规则出现此提示请报告问题。\n"
    ),
    "RL002": (
        "RL002 unused-suppression\n类别：internal　级别：info（提示）\n\n## 检查什么\n"
        "Markdown 报告中的抑制注释（<!-- reportlint-disable … -->、<!-- reportlint-disable-next-line … -->）"
        "没有抑制任何问题，多半是问题已改正而注释还留着。\n\n## 怎么办\n删除这条注释；"
        "或在配置中 ignore = [\"RL002\"] 关闭此提示。\n"
    ),
    "RL101": (
        "RL101 cross-report-duplicate\n类别：duplicate　级别：info（提示）\n\n## 检查什么\n"
        "用 --duplicates（reportlint check）或 reportlint report 检查多份报告时，找出与其他报告高度相似的段落："
        "照搬其他单位或往年报告的文字。各报告都会用的规范表述（指导思想、引文、多数报告共有的文字）不算。\n\n"
        f"## 依据\n{DUPLICATE_BASIS}。\n\n## 设置\n[tool.reportlint.duplicates] 中的 threshold（相似度，默认 0.8）、"
        "min-length（最少字数，默认 40）、max-reports、ignore-file。\n"
    ),
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for directory in args:
        pack = load_pack(directory)
        readme = Path(directory) / "README.md"
        current = readme.read_text(encoding="utf-8") if readme.exists() else f"# {pack.name}\n"
        readme.write_text(render_readme(pack, current), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
