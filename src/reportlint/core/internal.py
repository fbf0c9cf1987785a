"""reportlint's own findings (RL…), which have no rule file: their codes, names and
explanations in one place, and the check that a rule code given by a user exists."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reportlint.core.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class InternalCode:
    code: str
    name: str
    title: str  # Chinese, as `reportlint rules` lists it
    category: str
    severity: str
    explanation: str  # the body of `reportlint explain`

    def diagnostic(self, path: str, start: int, end: int, message: str, basis: str, **data: Any) -> Diagnostic:
        """A finding of this code: its name, category and severity from this table."""
        return Diagnostic(
            code=self.code,
            name=self.name,
            category=self.category,
            severity=Severity.parse(self.severity),
            message=message,
            start=start,
            end=end,
            basis=basis,
            path=path,
            **data,
        )


TIMEOUT = "RL001"
UNUSED_SUPPRESSION = "RL002"
UNKNOWN_SUPPRESSION = "RL003"
UNDECODABLE = "RL004"
NO_PACK = "RL005"
DUPLICATE = "RL101"

# RL101's basis when the rule pack of the reports gives none of its own (pack.toml's
# [basis] duplicate, e.g. the 法治 pack's citation of the 督察规定).
DUPLICATE_BASIS = "报告应写明本单位当年的实际工作；照搬其他单位或往年报告的文字，反映不了本单位当年的实际工作"

INTERNAL_CODES: dict[str, InternalCode] = {
    item.code: item
    for item in (
        InternalCode(
            TIMEOUT,
            "rule-timeout",
            "规则运行超时",
            "internal",
            "error",
            "## 检查什么\n某条规则在这份报告上运行超过 2 秒（几乎总是正则表达式回溯过多），该规则已跳过，"
            "其余规则照常检查。\n\n## 怎么办\n检查提示中那条规则文件的正则表达式（常见原因：嵌套的重复，"
            "如 (a+)+）；内置规则出现此提示请报告问题。\n",
        ),
        InternalCode(
            UNUSED_SUPPRESSION,
            "unused-suppression",
            "抑制注释没有抑制任何问题",
            "internal",
            "info",
            "## 检查什么\nMarkdown 报告中的抑制注释（<!-- reportlint-disable … -->、"
            "<!-- reportlint-disable-next-line … -->）没有抑制任何问题，多半是问题已改正而注释还留着。\n\n"
            '## 怎么办\n删除这条注释；或在配置中 ignore = ["RL002"] 关闭此提示。\n',
        ),
        InternalCode(
            UNKNOWN_SUPPRESSION,
            "unknown-code-in-suppression",
            "抑制注释中的规则代码不存在",
            "internal",
            "warning",
            "## 检查什么\n抑制注释（<!-- reportlint-disable FZ5O1 -->）写的规则代码不是任何已安装规则的代码"
            "或前缀，多半是打错了（字母 O 写成了数字 0 之类），这条注释因此什么也抑制不了。\n\n"
            "## 怎么办\n按提示改成正确的代码（reportlint rules 列出全部规则）。\n",
        ),
        InternalCode(
            UNDECODABLE,
            "undecodable-bytes",
            "文件中有无法解码的字节",
            "internal",
            "warning",
            "## 检查什么\n文件整体是有效的文本（UTF-8、GB18030 等），只有少数几处字节无法解码，"
            "多半是复制、转码时损坏的字符。这几处以 U+FFFD（�）代替后照常检查其余文字，并逐处报告位置和原始字节。"
            "损坏过多（超过 8 处或超过文件的千分之一）的文件不检查，以免把乱码当作正文。\n\n"
            "## 怎么办\n对照原稿重新输入这几处文字。这样的文件不能用 --fix 自动修正（写回会丢失原始字节）。\n",
        ),
        InternalCode(
            NO_PACK,
            "no-applicable-pack",
            "没有适用于这份报告的规则包",
            "internal",
            "info",
            "## 检查什么\n安装了几个规则包（每类报告一个，如法治政府建设年度报告的 fazhi）时，每份报告只用适用于它的"
            "规则包检查：规则包在 pack.toml 的 [applies_to] 中写明适用于哪些报告（标题的写法；没有标题的草稿、摘录"
            "看正文中的特征词）。一个都不适用的报告不作检查，只给出这一条提示，而不是一连串“缺少某部分”的问题。"
            "只安装了一个规则包时，它适用于所有报告。\n\n"
            '## 怎么办\n如果这份报告属于某个规则包，在配置中写 pack = "<规则包名称>"（如 pack = "fazhi"）'
            "指定规则包；如果它不该被检查，把它从检查的文件中去掉，或在配置中 ignore = [\"RL005\"]。\n",
        ),
        InternalCode(
            DUPLICATE,
            "cross-report-duplicate",
            "与其他报告的段落高度相似",
            "duplicate",
            "info",
            "## 检查什么\n用 --duplicates（reportlint check）或 reportlint report 检查多份报告时，"
            "找出与其他报告高度相似的段落：照搬其他单位或往年报告的文字。各报告都会用的规范表述"
            "（指导思想、引文、多数报告共有的文字）不算。\n\n"
            f"## 依据\n{DUPLICATE_BASIS}。规则包可在 pack.toml 的 [basis] duplicate 中写明这类报告的具体依据"
            "（如法治政府建设年度报告：《法治政府建设与责任落实督察工作规定》）。\n\n"
            "## 设置\n[tool.reportlint.duplicates] 中的 threshold"
            "（相似度，默认 0.8）、min-length（最少字数，默认 40）、max-reports、ignore-file。\n",
        ),
    )
}


class UnknownCodeError(ValueError):
    """A rule code or prefix that names no rule."""


def family_prefixes(codes: Iterable[str]) -> set[str]:
    """The prefixes users select by: FZ, FZ1, FZ10 … of FZ101, RL, RL0 … of RL001."""
    prefixes = set()
    for code in codes:
        letters = code.rstrip("0123456789")
        for end in range(len(letters), len(code)):
            prefixes.add(code[:end])
    return prefixes


# Characters typed for digits they look like (FZ5O1, FZ2l0).
LOOKALIKE_DIGITS = str.maketrans({"O": "0", "o": "0", "Q": "0", "I": "1", "l": "1", "i": "1"})


def suggestions(selector: str, candidates: Iterable[str]) -> list[str]:
    """Known codes a mistyped ``selector`` may mean: the code it spells with look-alike
    letters for digits, else at most two of the closest by spelling."""
    candidates = list(candidates)
    letters = selector.rstrip("0123456789OoQIli").upper()
    normalised = letters + selector[len(letters):].translate(LOOKALIKE_DIGITS)
    if normalised in candidates and normalised != selector:
        return [normalised]  # the intent is plain: no second guess
    return difflib.get_close_matches(selector.upper(), candidates, n=2, cutoff=0.6)


def check_selector(selector: str, known: Iterable[str]) -> None:
    """Raise UnknownCodeError for a code or prefix (or ALL) that selects no known code."""
    known = set(known)
    if selector == "ALL" or any(code.startswith(selector) for code in known):
        return
    # A full code is compared with the codes; a shorter selector with the prefixes too.
    longest = max((len(code) for code in known), default=0)
    candidates = sorted(known if len(selector) >= longest else known | family_prefixes(known))
    close = suggestions(selector, candidates)
    hint = f"，是否指 {'、'.join(close)}？" if close else "（用 reportlint rules 查看全部规则）"
    raise UnknownCodeError(f"未知的规则代码 {selector}{hint}")
