"""Check kinds: the vocabulary rule files use in ``[check] kind = "..."``.

Each kind is a class registered under its name.  It declares the parameters
it accepts (name -> type); the loader rejects unknown or mistyped parameters
with the rule file's line.  ``compile`` runs once per process per rule
(patterns, tables); ``run`` yields :class:`Finding` objects for one document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from reportlint.context import LintContext
from reportlint.diagnostics import Edit
from reportlint.rules import Rule, RuleError, did_you_mean, type_name

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
    params: ClassVar[dict[str, type | tuple[type, ...]]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    # Which scopes the kind supports; None = any.
    scopes: ClassVar[frozenset[str] | None] = None

    rule: Rule

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            KINDS[cls.kind] = cls

    def fail(self, key: str, message: str) -> RuleError:
        return RuleError(self.rule.path, self.rule.key_line(f"check.{key}"), message)

    def compile(self, params: dict[str, Any]) -> None:  # pragma: no cover - overridden
        """Validate and prepare the parameters."""

    def run(self, ctx: LintContext) -> Iterator[Finding]:  # pragma: no cover - overridden
        raise NotImplementedError

    def literal_sets(self) -> Iterator[frozenset[str]]:
        """Prefilter literals of the kind's patterns, for the rule set's literal scanner."""
        return iter(())

    def validate(self) -> None:
        params = self.rule.params
        for key, value in params.items():
            if key not in self.params:
                raise self.fail(key, f"检查类型“{self.kind}”没有参数“{key}”{did_you_mean(key, self.params)}")
            if not isinstance(value, self.params[key]):
                raise self.fail(key, f"参数“{key}”的类型不对，应为{type_name(self.params[key])}")
        for key in self.required:
            if key not in params:
                raise RuleError(
                    self.rule.path,
                    self.rule.key_line("check.kind"),
                    f"检查类型“{self.kind}”需要参数“{key}”",
                )
        if self.scopes is not None and self.rule.scope.name not in self.scopes:
            scope = self.rule.scope.name
            given = "按部分或章节划定的范围" if scope == "section" else f"范围“{scope}”"
            raise RuleError(
                self.rule.path,
                self.rule.key_line("scope"),
                f"检查类型“{self.kind}”不支持{given}，字段“scope”只能为 {'、'.join(sorted(self.scopes))}",
            )


def compile_check(rule: Rule) -> Check:
    _load_builtin_kinds()
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


def _load_builtin_kinds() -> None:
    # Importing the modules registers their classes.
    from reportlint.checks import citation, expression, outline_checks, text  # noqa: F401
