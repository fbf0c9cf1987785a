"""Rule documentation: the rule list of a pack's README, generated from its
rule files, and one rule's explanation (``reportlint explain``, LSP hover, SARIF help).

The README keeps hand-written text outside the markers; the table between
``<!-- rules:start -->`` and ``<!-- rules:end -->`` is generated, and a test
fails when it is stale.  Regenerate with::

    python -m reportlint.app.rule_docs rules/fazhi
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlint.app.rule_examples import example_message
from reportlint.core.internal import INTERNAL_CODES
from reportlint.engine.loader import load_pack
from reportlint.rules.model import Pack, Rule

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table(pack: Pack) -> str:
    lines = [
        "| code | title | category | severity | default | fix | message (on its first bad example) | basis |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in sorted(pack.rules, key=lambda r: r.code):
        fixable = any(e.fixed for e in rule.bad)
        fix = ("safe" if rule.fix_safe else "unsafe") if fixable else ""
        lines.append(
            f"| {rule.code} | {_cell(rule.title or rule.name)} | {rule.category} | {rule.severity.label} | "
            f"{'on' if rule.enabled else 'off'} | {fix} | {_cell(example_message(rule))} | {_cell(rule.basis)} |"
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
    """One rule's explanation; its message as the first bad example renders it, since the
    template's ``{placeholders}`` mean nothing to a reader."""
    lines = [
        f"{rule.code} {rule.name}",
        f"类别：{rule.category}　级别：{rule.severity.label}（{rule.severity.chinese}）"
        + ("" if rule.enabled else "　默认关闭，需 --select 启用"),
        "",
        "## 检查什么",
        example_message(rule),
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


# Findings of reportlint itself, which have no rule file (see reportlint.core.internal).
_SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示", "hint": "建议"}
INTERNAL_EXPLANATIONS = {
    item.code: (
        f"{item.code} {item.name}\n{item.title}\n类别：{item.category}　"
        f"级别：{item.severity}（{_SEVERITY_NAMES[item.severity]}）\n\n{item.explanation}"
    )
    for item in INTERNAL_CODES.values()
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
