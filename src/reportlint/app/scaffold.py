"""``reportlint new-rule``: a new rule file with its examples, ready to edit (in the style of
Ruff's ``add_rule.py``).

The file is ``<pack>/<CODE>-<name>.toml``, written from a template of its check kind whose
examples pass as they are: the new rule loads, ``reportlint explain`` shows it and the
test suite runs its examples at once, and the author rewrites the pattern, the message,
the basis and the examples from there.  A code that a rule already has is refused.
"""

from __future__ import annotations

from pathlib import Path

from reportlint.engine.loader import load_pack
from reportlint.rules.model import CATEGORY_TITLES, CODE_PATTERN, NAME_PATTERN, SEVERITIES, Pack, RuleError

__all__ = ["TEMPLATES", "ScaffoldError", "new_rule"]

_HEAD = """\
code = "{code}"
name = "{name}"
title = {title}  # 简短的中文标题（reportlint rules 列出）
category = "{category}"
severity = "{severity}"
{message}
basis = "（待填写：规定这一要求的法规、标准或文件的名称和条款）"
"""

# Per check kind: the rest of the file.  Each one's examples pass as written.
TEMPLATES = {
    "forbid": """\
fix_title = "改为规范写法"

[check]
kind = "forbid"
pattern = '示例写法'  # 待修改：要找出的写法（正则表达式）
fix = '规范写法'  # 待修改：替换成的文字（不能自动修正时删去这一行和 fix_title）

[[bad]]
text = "今年的«示例写法»。\\n"
fixed = "今年的规范写法。\\n"

[[good]]
text = "今年的规范写法。\\n"
""",
    "require": """\
scope = "title"  # 在哪里找：document、title、headings、body、main、opening、tail

[check]
kind = "require"
pattern = '示例要求'  # 待修改：必须出现的写法（正则表达式）

[[bad]]
text = "«某单位工作报告»\\n\\n一、主要工作\\n\\n完成任务。\\n"

[[good]]
text = "某单位示例要求工作报告\\n\\n一、主要工作\\n\\n完成任务。\\n"
""",
    "substitute": """\
fix_title = "改为“{{right}}”"

[check]
kind = "substitute"
pairs = [
  {{ wrong = "示例错词", right = "示例正词" }},  # 待修改：每一对错误写法和正确写法
]

[[bad]]
text = "«示例错词»已落实。\\n"
fixed = "示例正词已落实。\\n"

[[good]]
text = "示例正词已落实。\\n"
""",
}
MESSAGES = {
    "forbid": "“{context}”中的写法不规范（待修改：说明哪里不对、应当怎样写）。",
    "require": "标题“{title}”中缺少应有的内容（待修改：说明缺什么、应当怎样写）。",
    "substitute": "“{wrong}”应为“{right}”（{context}）。",
}


class ScaffoldError(Exception):
    """The rule cannot be made as asked (a one-line Chinese message)."""


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_rule(
    code: str,
    name: str,
    pack: Pack,
    *,
    check_kind: str = "forbid",
    category: str = "formulation",
    severity: str = "warning",
    title: str = "",
    taken: frozenset[str] | set[str] = frozenset(),
) -> Path:
    """Write ``<pack directory>/<code>-<name>.toml`` for a new rule of check kind ``check_kind``;
    ScaffoldError when the code is malformed or ``taken`` (the codes every loaded pack and
    reportlint itself use), the name is malformed, or there is no template for the kind.
    The written file is loaded at once: it is removed again if the pack refuses it."""
    code = code.upper()
    if CODE_PATTERN.match(code) is None:
        raise ScaffoldError(f"规则代码“{code}”格式不对：应为 1 至 4 个大写字母加 3 位数字，如 FZ512")
    if NAME_PATTERN.match(name) is None:
        raise ScaffoldError(f"规则名称“{name}”格式不对：应为小写英文单词，用连字符连接，如 extra-space")
    if check_kind not in TEMPLATES:
        available = "、".join(TEMPLATES)
        raise ScaffoldError(f"没有 {check_kind} 类检查的规则模板（可用：{available}）；可复制同类规则文件修改")
    if category not in CATEGORY_TITLES:
        raise ScaffoldError(f"未知的类别“{category}”（可用：{'、'.join(CATEGORY_TITLES)}）")
    if severity not in SEVERITIES:
        raise ScaffoldError(f"未知的级别“{severity}”（可用：{'、'.join(SEVERITIES)}）")
    existing = sorted(pack.directory.glob(f"{code}-*.toml"))
    if code in taken or existing:
        where = f"：{existing[0]}" if existing else ""
        raise ScaffoldError(f"规则代码 {code} 已被使用{where}；请换一个代码")
    prefixes = {rule.code.rstrip("0123456789") for rule in pack.rules}
    if prefixes and code.rstrip("0123456789") not in prefixes:
        raise ScaffoldError(f"规则包 {pack.name} 的规则代码以 {'、'.join(sorted(prefixes))} 开头，不是 {code}")
    path = pack.directory / f"{code}-{name}.toml"
    text = _HEAD.format(
        code=code,
        name=name,
        title=_toml_string(title or "待填写"),
        category=category,
        severity=severity,
        message=f"message = {_toml_string(MESSAGES[check_kind])}",
    ) + "\n" + TEMPLATES[check_kind].format()
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} 已存在") from None
    except OSError as exc:
        raise ScaffoldError(f"{path}: 无法写入：{exc.strerror or exc}") from None
    try:
        load_pack(pack.directory)
    except RuleError:
        path.unlink()
        raise
    return path
