"""The engine: load rules once, select them by configuration, choose the packs that
apply to a document, run their rules over it and turn findings into sorted,
deterministic Diagnostics."""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from reportlint.checks.conditions import condition_holds
from reportlint.checks.context import LintContext, PartTimeout
from reportlint.core.diagnostics import Diagnostic, Fix, Severity
from reportlint.core.document import Document
from reportlint.core.internal import (
    INTERNAL_CODES,
    NO_PACK,
    TIMEOUT,
    UNDECODABLE,
    UNKNOWN_SUPPRESSION,
    UnknownCodeError,
    check_selector,
)
from reportlint.engine.config import Config
from reportlint.engine.loader import load_packs_cached
from reportlint.engine.suppression import apply_suppressions, honours_suppressions
from reportlint.rules.model import Pack, Rule, Scope
from reportlint.support import watchdog
from reportlint.support.prefilter import LiteralScanner
from reportlint.support.records import fast_constructor
from reportlint.support.resources import builtin_rules_dir


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


class RuleList(list[Rule]):
    """Rules selected from a rule set (``RuleSet.select``), with the set's packs: every pack
    installed, among which the packs that apply to a report are chosen, even those none of
    whose rules were selected."""

    def __init__(self, rules: Iterable[Rule] = (), packs: Sequence[Pack] = ()) -> None:
        super().__init__(rules)
        self.packs = tuple(packs)


@dataclass(eq=False)
class RuleSet:
    packs: list[Pack]
    _selected: dict[tuple[Any, ...], list[Rule]] = field(default_factory=dict, repr=False)

    @property
    def rules(self) -> list[Rule]:
        return [rule for pack in self.packs for rule in pack.rules]

    def by_code(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)

    def pack_named(self, name: str) -> Pack | None:
        return next((pack for pack in self.packs if pack.name == name), None)

    def report_kinds(self) -> tuple[str, ...]:
        """Every report kind the loaded packs know (pack.toml's [report_kinds]), in order:
        the values ``kind`` may take in a profile, or ``--kind`` on the command line."""
        return tuple(dict.fromkeys(kind for pack in self.packs for kind in pack.report_kinds))

    def basis(self, name: str, default: str) -> str:
        """The basis of reportlint's own finding ``name`` (``"duplicate"``: RL101) that the
        loaded packs give ([basis] in pack.toml), when they agree on one; else ``default``."""
        given = {text for pack in self.packs if (text := pack.basis(name))}
        return given.pop() if len(given) == 1 else default

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
        self._check_packs(config)

    def _check_packs(self, config: Config) -> None:
        """``pack`` and ``packs.<name>`` must name a loaded pack, and a profile's ``kind``
        one of its pack's report kinds: ConfigError at the setting otherwise."""
        from reportlint.engine.config import LEGACY_PROFILE_PACK, ConfigError, key_line, show

        def fail(message: str, *keys: str) -> ConfigError:
            if config.source is None:
                return ConfigError(f"配置项 {'.'.join(keys)}", None, message)
            try:
                source = config.source.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return ConfigError(config.source, 1, message)
            tables = ["tool", "reportlint"] if config.source.name == "pyproject.toml" else []
            return ConfigError(config.source, key_line(source, [*tables, *keys]), message)

        names = [pack.name for pack in self.packs]
        available = f"（已安装：{'、'.join(names)}）" if names else "（没有安装任何规则包）"
        if config.pack is not None and config.pack not in names:
            raise fail(f"设置项“pack”的值“{show(config.pack)}”不是已安装的规则包{available}", "pack")
        for name in config.pack_profiles:
            if name not in names:
                raise fail(f"packs 中的“{show(name)}”不是已安装的规则包{available}", "packs", name)
        profiles = [(LEGACY_PROFILE_PACK, config.profile, ("profile",))]
        profiles += [(name, profile, ("packs", name, "profile")) for name, profile in config.pack_profiles.items()]
        for name, profile, keys in profiles:
            pack = self.pack_named(name)
            kind = profile.get("kind")
            if pack is None or kind is None or kind in pack.report_kinds:
                continue
            what = "profile" if keys == ("profile",) else ".".join(keys)
            if pack.report_kinds:
                problem = f"无效，应为 {'、'.join(pack.report_kinds)} 之一"
            else:
                problem = f"无效：规则包 {name} 没有定义报告类型（pack.toml 的 [report_kinds]）"
            raise fail(f"{what} 设置项“kind”的值“{show(kind)}”{problem}", *keys, "kind")

    def select(self, config: Config, path: str = "") -> RuleList:
        ignore = config.ignored_for(path) if path else config.ignore
        select = None if config.select is None else tuple(config.select)
        key = (select, tuple(config.extend_select), tuple(ignore))
        chosen = self._selected.get(key)
        if chosen is None:
            chosen = self._selected[key] = self._select(*key)
        return RuleList(chosen, self.packs)

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


def pack_profile(ctx: LintContext, config: Config, pack: Pack) -> dict[str, Any]:
    """The profile of a report for ``pack``: the configuration's (``[packs.<name>.profile]``,
    for the 法治 pack also ``[profile]``), with ``report_kind`` (the configured ``kind``, else
    inferred from the title and the 落款 by the pack's [report_kinds]) and the deadline of
    that kind (configured, else the pack's ``[profiles.<kind>]``)."""
    profile = config.profile_for(pack.name)
    report_kind = profile.pop("kind", None)
    if report_kind is None and (pack.kind_inference or pack.default_report_kind):
        signature: list[str] = []
        if any(entry.signature is not None for entry in pack.kind_inference):
            signature = [ctx.text[span.start : span.end].strip() for span in ctx.spans(Scope("tail"))]
        report_kind = pack.infer_report_kind(ctx.outline.title, signature)
    profile["report_kind"] = report_kind
    if "deadline" not in profile:
        deadline = pack.deadline(report_kind)
        if deadline:
            profile["deadline"] = deadline
    return profile


def effective_profile(ctx: LintContext, config: Config, packs: Sequence[Pack]) -> dict[str, Any]:
    """The profile of a report for the first of ``packs`` (see :func:`pack_profile`)."""
    if not packs:
        profile = {key: value for key, value in config.profile.items() if key != "kind"}
        return {**profile, "report_kind": config.profile.get("kind")}
    return pack_profile(ctx, config, packs[0])


def applicable_packs(ctx: LintContext, config: Config, packs: Sequence[Pack]) -> list[Pack]:
    """The packs that check this report: the one the configuration names (``pack``); a pack
    alone checks every report; else the packs whose [applies_to] titles the report's title
    matches; else those whose signals its text meets, or the one with the most signals; a
    pack without [applies_to] checks every report.  None: RL005."""
    if config.pack is not None:
        return [pack for pack in packs if pack.name == config.pack]
    if len(packs) <= 1:
        return list(packs)
    title = ctx.outline.title
    # A title that names a kind of report decides: a 政府信息公开工作年度报告 that mentions
    # 依法行政 and 行政执法 is not a 法治 report.  Body signals decide only for drafts and
    # excerpts whose title no pack claims.
    by_title = [pack for pack in packs if pack.applies_to is not None and _claims(pack, title)]
    universal = [pack for pack in packs if pack.applies_to is None]
    if by_title:
        return [pack for pack in packs if pack in by_title or pack in universal]
    # No title claims it: the packs whose signals the text meets; else the pack with the most
    # signals (an excerpt that names 法治政府 once is still a 法治 excerpt); with no evidence
    # at all, none (RL005).
    counts: dict[str, int] = {}
    for pack in packs:
        if pack.applies_to is None:
            continue
        try:
            counts[pack.name] = pack.applies_to.signal_count(ctx.text, timeout=watchdog.RULE_TIMEOUT)
        except TimeoutError:  # a pathological pattern in [applies_to]: the pack does not apply
            counts[pack.name] = 0
    met = {p.name for p in packs if p.applies_to is not None and counts[p.name] >= p.applies_to.min_signals}
    if not met and any(counts.values()):
        most = max(counts.values())
        met = {name for name, count in counts.items() if count == most}
    return [pack for pack in packs if pack in universal or pack.name in met]


def _claims(pack: Pack, title: str) -> bool:
    """Whether the report's title matches the pack's [applies_to] titles."""
    assert pack.applies_to is not None
    try:
        return pack.applies_to.title_matches(title, timeout=watchdog.RULE_TIMEOUT)
    except TimeoutError:  # a pathological title pattern: the pack does not claim the report
        return False


def _no_pack_diagnostic(doc: Document, packs: Sequence[Pack]) -> Diagnostic:
    """RL005: no installed pack applies to the report (one finding, instead of a pack's
    flood of missing parts)."""
    names = "、".join(pack.name for pack in packs)
    return INTERNAL_CODES[NO_PACK].diagnostic(
        doc.path,
        0,
        0,
        f"已安装的规则包（{names}）都不适用于这份报告，没有检查；"
        f'如果它属于其中一类，请在配置中用 pack = "<规则包名称>" 或在命令行用 --pack <规则包名称> 指定。',
        "reportlint 内部检查：规则包在 pack.toml 的 [applies_to] 中写明适用于哪些报告",
    )


def _timeout_diagnostic(rule: Rule, doc: Document, error: TimeoutError | None = None) -> Diagnostic:
    if isinstance(error, PartTimeout):  # a part's heading pattern, met while finding the rule's sections
        where = f"{rule.pack.directory.name}/pack.toml 中各部分（[parts.*]）的 aliases、strong 正则表达式"
    else:
        where = f"{rule.path.name} 中的正则表达式"
    return INTERNAL_CODES[TIMEOUT].diagnostic(
        doc.path, 0, 0, f"规则 {rule.code} 的匹配超时，已跳过该规则；请检查 {where}。", "reportlint 内部检查"
    )


def _undecodable_diagnostics(doc: Document) -> list[Diagnostic]:
    """RL004 at each spot of a text file that did not decode (reading.decode_report)."""
    item = INTERNAL_CODES[UNDECODABLE]
    return [
        item.diagnostic(
            doc.path,
            offset,
            offset + 1,
            f"此处有无法解码的字节 {raw.hex(' ').upper()}（文件按 {doc.encoding.upper()} 读取），"
            "已用 � 代替，其余文字照常检查；请对照原稿重新输入这里的文字。",
            "reportlint 读取检查：文件中少数几处字节损坏",
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
    # The packs installed: the rule set's (rules from RuleSet.select), else the rules' own.
    packs = list(getattr(rules, "packs", ()) or {id(r.pack): r.pack for r in rules}.values())
    ctx = LintContext(doc, strict_timeouts=True)
    applicable = applicable_packs(ctx, config, packs)
    if len(applicable) < len(packs):
        chosen = [rule for rule in rules if rule.pack in applicable]
        if len(chosen) < len(rules):
            rules = chosen
    ctx.scanner = literal_scanner(rules)  # (before anything asks for ctx.literals)
    ctx.rules = rules  # (identity rules weigh their findings together)
    ctx.mask_tables(applicable)  # (a table's row labels are no headings; no cost for packs without tables)
    ctx.profiles = {id(pack): pack_profile(ctx, config, pack) for pack in applicable}
    if applicable:
        ctx.profile = ctx.profiles[id(applicable[0])]
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
    if packs and not applicable and not _matches(NO_PACK, config.ignore):
        diagnostics.append(_no_pack_diagnostic(doc, packs))  # (always wanted, as RL004: about the input)
    if doc.undecodable and not _matches(UNDECODABLE, config.ignore):
        diagnostics += _undecodable_diagnostics(doc)  # (always wanted: a finding about the input)
    diagnostics.sort(key=Diagnostic.sort_key)
    if honours_suppressions(doc.path):
        installed = {r.code for pack in packs for r in pack.rules}
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
    profiles = ctx.profiles
    pack = None
    for rule in rules:
        if rule.pack is not pack:  # (the rules come pack by pack)
            pack = rule.pack
            ctx.profile = profiles.get(id(pack), ctx.profile)
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
