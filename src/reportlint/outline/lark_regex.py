"""Compile a small lark grammar into one regular expression that parses exactly
as lark does, so parsing a line costs one regex match instead of a lark parse
(and a run that finds the compiled form in the cache never imports lark).

It works for grammars whose parser (LALR, contextual lexer) reaches only finitely
many stack configurations, such as ``grammar/outline.lark``: the compiler runs
lark's own parse table symbolically, feeding each terminal the contextual lexer
of the current state could produce, in the lexer's own order, and turns the tree
of configurations into a regular expression:

* at each configuration the alternatives are the state's terminals in lark's
  lexer order; alternative *i* is guarded by negative lookaheads of the terminals
  before it (the lexer takes the first terminal that matches) and matches its
  terminal atomically (no backtracking into a token, as with lark's lexer);
* a terminal after which the parser reports an error keeps its guard but has no
  alternative, so the line fails as it does with lark;
* where lark's parser accepts at the end of input, an empty named group marks
  the *leaf* and ``\\Z`` follows.

Each leaf records the tree lark would build on that path (rules filtered, ``_rule``
inlined, ``?rule`` with one child replaced by the child, aliases applied), with
tokens referring to capture groups.  :class:`FlatGrammar` rebuilds it from a match
as :class:`LiteTree` / :class:`LiteToken`.  Anything outside what is modelled
(ignored terminals, lexer callbacks, postlexers, placeholders, too many
configurations) raises :class:`Unsupported`, and callers keep using lark.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import regex

FORMAT = 2
MAX_DEPTH = 64
MAX_REPEAT = 4  # a parser state stack seen this often on one path: a repetition, unrolled this far
FALLBACK: Any = ["fallback"]  # the leaf of a path unrolled as far as it goes: lark decides
MAX_PATTERN = 200_000


class Unsupported(Exception):
    """The grammar uses something the compiler does not model."""


class LiteToken(NamedTuple):
    type: str
    value: str
    start_pos: int
    end_pos: int


class LiteTree(NamedTuple):
    data: str
    children: list[LiteTree | LiteToken]  # type: ignore[misc]


Template = list[Any]  # ["tree", name, [children]] | ["tok", group, type]
T = TypeVar("T")


class FlatGrammar:
    """The compiled grammar: ``parse(text)`` returns lark's tree as LiteTree/LiteToken,
    or None where lark raises a parse error."""

    def __init__(self, pattern: str, leaves: dict[str, Template]) -> None:
        self.pattern = pattern
        self.leaves = leaves
        from reportlint.support import rxcache

        self.compiled = rxcache.compile(pattern)
        self._tables: dict[Callable[[Template, dict[str, int]], Any], dict[str, Any]] = {}

    def parse(self, text: str) -> LiteTree | None:
        """lark's tree, None where lark reports an error, or :data:`FALLBACK` for a line
        that repeats something more often than the expression was unrolled (ask lark)."""
        found = self.compiled.match(text)
        if found is None:
            return None
        template = self.leaves[found.lastgroup]  # type: ignore[index]
        if template == FALLBACK:
            return FALLBACK  # type: ignore[no-any-return]
        tree = _build(template, found)
        return tree if isinstance(tree, LiteTree) else None

    def leaf_table(self, derive: Callable[[Template, dict[str, int]], T]) -> dict[str, T]:
        """``derive(template, groups)`` for every leaf, keyed by the leaf's group name and
        computed once per function; :data:`FALLBACK` leaves map to :data:`FALLBACK` itself.
        ``groups`` maps the pattern's group names to their numbers (a match reads a group
        by number several times faster than by name).

        For callers that need only a few facts from the tree: building it for each line
        costs more than the match, so they derive once per leaf what to read from the
        groups, then look up ``table[found.lastgroup]`` for ``found = compiled.match(text)``
        (the same leaf :meth:`parse` would use)."""
        table = self._tables.get(derive)
        if table is None:
            groups = dict(self.compiled.groupindex)
            table = {
                leaf: FALLBACK if template == FALLBACK else derive(template, groups)
                for leaf, template in self.leaves.items()
            }
            self._tables[derive] = table
        return table

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "pattern": self.pattern, "leaves": self.leaves}, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> FlatGrammar | None:
        try:
            loaded = json.loads(data)
        except ValueError:
            return None
        if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
            return None
        return cls(loaded["pattern"], loaded["leaves"])


def _build(template: Template, found: regex.Match[str]) -> LiteTree | LiteToken:
    if template[0] == "tok":
        group = template[1]
        return LiteToken(template[2], found.group(group), found.start(group), found.end(group))
    return LiteTree(template[1], [_build(child, found) for child in template[2]])


def compile_lark(parser: Any, start: str = "start") -> FlatGrammar:
    """Compile a lark ``Lark`` object (parser="lalr", lexer="contextual")."""
    from lark.parsers.lalr_analysis import Shift

    options = parser.options
    if options.parser != "lalr" or options.lexer != "contextual" or options.postlex is not None:
        raise Unsupported("only LALR with the contextual lexer")
    if options.maybe_placeholders and any(r.options.empty_indices for r in parser.rules):
        raise Unsupported("placeholders")
    frontend = parser.parser
    lexer_conf = frontend.lexer_conf
    if lexer_conf.ignore or lexer_conf.g_regex_flags or lexer_conf.use_bytes or lexer_conf.callbacks:
        raise Unsupported("ignored terminals, flags or callbacks")
    table = frontend.parser.parser.parse_table
    states = table.states
    end_state = table.end_states[start]
    lexers = frontend.lexer.lexers
    keep_all = bool(options.keep_all_tokens)

    ordered: dict[int, list[tuple[str, str]]] = {}

    def terminals(state: int) -> list[tuple[str, str]]:
        if state not in ordered:
            lexer = lexers[state]
            scanner = lexer.scanner
            if lexer.callback:
                raise Unsupported("lexer callbacks")
            ordered[state] = [(t.name, t.pattern.to_regexp()) for t in scanner.terminals]
        return ordered[state]

    def reduce(rule: Any, values: list[Any]) -> Any:
        children: list[Any] = []
        for symbol, value in zip(rule.expansion, values, strict=True):
            if value[0] == "tok":
                if symbol.filter_out and not (keep_all or rule.options.keep_all_tokens):
                    continue
                children.append(value)
            elif value[0] == "inline":
                children.extend(value[1])
            else:
                children.append(value)
        name = str(rule.alias or rule.origin.name)
        if name.startswith("_"):
            return ["inline", children]
        if rule.options.expand1 and len(children) == 1:
            return children[0]
        return ["tree", name, children]

    def feed(stack: list[int], values: list[Any], kind: str, token: Any) -> tuple[list[int], list[Any], Any] | None:
        stack, values = list(stack), list(values)
        while True:
            actions = states[stack[-1]]
            if kind not in actions:
                return None
            action, arg = actions[kind]
            if action is Shift:
                if token is None:
                    raise Unsupported("shift on end of input")
                return [*stack, arg], [*values, token], None
            size = len(arg.expansion)
            taken = values[-size:] if size else []
            if size:
                del stack[-size:]
                del values[-size:]
            value = reduce(arg, taken)
            _, new_state = states[stack[-1]][arg.origin.name]
            stack.append(new_state)
            values.append(value)
            if token is None and stack[-1] == end_state:
                return stack, values, value

    leaves: dict[str, Template] = {}
    counter = [0]

    def fresh(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    def explore(stack: list[int], values: list[Any], depth: int, seen: dict[tuple[int, ...], int]) -> str:
        if depth > MAX_DEPTH:
            raise Unsupported("too many configurations")
        key = tuple(stack)
        if seen.get(key, 0) >= MAX_REPEAT:
            # A repetition (SEP*) unrolled MAX_REPEAT times: longer ones are left to lark.
            leaf = fresh("e")
            leaves[leaf] = FALLBACK
            return f"(?P<{leaf}>)"
        seen = {**seen, key: seen.get(key, 0) + 1}
        alternatives: list[str] = []
        guards: list[str] = []
        for name, pattern in terminals(stack[-1]):
            group = fresh("t")
            fed = feed(stack, values, name, ["tok", group, name])
            if fed is not None:
                body = "".join(guards) + f"(?>(?P<{group}>{pattern}))" + explore(fed[0], fed[1], depth + 1, seen)
                alternatives.append(body)
            guards.append(f"(?!{pattern})")
        ended = feed(stack, values, "$END", None)
        if ended is not None:
            leaf = fresh("e")
            if ended[2][0] != "tree":
                raise Unsupported("the start rule does not build a tree")
            leaves[leaf] = ended[2]
            alternatives.append(f"(?P<{leaf}>)\\Z")
        if not alternatives:
            return "(?!)"
        return "(?:" + "|".join(alternatives) + ")"

    pattern = explore([table.start_states[start]], [], 0, {})
    if len(pattern) > MAX_PATTERN:
        raise Unsupported("compiled pattern too large")
    return FlatGrammar(pattern, leaves)


def lark_tree_as_lite(tree: Any) -> LiteTree | LiteToken:
    """A lark Tree/Token in the LiteTree/LiteToken form (for comparing the two parsers)."""
    from lark import Token

    if isinstance(tree, Token):
        return LiteToken(tree.type, str(tree), tree.start_pos or 0, tree.end_pos or 0)
    return LiteTree(str(tree.data), [lark_tree_as_lite(child) for child in tree.children])
