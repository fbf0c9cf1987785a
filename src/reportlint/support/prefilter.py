"""Required literals of a regular expression: a cheap test that lets a rule skip a
document its pattern cannot match.

``required_literals(pattern)`` returns a set of strings such that every match of the
pattern, together with the text its positive lookarounds look at, contains at least
one of them; ``None`` when nothing useful is known.  A rule whose literals all are
absent from a document (``str in text``, memoised per document) cannot match there,
so its regular expression is neither compiled nor run.

The analysis walks the parse tree of the ``regex`` module itself (so it reads the
pattern exactly as the matcher does) and is conservative: any construct it does not
know (case-insensitive parts, properties such as ``\\p{Han}``, wildcards, back
references, fuzzy matching, named lists …) only makes the answer weaker, never wrong.
If the parser's internals ever change shape, every pattern simply gets ``None``.

How strings are derived (``exact`` = a finite superset of the strings a node can
match; ``required`` = strings one of which every match contains):

* a literal or a small character class is exact (``[一二三]`` → 一, 二, 三);
* a sequence concatenates the exact sets of adjacent items into runs (zero-width
  assertions in between do not break a run; a positive lookbehind starts one, a
  positive lookahead may end one); every run and every item's own requirement is a
  candidate, and the most selective candidate wins (longest shortest string);
* alternatives unite their requirements (all branches must have one);
* a repeat with a minimum of one keeps its body's requirement; optional parts have none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

import regex

_T = TypeVar("_T")

MAX_EXACT = 64  # largest exact set carried through concatenation
MAX_CLASS = 16  # largest character class expanded into single characters
MAX_WIDE_CLASS = 128  # largest character class kept as a requirement of single characters
MAX_REQUIRED = 64  # largest requirement kept (each is one ``in`` test per document)
SELECTIVE_LENGTH = 4  # strings this long are rare enough in a report
MAX_OCCURRENCES = 16  # more occurrences than this: search the whole text instead of windows
# Occurrences in one line share its window, so line windows tolerate more of them; the
# lines found must still cover at most half the text.
MAX_LINE_OCCURRENCES = 128
MAX_WINDOW_LITERALS = 12  # more literals than this: finding them all costs more than it saves
WINDOW_MARGIN = 2  # extra characters around each window (anchors look one character beyond)


class _Info(NamedTuple):
    exact: frozenset[str] | None  # superset of the strings the node matches
    required: frozenset[str] | None  # one of these occurs in any match (+ lookaround text)
    kind: str = "consume"  # "consume" | "zero" (assertion) | "ahead" | "behind" (positive lookaround)


_UNKNOWN = _Info(None, None)
_ZERO = _Info(None, None, "zero")


def _valid(strings: frozenset[str] | None) -> frozenset[str] | None:
    """A usable requirement: non-empty, without the empty string (always present), with
    no string containing another (redundant) and at most MAX_REQUIRED strings: a larger
    set is weakened to substrings of its strings (still one of them is in every match)."""
    if not strings or "" in strings:
        return None
    if len(strings) <= MAX_WIDE_CLASS and all(len(s) == 1 for s in strings):
        return strings  # single characters: searched as one character class (LiteralIndex)
    by_length = sorted(strings, key=len)
    kept: list[str] = []
    for s in by_length:
        if not any(k in s for k in kept):
            kept.append(s)
    if len(kept) <= MAX_REQUIRED:
        return frozenset(kept)
    options = [frozenset((c,)) for c in (_common_substring(kept),) if c]
    for cut in range(len(by_length[0]), 0, -1):
        for part in (frozenset(s[:cut] for s in kept), frozenset(s[-cut:] for s in kept)):
            if len(part) <= MAX_REQUIRED:
                options.append(part)
        if options:
            break
    return max(options, key=_score) if options else None


def _common_substring(strings: list[str]) -> str:
    """The longest string contained in all of ``strings``."""
    shortest = min(strings, key=len)
    for length in range(len(shortest), 0, -1):
        for start in range(len(shortest) - length + 1):
            part = shortest[start : start + length]
            if all(part in s for s in strings):
                return part
    return ""


def _concat(left: frozenset[str] | None, right: frozenset[str] | None) -> frozenset[str] | None:
    if left is None or right is None or len(left) * len(right) > MAX_EXACT:
        return None
    return frozenset(a + b for a in left for b in right)


def _score(strings: frozenset[str]) -> tuple[int, int]:
    """Longer strings are rarer, but past a few characters hardly rarer: beyond that the
    smaller set wins (each string costs a search of the document)."""
    return min(SELECTIVE_LENGTH, min(len(s) for s in strings)), -len(strings)


def _best(candidates: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    usable = [c for c in (_valid(c) for c in candidates) if c is not None]
    return max(usable, key=_score) if usable else None


class _Analyser:
    def __init__(self, core: object) -> None:
        self.core = core
        self.ignorecase = int(core.IGNORECASE)  # type: ignore[attr-defined]

    def cased(self, node: object) -> bool:
        return bool(getattr(node, "case_flags", 0) & self.ignorecase)

    def chars(self, node: object, limit: int = MAX_CLASS) -> frozenset[str] | None:
        """The characters a (positive, case-sensitive) set or character matches, if at most
        ``limit``."""
        core = self.core
        if self.cased(node) or not getattr(node, "positive", False) or getattr(node, "zerowidth", False):
            return None
        if type(node) is core.Character:  # type: ignore[attr-defined]
            return frozenset((chr(node.value),))  # type: ignore[attr-defined]
        if type(node) is core.Range:  # type: ignore[attr-defined]
            lower, upper = node.lower, node.upper  # type: ignore[attr-defined]
            if upper - lower + 1 > limit:
                return None
            return frozenset(chr(c) for c in range(lower, upper + 1))
        if type(node) is core.SetUnion:  # type: ignore[attr-defined]
            found: set[str] = set()
            for item in node.items:  # type: ignore[attr-defined]
                chars = self.chars(item, limit)
                if chars is None:
                    return None
                found |= chars
                if len(found) > limit:
                    return None
            return frozenset(found)
        return None

    def analyse(self, node: object) -> _Info:
        core = self.core
        kind = type(node)
        if kind is core.LookAround:  # type: ignore[attr-defined]
            if not node.positive:  # type: ignore[attr-defined]
                return _ZERO
            inner = self.analyse(node.subpattern)  # type: ignore[attr-defined]
            exact = inner.exact if inner.kind == "consume" else None
            required = _best([inner.required, exact])
            return _Info(exact, required, "behind" if node.behind else "ahead")  # type: ignore[attr-defined]
        if isinstance(node, core.ZeroWidthBase):  # type: ignore[attr-defined]
            return _ZERO  # anchors, \b, \K, \G, (*SKIP) …: consume nothing
        if kind is core.Character:  # type: ignore[attr-defined]
            if getattr(node, "zerowidth", False):
                return _ZERO
            chars = self.chars(node)
            return _Info(chars, chars) if chars is not None else _UNKNOWN
        if kind in (core.String, core.Literal):  # type: ignore[attr-defined]
            if self.cased(node):
                return _UNKNOWN
            text = frozenset(("".join(chr(c) for c in node.characters),))  # type: ignore[attr-defined]
            return _Info(text, text)
        if kind in (core.SetUnion, core.Range):  # type: ignore[attr-defined]
            chars = self.chars(node)
            if chars is not None:
                return _Info(chars, chars)
            # Too many to carry through concatenation, but still a requirement ([a-z]).
            return _Info(None, self.chars(node, MAX_WIDE_CLASS))
        if kind in (core.Group, core.Atomic):  # type: ignore[attr-defined]
            return self.analyse(node.subpattern)  # type: ignore[attr-defined]
        if kind is core.Sequence:  # type: ignore[attr-defined]
            return self.sequence(node.items)  # type: ignore[attr-defined]
        if kind is core.Branch:  # type: ignore[attr-defined]
            return self.branch(node.branches)  # type: ignore[attr-defined]
        if kind in (core.GreedyRepeat, core.LazyRepeat, core.PossessiveRepeat):  # type: ignore[attr-defined]
            return self.repeat(node)
        return _UNKNOWN  # wildcards, properties, back references, fuzzy, conditionals …

    def sequence(self, items: Iterable[object]) -> _Info:
        candidates: list[frozenset[str] | None] = []
        run: frozenset[str] | None = frozenset(("",))  # text matched contiguously so far
        whole: frozenset[str] | None = frozenset(("",))  # all consumed text of the sequence
        for item in items:
            info = self.analyse(item)
            candidates.append(info.required)
            if info.kind == "zero":
                continue
            if info.kind == "behind":
                # The looked-behind text ends where the next item starts.
                candidates.append(run)
                run = info.exact
                continue
            if info.kind == "ahead":
                # The looked-ahead text starts where the run ends (but so does the next item).
                candidates.append(_concat(run, info.exact))
                continue
            whole = _concat(whole, info.exact)
            joined = _concat(run, info.exact)
            if joined is None:
                candidates.append(run)
                run = info.exact if info.exact is not None else frozenset(("",))
            else:
                run = joined
        candidates.append(run)
        candidates.append(whole)
        return _Info(whole, _best(candidates))

    def branch(self, branches: Iterable[object]) -> _Info:
        infos = [self.analyse(b) for b in branches]
        if not infos:
            return _UNKNOWN
        exact: frozenset[str] | None = frozenset()
        required: frozenset[str] | None = frozenset()
        for info in infos:
            own = info.exact if info.kind == "consume" else None
            if exact is not None and own is not None and len(exact) + len(own) <= MAX_EXACT:
                exact = exact | own
            else:
                exact = None
            need = _best([info.required, own])
            required = required | need if required is not None and need is not None else None
        return _Info(exact, _valid(required))

    def repeat(self, node: object) -> _Info:
        inner = self.analyse(node.subpattern)  # type: ignore[attr-defined]
        low, high = node.min_count, node.max_count  # type: ignore[attr-defined]
        own = inner.exact if inner.kind == "consume" else None
        if low == 0:
            if high == 1 and own is not None:
                return _Info(own | {""}, None)
            return _UNKNOWN
        required = _best([inner.required, own])
        exact = None
        if high == low and own is not None:
            exact = frozenset(("",))
            for _ in range(low):
                exact = _concat(exact, own)
        return _Info(exact, required)

    def line_local(self, node: object) -> bool:
        """Whether nothing a match consumes or looks at can be a line break (so a match and
        its context lie within one line), with no anchor whose meaning depends on where a
        search stops or starts."""
        core = self.core
        kind = type(node)
        if kind is core.LookAround:  # type: ignore[attr-defined]
            return self.line_local(node.subpattern)  # type: ignore[attr-defined]
        if kind in (core.StartOfLine, core.StartOfLineU, core.EndOfLine, core.EndOfLineU):  # type: ignore[attr-defined]
            return True  # multi-line ^ and $: look at the neighbouring character only
        if kind in (core.StartOfString, core.Boundary, core.DefaultBoundary, core.Keep):  # type: ignore[attr-defined]
            return True
        if kind in (core.StartOfWord, core.EndOfWord, core.DefaultStartOfWord, core.DefaultEndOfWord):  # type: ignore[attr-defined]
            return True
        if isinstance(node, core.ZeroWidthBase):  # type: ignore[attr-defined]
            return False  # \Z, single-line $, \G, (*SKIP) …: depend on the search's ends
        if kind in (core.Character, core.Range, core.Property) or isinstance(node, core.SetBase):  # type: ignore[attr-defined]
            return not node.matches(10)  # type: ignore[attr-defined]
        if kind in (core.Any, core.AnyU):  # type: ignore[attr-defined]
            return True  # "." without DOTALL
        if kind in (core.String, core.Literal):  # type: ignore[attr-defined]
            return 10 not in node.characters  # type: ignore[attr-defined]
        if kind in (core.Group, core.Atomic, core.GreedyRepeat, core.LazyRepeat, core.PossessiveRepeat):  # type: ignore[attr-defined]
            return self.line_local(node.subpattern)  # type: ignore[attr-defined]
        if kind is core.Sequence:  # type: ignore[attr-defined]
            return all(self.line_local(item) for item in node.items)  # type: ignore[attr-defined]
        if kind is core.Branch:  # type: ignore[attr-defined]
            return all(self.line_local(branch) for branch in node.branches)  # type: ignore[attr-defined]
        return False

    def reach(self, node: object) -> int | None:
        """An upper bound on how many characters a successful match inspects, lookarounds
        (positive and negative) included; None if unbounded or unknown."""
        core = self.core
        kind = type(node)
        if self.cased(node):
            return None  # case folding can match more characters than written (ß ~ ss)
        if kind is core.LookAround:  # type: ignore[attr-defined]
            return self.reach(node.subpattern)  # type: ignore[attr-defined]
        if kind in (core.Skip, core.Prune, core.Failure, core.SearchAnchor):  # type: ignore[attr-defined]
            return None  # these change where the next attempt starts: no windows
        if isinstance(node, core.ZeroWidthBase):  # type: ignore[attr-defined]
            return 0
        if kind in (core.Character, core.Range, core.Property, core.Any, core.AnyAll, core.AnyU):  # type: ignore[attr-defined]
            return 1
        if isinstance(node, core.SetBase):  # type: ignore[attr-defined]
            return 1
        if kind in (core.String, core.Literal):  # type: ignore[attr-defined]
            return len(node.characters)  # type: ignore[attr-defined]
        if kind in (core.Group, core.Atomic):  # type: ignore[attr-defined]
            return self.reach(node.subpattern)  # type: ignore[attr-defined]
        if kind is core.Sequence:  # type: ignore[attr-defined]
            total = 0
            for item in node.items:  # type: ignore[attr-defined]
                width = self.reach(item)
                if width is None:
                    return None
                total += width
            return total
        if kind is core.Branch:  # type: ignore[attr-defined]
            widths = [self.reach(b) for b in node.branches]  # type: ignore[attr-defined]
            return None if not widths or None in widths else max(w for w in widths if w is not None)
        if kind in (core.GreedyRepeat, core.LazyRepeat, core.PossessiveRepeat):  # type: ignore[attr-defined]
            width = self.reach(node.subpattern)  # type: ignore[attr-defined]
            high = node.max_count  # type: ignore[attr-defined]
            return None if width is None or high is None else width * high
        return None


class PatternFacts(NamedTuple):
    """What the prefilter knows about a pattern."""

    literals: frozenset[str] | None  # one of these occurs in every match (with its lookaround text)
    reach: int | None  # every match inspects at most this many characters (None: unbounded)
    line_local: bool = False  # no match, lookarounds included, reaches across a line break


def analyse_pattern(pattern: str, flags: int = 0) -> PatternFacts:
    try:
        parsed = _parse(pattern, flags)
        if parsed is None:
            return PatternFacts(None, None)
        core, tree, final_flags = parsed
        if final_flags & (core.IGNORECASE | core.REVERSE):  # type: ignore[attr-defined]
            return PatternFacts(None, None)
        analyser = _Analyser(core)
        info = analyser.analyse(tree)
        literals = _best([info.required, info.exact if info.kind == "consume" else None])
        # Windows pay only where the matcher cannot skip ahead by itself: a pattern with a
        # required string is already searched with a fast string search.
        if literals is None or _has_required_string(pattern, flags):
            return PatternFacts(literals, None)
        reach = analyser.reach(tree)
        return PatternFacts(literals, reach, reach is None and analyser.line_local(tree))
    except Exception:  # the parser's internals are not a public API: never fail a rule over them
        return PatternFacts(None, None)


def pattern_reach(pattern: str, flags: int = 0) -> int | None:
    """Most characters a match of ``pattern`` inspects, lookarounds included (None: unbounded)."""
    return _tree_fact(pattern, flags, _Analyser.reach, None)


def pattern_line_local(pattern: str, flags: int = 0) -> bool:
    """Whether no match of ``pattern``, with what its look-arounds inspect, reaches across a
    line break (and no anchor depends on where a search starts or stops)."""
    return _tree_fact(pattern, flags, _Analyser.line_local, False)


def _tree_fact(pattern: str, flags: int, fact: Callable[[_Analyser, object], _T], unknown: _T) -> _T:
    """``fact`` of the pattern's parse tree, or ``unknown`` when it cannot be read."""
    try:
        parsed = _parse(pattern, flags)
        if parsed is None:
            return unknown
        core, tree, _ = parsed
        return fact(_Analyser(core), tree)
    except Exception:  # the parser's internals are not a public API
        return unknown


def _has_required_string(pattern: str, flags: int) -> bool:
    """Whether the ``regex`` matcher searches ``pattern`` by a required literal string."""
    try:
        from regex import _main

        parsed = _parse(pattern, flags)
        if parsed is None:
            return False
        core, tree, final_flags = parsed
        info = core.Info(final_flags, str, {})  # type: ignore[attr-defined]
        info.guess_encoding = core.UNICODE  # type: ignore[attr-defined]
        tree.fix_groups(pattern, False, False)  # type: ignore[attr-defined]
        tree = tree.optimise(info, False).pack_characters(info)  # type: ignore[attr-defined]
        return bool(_main._get_required_string(tree, info.flags)[1])
    except Exception:
        return False


def _parse(pattern: str, flags: int) -> tuple[object, object, int] | None:
    """The ``regex`` module's own parse tree of ``pattern`` (None if unavailable)."""
    from regex import _regex_core as core

    global_flags = flags
    for _ in range(3):
        source = core.Source(pattern)
        info = core.Info(global_flags, source.char_type, {})
        info.guess_encoding = core.UNICODE
        source.ignore_space = bool(info.flags & core.VERBOSE)
        try:
            parsed = core._parse_pattern(source, info)
        except core._UnscopedFlagSet:
            global_flags = info.global_flags  # an inline global flag: parse again with it
            continue
        if not source.at_end():
            return None
        return core, parsed, info.flags
    return None


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` (with the text its positive
    lookarounds look at) contains; None when nothing useful is known."""
    return analyse_pattern(pattern, flags).literals


def literal_set(terms: Iterable[str]) -> frozenset[str] | None:
    """The requirement of a plain list of terms (any of them must occur)."""
    return _valid(frozenset(terms))


def terms_facts(terms: list[str], pattern: str) -> PatternFacts:
    """What the prefilter knows about ``pattern``, the alternation of ``terms``."""
    literals = literal_set(terms)
    if literals is None or _has_required_string(pattern, 0):
        return PatternFacts(literals, None)
    return PatternFacts(literals, max(len(t) for t in terms))


MAX_CHARS_BY_IN = 8  # more single characters than this: one character-class search


def _single_chars(literals: frozenset[str]) -> bool:
    return all(len(literal) == 1 for literal in literals)


@lru_cache(maxsize=256)
def _char_class(literals: frozenset[str]) -> regex.Pattern[str]:
    """One character class of ``literals``, written as ranges: the matcher tests a range
    in one step but a long list of single characters one by one ([a-z] is some twenty
    times faster than [abc…z])."""
    codes = sorted(ord(c) for c in literals)
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges)
    return regex.compile("[" + "".join(parts) + "]")


class LiteralScanner:
    """The multi-character literals of a rule set in one Aho–Corasick automaton
    (ahocorasick_rs, a compiled DFA): one pass over a document finds every occurrence
    of all of them, instead of one substring search per literal and rule."""

    def __init__(self, literals: Iterable[str]) -> None:
        self.literals = frozenset(literal for literal in literals if len(literal) > 1)
        self._ordered = sorted(self.literals)  # the automaton reports a literal by its index here
        self._automaton = _automaton(self._ordered) if self.literals else None

    def occurrences(self, text: str) -> dict[str, list[int]]:
        """Start offsets of each literal found in ``text`` (overlapping ones included),
        ascending; literals that do not occur are absent."""
        found: dict[str, list[int]] = {}
        if self._automaton is None:
            return found
        try:
            matches = self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate has no UTF-8 for the automaton: rare, search each
            return _each_occurrence(text, self.literals)
        ordered = self._ordered
        for index, start, _ in matches:
            literal = ordered[index]
            starts = found.get(literal)
            if starts is None:
                found[literal] = [start]
            else:
                starts.append(start)
        return found


def _each_occurrence(text: str, literals: Iterable[str]) -> dict[str, list[int]]:
    """What :meth:`LiteralScanner.occurrences` finds, one literal at a time."""
    found: dict[str, list[int]] = {}
    for literal in literals:
        at = text.find(literal)
        while at != -1:
            found.setdefault(literal, []).append(at)
            at = text.find(literal, at + 1)
    return found


def _automaton(literals: list[str]) -> Any:
    try:
        import ahocorasick_rs
    except ImportError:  # a platform without the wheel: each literal is searched on its own
        return None
    # The DFA takes about a millisecond to build for the default pack and searches two to
    # three times faster than the automaton's other forms.
    return ahocorasick_rs.AhoCorasick(literals, implementation=ahocorasick_rs.Implementation.DFA)


class LiteralIndex:
    """Memoised ``literal in text`` for one document, and the windows of text around
    the literals' occurrences where a pattern can match.  With a :class:`LiteralScanner`
    its literals are all found in one pass, the first time one of them is asked for."""

    __slots__ = ("_found", "_scanner", "_seen", "_sets", "_windows", "text")

    def __init__(self, text: str, scanner: LiteralScanner | None = None) -> None:
        self.text = text
        self._scanner = scanner if scanner is not None and scanner._automaton is not None else None
        self._found: dict[str, list[int]] | None = None
        self._seen: dict[str, bool] = {}
        self._sets: dict[frozenset[str], bool] = {}
        self._windows: dict[tuple[frozenset[str], int], list[tuple[int, int]] | None] = {}

    def _scanned(self, literal: str) -> list[int] | None:
        """The literal's start offsets if the scanner knows it (empty: absent), else None."""
        scanner = self._scanner
        if scanner is None or literal not in scanner.literals:
            return None
        found = self._found
        if found is None:
            found = self._found = scanner.occurrences(self.text)
        return found.get(literal, [])

    def contains(self, literal: str) -> bool:
        seen = self._seen.get(literal)
        if seen is None:
            scanned = self._scanned(literal)
            seen = self._seen[literal] = bool(scanned) if scanned is not None else literal in self.text
        return seen

    def line_windows(self, literals: frozenset[str]) -> list[tuple[int, int]] | None:
        """Like :meth:`windows`, for a pattern whose matches and context never cross a line
        break: the lines holding the literals, each with its line break (so ``$`` and
        look-aheads see what they see in the whole text)."""
        key = (literals, -1)
        if key in self._windows:
            return self._windows[key]
        result = self._windows[key] = self._compute_windows(literals, 0, lines=True)
        return result

    def windows(self, literals: frozenset[str], reach: int) -> list[tuple[int, int]] | None:
        """Sorted, disjoint ``(start, end)`` ranges holding every match (and all the text it
        inspects) of a pattern whose matches contain one of ``literals`` and inspect at
        most ``reach`` characters; None when scanning the whole text is as cheap.

        Each occurrence of a literal is widened by ``reach`` and a margin on both sides,
        and overlapping ranges are merged.  A match lies, with everything it looks at,
        inside the range of the occurrence it contains, at least the margin away from the
        range's ends; so searching the ranges finds exactly the matches a search of the
        whole text finds, in the same order."""
        key = (literals, reach)
        if key in self._windows:
            return self._windows[key]
        result = self._windows[key] = self._compute_windows(literals, reach)
        return result

    def _compute_windows(
        self, literals: frozenset[str], reach: int, lines: bool = False
    ) -> list[tuple[int, int]] | None:
        text = self.text
        size = len(text)
        margin = reach + WINDOW_MARGIN
        limit = MAX_LINE_OCCURRENCES if lines else MAX_OCCURRENCES
        if 4 * margin >= size:
            return None
        starts: list[tuple[int, int]] = []
        if len(literals) > MAX_CHARS_BY_IN and _single_chars(literals):
            for found in _char_class(literals).finditer(text):
                starts.append(found.span())
                if len(starts) > limit:
                    return None
        else:
            present = [literal for literal in literals if self._seen.get(literal, True)]
            if len(present) > MAX_WINDOW_LITERALS:
                return None
            scanned = [self._scanned(literal) for literal in present]
            total = 0
            for literal, positions in zip(present, scanned, strict=True):
                # (count() is non-overlapping: a lower bound, enough to give up early)
                total += len(positions) if positions is not None else text.count(literal)
                if total > limit:
                    return None
            find = text.find
            for literal, positions in zip(present, scanned, strict=True):
                if positions is not None:
                    starts.extend((at, at + len(literal)) for at in positions)
                    if len(starts) > limit:
                        return None
                    continue
                at = find(literal)
                while at != -1:
                    starts.append((at, at + len(literal)))
                    if len(starts) > limit:
                        return None
                    at = find(literal, at + 1)
        starts.sort()
        merged: list[tuple[int, int]] = []
        for begin, end in starts:
            if lines:
                if merged and begin < merged[-1][1]:
                    continue  # in the line the last window already holds
                begin = text.rfind("\n", 0, begin) + 1
                after = text.find("\n", end)
                end = size if after == -1 else after + 1
            else:
                begin, end = max(0, begin - margin), min(size, end + margin)
            if merged and begin <= merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((begin, end))
        if sum(end - begin for begin, end in merged) * 2 > size:
            return None
        return merged

    def any_in(self, literals: frozenset[str]) -> bool:
        """Whether one of ``literals`` occurs (memoised per set: every rule asks once)."""
        found = self._sets.get(literals)
        if found is None:
            found = self._sets[literals] = self._any_in(literals)
        return found

    def _any_in(self, literals: frozenset[str]) -> bool:
        if len(literals) > MAX_CHARS_BY_IN and _single_chars(literals):
            return _char_class(literals).search(self.text) is not None
        scanner = self._scanner
        if scanner is not None:
            # The scanner's literals answered by one set operation on the scan's result.
            if self._found is None:
                self._found = scanner.occurrences(self.text)
            if not self._found.keys().isdisjoint(literals):
                return True
            literals = literals - scanner.literals
        contains = self.contains
        return any(contains(literal) for literal in literals)
