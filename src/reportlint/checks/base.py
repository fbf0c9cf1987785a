"""The base of every check kind, and the registry of kinds.

A kind is a subclass of :class:`Check` with a ``kind`` name; defining it registers it
(:func:`register_kind` does it explicitly, e.g. for a class made at run time), so a kind
is one module that is imported before the rules that use it are loaded: the built-in
ones by :mod:`reportlint.engine.loader`, others named by a pack's ``check_kinds``.

A kind declares the parameters it accepts (``params``: name -> :class:`reportlint.rules.model.Field`,
the kind's field table) and the values its findings give messages (``placeholders``);
the loader rejects unknown or mistyped parameters, and unknown placeholders, with the
rule file's line.  ``compile`` runs once per process per rule (patterns, tables); ``run``
yields :class:`Finding` objects for one document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from reportlint.checks.context import LintContext
from reportlint.core.diagnostics import Edit
from reportlint.rules.model import Field, Place, Rule, RuleError, check_table, did_you_mean

KINDS: dict[str, type[Check]] = {}


class Finding(NamedTuple):
    """What a check found: a range of the document, message values and optional edits.
    (A named tuple: immutable, and made in a fraction of a frozen dataclass's time.)"""

    start: int
    end: int
    values: Mapping[str, Any] = MappingProxyType({})
    edits: tuple[Edit, ...] = ()
    severity: str | None = None  # a kind may lower/raise one finding's severity (e.g. "info")


class Check:
    """Base class of all check kinds."""

    kind: ClassVar[str]
    params: ClassVar[dict[str, Field]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    # The names a message may use besides reportlint.rules.model.COMMON_PLACEHOLDERS: the keys of
    # the values dicts of the kind's findings.
    placeholders: ClassVar[frozenset[str]] = frozenset()
    # Which scopes the kind supports; None = any.
    scopes: ClassVar[frozenset[str] | None] = None

    rule: Rule

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            register_kind(cls)

    def fail(self, key: str, message: str) -> RuleError:
        return RuleError(self.rule.path, self.rule.key_line(f"check.{key}"), message)

    def compile(self, params: dict[str, Any]) -> None:  # pragma: no cover - overridden
        """Validate and prepare the parameters."""

    def run(self, ctx: LintContext) -> Iterator[Finding]:  # pragma: no cover - overridden
        raise NotImplementedError

    def literal_sets(self) -> Iterator[frozenset[str]]:
        """Prefilter literals of the kind's patterns, for the rule set's literal scanner."""
        return iter(())

    def placeholder_names(self) -> frozenset[str]:
        """The placeholders this rule's messages may use (besides the common ones)."""
        return self.placeholders

    def validate(self) -> None:
        rule = self.rule
        place = Place(
            rule.path,
            lambda keys: rule.pack.locate(rule.path, keys),
            ("check",),
            noun="参数",
            owner=f"检查类型“{self.kind}”",
            home=("check", "kind"),
            base=rule.pack.directory,
        )
        check_table(rule.params, self.params, place, self.required)
        if self.scopes is not None and self.rule.scope.name not in self.scopes:
            scope = self.rule.scope.name
            given = "按部分或章节划定的范围" if scope == "section" else f"范围“{scope}”"
            raise RuleError(
                self.rule.path,
                self.rule.key_line("scope"),
                f"检查类型“{self.kind}”不支持{given}，字段“scope”只能为 {'、'.join(sorted(self.scopes))}",
            )


def register_kind(cls: type[Check]) -> type[Check]:
    """Register ``cls`` under its ``kind`` name (a later class of the same name replaces
    it); returns it, so it also serves as a class decorator."""
    KINDS[cls.kind] = cls
    return cls


def compile_check(rule: Rule) -> Check:
    """The rule's check, validated against its kind's field table and compiled (the kind
    must be registered: RuleError at ``check.kind`` otherwise)."""
    cls = KINDS.get(rule.check_kind)
    if cls is None:
        raise RuleError(
            rule.path,
            rule.key_line("check.kind"),
            f"未知的检查类型“{rule.check_kind}”{did_you_mean(rule.check_kind, sorted(KINDS))}",
        )
    instance = cls.__new__(cls)
    instance.rule = rule
    instance.validate()
    instance.compile(rule.params)
    return instance
