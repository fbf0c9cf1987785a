"""The engine: load rules once, select them by configuration, run them over a
Document and turn findings into sorted, deterministic Diagnostics."""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from reportlint.checks.context import LintContext, PartTimeout
from reportlint.checks.expression import condition_holds
from reportlint.core.diagnostics import Diagnostic, Fix, Severity
from reportlint.core.document import Document
from reportlint.core.internal import (
    INTERNAL_CODES,
    TIMEOUT,
    UNDECODABLE,
    UNKNOWN_SUPPRESSION,
    UnknownCodeError,
    check_selector,
)
from reportlint.engine.config import Config
from reportlint.engine.suppression import apply_suppressions, honours_suppressions
from reportlint.rules.model import Pack, Rule, Scope
from reportlint.support import watchdog
from reportlint.support.cache import load_packs_cached
from reportlint.support.prefilter import LiteralScanner
from reportlint.support.records import fast_constructor
from reportlint.support.resources import builtin_rules_dir
from reportlint.support.rxcache import LazyPattern

KIND_BY_TITLE = (
    (LazyPattern(r"(?:镇|乡|街道|苏木)(?:人民政府|党委|办事处)?(?:关于|20\d\d|$)"), "乡镇街道"),
    # a government, or a place alone (广州市天河区2023年度法治政府建设情况报告: the district's report)
    (
        LazyPattern(r"人民政府(?:关于|20\d\d|$)|政府(?:关于|20\d\d)|^[\p{Han}]{2,12}?(?:省|市|区|县|州|旗|盟)(?:关于|20\d\d)"),
        "政府",
    ),
)
# The 落款 names the issuers when the title does not (a joint 区委 and 区政府 report).
KIND_BY_SIGNATURE = (
    (LazyPattern(r"(?:镇|乡|街道|苏木)(?:人民政府|党委|委员会|办事处)\s*$"), "乡镇街道"),
    (LazyPattern(r"人民政府\s*$"), "政府"),
)


class _Values(dict):  # type: ignore[type-arg]
    """Message values; an unknown placeholder renders as itself instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(message: str, values: dict[str, Any]) -> str:
    if type(values) is not _Values:
        values = _Values(values)
    try:
        return message.format_map(values)  # the fast path: plain {name} fields
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return string.Formatter().vformat(message, (), _Values(values))  # raises as it always did


@dataclass(eq=False)
class RuleSet:
    packs: list[Pack]
    _selected: dict[tuple[Any, ...], list[Rule]] = field(default_factory=dict, repr=False)

    @property
    def rules(self) -> list[Rule]:
        return [rule for pack in self.packs for rule in pack.rules]

    def by_code(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)

    @property
    def known_codes(self) -> frozenset[str]:
        """Every code a user may name: the rules of every loaded pack and reportlint's own."""
        return frozenset(r.code for r in self.rules) | frozenset(INTERNAL_CODES)

    def check_selectors(self, selectors: Iterable[str]) -> None:
        """Raise UnknownCodeError for the first code or prefix that selects nothing."""
        known = self.known_codes
        for selector in selectors:
            check_selector(selector, known)

    def check_config(self, config: Config) -> None:
        """A configuration file's rule codes (select, extend-select, ignore, per-file-ignores,
        severity) must each name a rule: ConfigError at the setting's line otherwise."""
        from reportlint.engine.config import ConfigError, setting_line

        entries = [
            ("", "select", config.select or ()),
            ("", "extend-select", config.extend_select),
            ("", "ignore", config.ignore),
            *(("per-file-ignores", pattern, codes) for pattern, codes in config.per_file_ignores.items()),
            *(("severity", code, (code,)) for code in config.severity),
        ]
        for table, key, codes in entries:
            try:
                self.check_selectors(codes)
            except UnknownCodeError as exc:
                if config.source is None:  # given as a dict (the Python API): name the key
                    raise ConfigError(f"配置项 {'.'.join(filter(None, (table, key)))}", None, str(exc)) from None
                raise ConfigError(config.source, setting_line(config, table, key), str(exc)) from None

    def select(self, config: Config, path: str = "") -> list[Rule]:
        ignore = config.ignored_for(path) if path else config.ignore
        select = None if config.select is None else tuple(config.select)
        key = (select, tuple(config.extend_select), tuple(ignore))
        chosen = self._selected.get(key)
        if chosen is None:
            chosen = self._selected[key] = self._select(*key)
        return list(chosen)

    def _select(
        self, select: tuple[str, ...] | None, extend_select: tuple[str, ...], ignore: tuple[str, ...]
    ) -> list[Rule]:
        chosen = []
        for rule in self.rules:
            explicit = _matches(rule.code, extend_select) or (select is not None and _matches(rule.code, select))
            selected = explicit or (select is None and rule.enabled)
            if selected and not _matches(rule.code, ignore):
                chosen.append(rule)
        return chosen


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(p == "ALL" or code.startswith(p) for p in prefixes)


@cache
def _load_cached(directories: tuple[Path, ...]) -> RuleSet:
    return RuleSet(load_packs_cached(directories))


def load_ruleset(config: Config | None = None, extra: Sequence[Path] = ()) -> RuleSet:
    """The built-in packs plus configured and extra rule directories (cached per process)."""
    config = config or Config()
    directories: list[Path] = [builtin_rules_dir()] if config.builtin_rules else []
    directories += [Path(d).resolve() for d in (*config.rule_dirs, *extra)]
    return _load_cached(tuple(directories))


def effective_profile(ctx: LintContext, config: Config, packs: Sequence[Pack]) -> dict[str, Any]:
    """The report kind (from config, else inferred from the title) and its deadline."""
    profile = dict(config.profile)
    if "kind" not in profile:
        title = ctx.outline.title
        kind = next((kind for pattern, kind in KIND_BY_TITLE if pattern.search(title)), None)
        if kind is None:
            signature = [ctx.text[span.start : span.end].strip() for span in ctx.spans(Scope("tail"))]
            kind = next((k for pattern, k in KIND_BY_SIGNATURE for line in signature if pattern.search(line)), "部门")
        profile["kind"] = kind
    if "deadline" not in profile:
        for pack in packs:
            deadline = pack.settings.get("profiles", {}).get(profile["kind"], {}).get("deadline")
            if deadline:
                profile["deadline"] = deadline
                break
    return profile


def _timeout_diagnostic(rule: Rule, doc: Document, error: TimeoutError | None = None) -> Diagnostic:
    if isinstance(error, PartTimeout):  # a part's heading pattern, met while finding the rule's sections
        where = f"{rule.pack.directory.name}/pack.toml 中各部分（[parts.*]）的 aliases、strong 正则表达式"
    else:
        where = f"{rule.path.name} 中的正则表达式"
    return Diagnostic(
        code=TIMEOUT,
        name="rule-timeout",
        category="internal",
        severity=Severity.ERROR,
        message=f"规则 {rule.code} 的匹配超时，已跳过该规则；请检查 {where}。",
        start=0,
        end=0,
        basis="reportlint 内部检查",
        path=doc.path,
    )


def _undecodable_diagnostics(doc: Document) -> list[Diagnostic]:
    """RL004 at each spot of a text file that did not decode (reading.decode_report)."""
    item = INTERNAL_CODES[UNDECODABLE]
    return [
        Diagnostic(
            code=UNDECODABLE,
            name=item.name,
            category=item.category,
            severity=Severity.parse(item.severity),
            message=f"此处有无法解码的字节 {raw.hex(' ').upper()}（文件按 {doc.encoding.upper()} 读取），"
            "已用 � 代替，其余文字照常检查；请对照原稿重新输入这里的文字。",
            start=offset,
            end=offset + 1,
            basis="reportlint 读取检查：文件中少数几处字节损坏",
            path=doc.path,
        )
        for offset, raw in doc.undecodable
    ]


_new_diagnostic = fast_constructor(Diagnostic)
_new_fix = fast_constructor(Fix)
_SCANNERS: dict[tuple[int, ...], tuple[tuple[Rule, ...], LiteralScanner]] = {}


def literal_scanner(rules: Sequence[Rule]) -> LiteralScanner:
    """One automaton over the prefilter literals of ``rules``, built once per rule list."""
    key = tuple(map(id, rules))
    entry = _SCANNERS.get(key)
    if entry is None:
        literals = [literal for rule in rules for literal_set in rule.check.literal_sets() for literal in literal_set]
        if len(_SCANNERS) >= 32:
            _SCANNERS.clear()
        # The rules are kept with their scanner so that their ids cannot be reused.
        entry = _SCANNERS[key] = (tuple(rules), LiteralScanner(literals))
    return entry[1]


def lint_document(doc: Document, rules: Sequence[Rule], config: Config | None = None) -> list[Diagnostic]:
    """Run ``rules`` over ``doc``; diagnostics sorted by position, duplicates dropped."""
    config = config or Config()
    ctx = LintContext(doc, scanner=literal_scanner(rules), strict_timeouts=True)
    ctx.profile = effective_profile(ctx, config, list({id(r.pack): r.pack for r in rules}.values()))
    year = ctx.report_year
    common = {
        "report_year": year or "",
        "next_year": year + 1 if year else "",
        "title": ctx.outline.title,
    }
    with watchdog.RuleWatch() as watch:
        # Under the watch's timer the searches need no time limit of their own.
        ctx.regex_timeout = None if watch.active else watchdog.RULE_TIMEOUT
        diagnostics = _run_rules(ctx, rules, config, common, watch)
    if doc.undecodable and not _matches(UNDECODABLE, config.ignore):
        diagnostics += _undecodable_diagnostics(doc)  # (always wanted: a finding about the input)
    diagnostics.sort(key=Diagnostic.sort_key)
    if honours_suppressions(doc.path):
        installed = {r.code for pack in {id(rule.pack): rule.pack for rule in rules}.values() for r in pack.rules}
        diagnostics = apply_suppressions(
            doc, diagnostics, [rule.code for rule in rules], installed | set(INTERNAL_CODES)
        )
        diagnostics = [d for d in diagnostics if _reported(d.code, config)]
    return diagnostics


def _run_rules(
    ctx: LintContext, rules: Sequence[Rule], config: Config, common: dict[str, Any], watch: watchdog.RuleWatch
) -> list[Diagnostic]:
    """Each rule's findings as diagnostics (unsorted; a finding repeated at the same place
    is kept once)."""
    seen: set[tuple[str, int, int]] = set()
    diagnostics = []
    overrides = config.severity
    doc = ctx.doc
    path = doc.path
    unfinished: dict[int, bool] = {}  # per pack: whether the report looks unfinished
    for rule in rules:
        # Everything that runs a pack's patterns for the rule (its parts' headings, its
        # conditions, its check) runs under the rule's time limit.
        try:
            watch.rule = rule
            demote = False
            if rule.if_unfinished:
                pack_id = id(rule.pack)
                if pack_id not in unfinished:
                    unfinished[pack_id] = ctx.unfinished(rule.pack)
                if unfinished[pack_id]:
                    if rule.if_unfinished == "skip":
                        watch.rule = None
                        continue
                    demote = True
            if rule.condition is not None and not condition_holds(ctx, rule.pack, rule.condition):
                watch.rule = None
                continue
            findings = list(rule.check.run(ctx))
            # (whether the findings are only hints: asked only when there are some)
            informative = (
                condition_holds(ctx, rule.pack, rule.info_condition)
                if findings and rule.info_condition is not None and not demote and not overrides.get(rule.code)
                else None
            )
            watch.rule = None
        except TimeoutError as error:
            # A pathological pattern must not hang or crash a batch: report it and go on.
            watch.rule = None
            diagnostics.append(_timeout_diagnostic(rule, doc, error))
            continue
        if not findings:
            continue
        code, name, category, basis, message = rule.code, rule.name, rule.category, rule.basis, rule.message
        fix_title, fix_safe = rule.fix_title or "自动修正", rule.fix_safe
        fix_templated = "{" in fix_title or "}" in fix_title
        override = overrides.get(code)
        rule_severity = Severity.parse(override) if override else rule.severity
        if demote and not override:
            rule_severity, note = Severity.INFO, rule.pack.settings.get("unfinished_note", "")
            message = message + note
        elif informative is not None:
            demote = informative
            rule_severity = Severity.INFO if demote else rule_severity
        for start, end, found_values, edits, found_severity in findings:
            key = (code, start, end)
            if key in seen:
                continue
            seen.add(key)
            values = {**common, **found_values}
            try:
                text = message.format_map(values)  # the fast path: every field is known
            except (ValueError, IndexError, KeyError, AttributeError, TypeError):
                text = render(message, values)  # unknown fields render as themselves, or it raises
            severity = rule_severity if override or demote or not found_severity else Severity.parse(found_severity)
            fix = None
            if edits:
                fix = _new_fix(render(fix_title, values) if fix_templated else fix_title, edits, fix_safe)
            # (the fields in Diagnostic's order: code, name, category, severity, message,
            # start, end, basis, fix, path, data)
            diagnostics.append(
                _new_diagnostic(code, name, category, severity, text, start, end, basis, fix, path, {})
            )
    return diagnostics


def _reported(code: str, config: Config) -> bool:
    """Whether reportlint's own finding ``code`` is wanted: not ignored and, with ``select``,
    selected (as Ruff treats RUF100).  RL003 (an unknown code in a suppression) is always
    wanted unless ignored: a typo there silently turns a suppression off."""
    if _matches(code, config.ignore):
        return False
    if code == UNKNOWN_SUPPRESSION:
        return True
    return config.select is None or _matches(code, (*config.select, *config.extend_select))


def lint_text(
    text: str,
    path: str = "<text>",
    config: Config | None = None,
    rules: Sequence[Rule] | None = None,
) -> tuple[Document, list[Diagnostic]]:
    """Convenience for tests and the language server: lint a string."""
    config = config or Config()
    doc = Document.from_text(text, path=path)
    if rules is None:
        rules = load_ruleset(config).select(config, path)
    return doc, lint_document(doc, rules, config)
