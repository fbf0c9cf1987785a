"""Cross-report duplicates (RL101): passages copied between the reports of one checked set.

One unit copying another unit's report, or this year's report repeating last year's,
shows up as long, specific passages that two or three reports share almost word for
word, while the phrasing every report legitimately shares is either canonical (the
指导思想 formula, quotations of central documents) or found in many reports.

1. Each report is cut into sentences (on 。！？； and paragraph ends; a line broken by
   PDF extraction is joined to the next).  Enumeration markers (一是, （二）, 2.) are
   dropped, and so are quotations and titles (“…”, 《…》) and the canonical phrasings of
   ``data/common-phrases.txt`` plus any the user adds.  What is left is the *compared
   text*; identical sentences are handled once (boilerplate repeats a lot).
2. Every compared text is indexed by character 5-shingles.  A shingle found in more
   reports than the *common limit* (``max_reports``, or more than ``max_share`` of the
   set) is common phrasing; a sentence at least half of whose shingles are common is
   common too (a lightly edited template counts as the template) and never makes a
   finding.  Sentences sharing enough uncommon shingles are candidate pairs.
3. Candidates are segmented by jieba; pairs sharing most of their words are chained into
   passages: runs of neighbouring sentences within one paragraph of each report.  A pair
   of passages is reported when the Jaccard similarity of their jieba word sets reaches
   ``threshold`` and both hold at least ``min_chars`` characters of compared text.

The similarity is exact, not a MinHash estimate: the units are sentences and short
passages, whose word sets are small, and the inverted shingle index with its common
cut-off does the job LSH does for large documents.  So the finder needs neither numpy
nor datasketch, its output does not depend on hash seeds, and jieba (by far the slowest
step if it had to segment every report) only segments the few sentences that are candidates.
"""

from __future__ import annotations

import bisect
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex

from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.core.internal import DUPLICATE, DUPLICATE_BASIS, INTERNAL_CODES
from reportlint.support.pool import default_jobs, process_pool
from reportlint.zh.segmentation import default_tokenizer

__all__ = [
    "BASIS",
    "DuplicateOptions",
    "find_duplicates",
    "find_duplicates_with",
    "load_phrases",
    "options_from_config",
]

BASIS = DUPLICATE_BASIS

DEFAULT_THRESHOLD = 0.8
DEFAULT_MIN_CHARS = 40
DEFAULT_MAX_REPORTS = 10
DEFAULT_MAX_SHARE = 0.5

_GRAM = 5  # characters per shingle in the candidate index
_MIN_SHARED_GRAMS = 3  # uncommon shingles two sentences must share to be compared
_GRAM_CONTAINMENT = 0.3  # … and the share of the smaller one's shingles they must share
_LINK_CONTAINMENT = 0.6  # share of the smaller sentence's words needed to chain two sentences
_COMMON_SENTENCE = 0.5  # a sentence with at least this share of common shingles is common
_GAP = 2  # passage runs may step over one unmatched sentence
_PARALLEL_CHARS = 1_000_000  # below this much text to segment, segment in-process

_PHRASES_FILE = Path(__file__).resolve().parent / "data" / "common-phrases.txt"

_SENTENCE_END = regex.compile(r"[。！？；!?;]+[”’」』）)]*")
_WORD_RUN = regex.compile(r"[\p{L}\p{N}]+")
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")
# A stand-alone heading line: 一、 （一） (一) 1. 1、 （1）, without a sentence in it.
_HEADING = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d))[^。！？；]{0,60}$"
)
# Markers that open a sentence or a run-in heading; not part of the passage.
_MARKER = regex.compile(
    r"^[\s\u3000]*(?:(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.．、](?!\d)"
    r"|[一二三四五六七八九十]{1,3}(?:是要|是|要|来|则)|第[一二三四五六七八九十]{1,3}[，、]|首先|其次|再次|最后)"
    r"[\s\u3000，、：:]*)+"
)
# A line that does not end a sentence continues on the next line (PDF extraction breaks lines).
_OPEN_END = regex.compile(r"[^。！？；!?;：:”’」』）)\s]\s*$")
_MIN_BROKEN_LINE = 20  # shorter unterminated lines are titles, signatures, dates
_LONG_LINE = 40  # … and so are unterminated lines without punctuation, unless this long
_INNER_PUNCT = regex.compile(r"[，。；：、,;:]")
# Quotations and titles: quoted central formulas, slogans, law and document titles.
_QUOTED = regex.compile(
    r"“[^“”\n]{0,200}”|《[^《》\n]{0,120}》|〈[^〈〉\n]{0,120}〉|「[^「」\n]{0,200}」|『[^『』\n]{0,200}』"
    r'|‘[^‘’\n]{0,120}’|"[^"\n]{0,200}"'
)


@dataclass(frozen=True)
class DuplicateOptions:
    """Settings of the finder; ``[tool.reportlint.duplicates]`` in the configuration."""

    threshold: float = DEFAULT_THRESHOLD  # Jaccard similarity of the two passages' word sets
    min_chars: int = DEFAULT_MIN_CHARS  # compared characters (quotations and common phrases excluded)
    max_reports: int = DEFAULT_MAX_REPORTS  # a passage in more reports than this is common phrasing
    max_share: float = DEFAULT_MAX_SHARE  # … and so is one in more than this share of the set (and > 2 reports)
    ignore_file: Path | None = None  # more common phrasings, same format as data/common-phrases.txt

    def common_limit(self, reports: int) -> int:
        """The most reports a passage may be found in and still be reported."""
        share = int(self.max_share * reports)  # "more than the share" means at least share + 1
        return max(2, min(self.max_reports, share))


def options_from_config(config: Any) -> DuplicateOptions:
    """Options from a ``reportlint.engine.config.Config`` (its ``duplicates`` table), defaults otherwise."""
    table: Mapping[str, Any] = getattr(config, "duplicates", None) or {}
    ignore = table.get("ignore-file")
    return DuplicateOptions(
        threshold=float(table.get("threshold", DEFAULT_THRESHOLD)),
        min_chars=int(table.get("min-length", DEFAULT_MIN_CHARS)),
        max_reports=int(table.get("max-reports", DEFAULT_MAX_REPORTS)),
        max_share=float(table.get("max-share", DEFAULT_MAX_SHARE)),
        ignore_file=Path(ignore) if ignore else None,
    )


# ---------------------------------------------------------------------------
# Common phrasings


def load_phrases(path: Path) -> list[str]:
    """Patterns (regex source, for text without punctuation) from a phrase file.

    Raises :class:`InputError` (``path:line: 问题``) for an unreadable file or a bad pattern.
    """
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InputError(str(path), "常用语文件不存在", "not-found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"无法读取常用语文件（{exc.__class__.__name__}）", "io") from None
    patterns: list[str] = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("re:"):
            source = text[3:].strip()
            try:
                regex.compile(source)
            except regex.error as exc:
                raise InputError(f"{path}:{number}", f"正则表达式有误：{exc}", "phrases") from None
        else:
            compact = _NON_WORD.sub("", text)
            if not compact:
                continue
            source = regex.escape(compact)
        patterns.append(source)
    return patterns


@cache
def _builtin_phrases() -> tuple[str, ...]:
    return tuple(load_phrases(_PHRASES_FILE))


def _phrase_regex(patterns: Sequence[str]) -> regex.Pattern[str] | None:
    if not patterns:
        return None
    # Longest literal first, so that a longer phrase wins over its prefix.
    ordered = sorted(dict.fromkeys(patterns), key=lambda p: (-len(p), p))
    return regex.compile("|".join(f"(?:{p})" for p in ordered))


# ---------------------------------------------------------------------------
# Sentences


@dataclass(frozen=True, slots=True)
class _Sentence:
    raw: str  # the sentence as written, markers dropped, line breaks removed
    start: int  # offset of its first character in the document
    end: int  # offset just past it (its final punctuation included)
    block: int  # logical paragraph index within the document


def _blocks(doc: Document) -> Iterator[list[tuple[int, int]]]:
    """Logical paragraphs as lists of (start, end) line pieces; headings are left out."""
    lines = doc.lines
    starts = doc.line_starts
    current: list[tuple[int, int]] = []
    for index, text in enumerate(lines):
        stripped = text.strip()
        if not stripped:
            continue
        piece = (starts[index], starts[index] + len(text))
        heading = _HEADING.match(text) is not None
        if current and not heading and not _MARKER.match(text) and _continues(doc, current[-1]):
            current.append(piece)
            continue
        if current:
            yield current
        current = [] if heading else [piece]
    if current:
        yield current


def _continues(doc: Document, piece: tuple[int, int]) -> bool:
    """Whether a line was broken inside a sentence: long body text (not a title) without final punctuation."""
    text = doc.text[piece[0] : piece[1]].strip()
    if _OPEN_END.search(text) is None:
        return False
    return len(text) >= _LONG_LINE or (len(text) >= _MIN_BROKEN_LINE and _INNER_PUNCT.search(text) is not None)


def _sentences(doc: Document) -> list[_Sentence]:
    result: list[_Sentence] = []
    text = doc.text
    for block_index, pieces in enumerate(_blocks(doc)):
        joined = "".join(text[s:e] for s, e in pieces)
        piece_starts: list[int] = []  # index in ``joined`` where each piece starts
        position = 0
        for s, e in pieces:
            piece_starts.append(position)
            position += e - s

        def to_offset(index: int, pieces: list[tuple[int, int]] = pieces, starts: list[int] = piece_starts) -> int:
            which = bisect.bisect_right(starts, index) - 1
            return pieces[which][0] + index - starts[which]

        begin = 0
        bounds = [m.end() for m in _SENTENCE_END.finditer(joined)]
        if not bounds or bounds[-1] < len(joined):
            bounds.append(len(joined))
        for end in bounds:
            chunk = joined[begin:end]
            marker = _MARKER.match(chunk)
            skip = marker.end() if marker else len(chunk) - len(chunk.lstrip())
            raw = chunk[skip:].rstrip()
            if raw:
                first = begin + skip
                last = to_offset(first + len(raw) - 1)
                result.append(_Sentence(raw=raw, start=to_offset(first), end=last + 1, block=block_index))
            begin = end
    return result


# ---------------------------------------------------------------------------
# Compared text and words


def _compared_text(raw: str, phrases: regex.Pattern[str] | None) -> str:
    """The letters and digits of ``raw`` with quotations and common phrases cut out;
    each cut leaves a NUL so that no word or shingle is formed across it."""
    runs = [(m.start(), m.end()) for m in _WORD_RUN.finditer(raw)]
    compact = "".join(raw[s:e] for s, e in runs)
    cuts: list[tuple[int, int]] = []
    if _QUOTED.search(raw):
        run_starts = [s for s, _ in runs]
        before: list[int] = []  # compact characters before each run
        total = 0
        for s, e in runs:
            before.append(total)
            total += e - s

        def to_compact(pos: int) -> int:
            which = bisect.bisect_right(run_starts, pos) - 1
            if which < 0:
                return 0
            s, e = runs[which]
            return before[which] + min(pos - s, e - s)

        cuts.extend((to_compact(m.start()), to_compact(m.end())) for m in _QUOTED.finditer(raw))
    if phrases is not None:
        cuts.extend(m.span() for m in phrases.finditer(compact) if m.end() > m.start())
    if not cuts:
        return compact
    cuts.sort()
    parts: list[str] = []
    position = 0
    for start, end in cuts:
        if start > position:
            parts.append(compact[position:start])
        position = max(position, end)
    parts.append(compact[position:])
    return "\x00".join(p for p in parts if p)


def _grams(text: str) -> set[int]:
    """Character shingles of ``text`` (hashed; only compared within one process)."""
    size = _GRAM
    grams: set[int] = set()
    for part in text.split("\x00"):
        if len(part) <= size:
            grams.add(hash(part))
        else:
            grams.update(hash(part[i : i + size]) for i in range(len(part) - size + 1))
    return grams


def _tokenizer() -> Any:
    return default_tokenizer()  # (jieba: loaded on first use, in zh.segmentation)


def _segment_chunk(texts: Sequence[str]) -> list[list[str]]:
    tokenizer = _tokenizer()
    return [[w for part in text.split("\x00") for w in tokenizer.cut(part, HMM=False)] for text in texts]


def _segment(texts: list[str], jobs: int | None) -> list[list[str]]:
    """jieba words of each text, in worker processes when there is much text."""
    if jobs is None:
        jobs = min(default_jobs(), 4) if sum(map(len, texts)) >= _PARALLEL_CHARS else 1
    if jobs <= 1 or len(texts) < 2 * jobs:
        return _segment_chunk(texts)
    size = -(-len(texts) // (jobs * 4))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    _tokenizer()  # a forked worker inherits the loaded dictionary
    with process_pool(jobs) as pool:
        return [words for chunk in pool.map(_segment_chunk, chunks) for words in chunk]


# ---------------------------------------------------------------------------
# The finder


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    other: int  # index of the other document
    other_start: int
    similarity: float


def find_duplicates(
    documents: Sequence[Document],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_chars: int = DEFAULT_MIN_CHARS,
    max_reports: int = DEFAULT_MAX_REPORTS,
    max_share: float = DEFAULT_MAX_SHARE,
    phrases: Iterable[str] = (),
    ignore_file: Path | None = None,
    builtin_phrases: bool = True,
    jobs: int | None = None,
) -> dict[str, list[Diagnostic]]:
    """Passages shared between ``documents``, as RL101 info diagnostics keyed by document path.

    Every document's path is a key (in input order), with its diagnostics sorted by
    position.  A diagnostic's ``start``/``end`` cover the duplicated passage in that
    document; ``data`` holds ``other_path``, ``other_line`` (1-based), ``similarity``
    (two decimals) and ``other_count`` (how many other reports share it), all as strings.

    ``phrases`` are extra common phrasings (regex source, matched against text without
    punctuation); ``ignore_file`` a file of them (see ``data/common-phrases.txt``);
    ``jobs`` the number of processes that segment words (None: automatic, 1: none).
    Raises :class:`InputError` when ``ignore_file`` cannot be read.
    """
    options = DuplicateOptions(threshold, min_chars, max_reports, max_share, ignore_file)
    patterns = list(_builtin_phrases()) if builtin_phrases else []
    patterns.extend(phrases)
    if ignore_file is not None:
        patterns.extend(load_phrases(ignore_file))
    results: dict[str, list[Diagnostic]] = {doc.path: [] for doc in documents}
    if len(documents) < 2:
        return results
    finder = _Finder(list(documents), options, _phrase_regex(patterns), jobs)
    with _gc_paused():  # millions of small sets and lists, none of them in a reference cycle
        found = finder.run()
    for index, matches in found.items():
        doc = documents[index]
        results[doc.path].extend(_diagnostics(doc, matches, documents))
    for path in results:
        results[path].sort(key=Diagnostic.sort_key)
    return results


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def find_duplicates_with(
    documents: Sequence[Document], options: DuplicateOptions, **kwargs: Any
) -> dict[str, list[Diagnostic]]:
    """:func:`find_duplicates` with the settings of ``options`` (see :func:`options_from_config`)."""
    return find_duplicates(
        documents,
        threshold=options.threshold,
        min_chars=options.min_chars,
        max_reports=options.max_reports,
        max_share=options.max_share,
        ignore_file=options.ignore_file,
        **kwargs,
    )


class _Finder:
    """One run over a set of documents.  Sentences are numbered twice: every sentence of
    every document by (document, position), and every distinct compared text by ``sid``."""

    def __init__(
        self, documents: list[Document], options: DuplicateOptions, phrases: regex.Pattern[str] | None, jobs: int | None
    ) -> None:
        self.documents = documents
        self.options = options
        self.phrases = phrases
        self.jobs = jobs
        self.limit = options.common_limit(len(documents))
        self.texts: list[str] = []  # per sid
        self.lengths: list[int] = []  # per sid: characters compared
        self.words: dict[int, frozenset[int]] = {}  # per sid, filled for the sentences that need it
        self.vocabulary: dict[str, int] = {}

    def run(self) -> dict[int, list[_Match]]:
        sentences, occurrences, docs_of = self._sentences()
        grams = [_grams(text) if text else set() for text in self.texts]
        common, postings, common_grams = self._common(grams, docs_of)
        candidates = self._candidates(grams, postings, common, common_grams)
        self._add_words(sorted({sid for pair in candidates for sid in pair}))
        links = [(a, b) for a, b in candidates if _containment(self.words[a], self.words[b]) >= _LINK_CONTAINMENT]
        links.extend((sid, sid) for sid, docs in enumerate(docs_of) if len(docs) > 1 and not common[sid])
        pairs = self._pairs(links, occurrences)
        runs = [
            (x, y, run_x, run_y)
            for x, y in sorted(pairs)
            for run_x, run_y in _runs(sorted(pairs[(x, y)]), sentences[x], sentences[y])
        ]
        self._add_words(sorted({occurrences[d][i] for x, y, rx, ry in runs for d, r in ((x, rx), (y, ry)) for i in r}))
        matches: dict[int, list[_Match]] = defaultdict(list)
        for x, y, run_x, run_y in runs:
            self._judge(x, y, run_x, run_y, occurrences, sentences, matches)
        return matches

    def _sentences(self) -> tuple[list[list[_Sentence]], list[list[int]], list[list[int]]]:
        """Sentences of each document, their sids, and the documents of each sid."""
        sentences = [_sentences(doc) for doc in self.documents]
        sid_of_raw: dict[str, int] = {}
        sid_of_text: dict[str, int] = {}
        occurrences: list[list[int]] = []
        for doc_sentences in sentences:
            sids: list[int] = []
            for sentence in doc_sentences:
                sid = sid_of_raw.get(sentence.raw)
                if sid is None:
                    text = _compared_text(sentence.raw, self.phrases)
                    sid = sid_of_text.get(text)
                    if sid is None:
                        sid = sid_of_text[text] = len(self.texts)
                        self.texts.append(text)
                        self.lengths.append(len(text) - text.count("\x00"))
                    sid_of_raw[sentence.raw] = sid
                sids.append(sid)
            occurrences.append(sids)
        docs_of: list[list[int]] = [[] for _ in self.texts]  # ascending, distinct
        for index, sids in enumerate(occurrences):
            for sid in dict.fromkeys(sids):
                docs_of[sid].append(index)
        return sentences, occurrences, docs_of

    def _common(
        self, grams: list[set[int]], docs_of: list[list[int]]
    ) -> tuple[list[bool], dict[int, list[int]], set[int]]:
        """Which sids are common phrasing, the shingle index of the others, and the common shingles.

        A sentence is common when it is found in more reports than the limit, or when
        most of its shingles are (so near-copies of a template count as the template)."""
        limit = self.limit
        common = [len(docs) > limit or not self.lengths[sid] for sid, docs in enumerate(docs_of)]
        # Shingles found in more than one sentence or report (set operations run in C).
        seen: set[int] = set()
        shared: set[int] = set()
        for sid, sid_grams in enumerate(grams):
            shared |= sid_grams if len(docs_of[sid]) > 1 else sid_grams & seen
            seen |= sid_grams
        del seen
        postings: dict[int, list[int]] = defaultdict(list)
        for sid, sid_grams in enumerate(grams):
            for gram in sid_grams & shared:
                postings[gram].append(sid)
        common_grams: set[int] = set()
        for gram, sids in postings.items():
            if sum(len(docs_of[sid]) for sid in sids) <= limit:
                continue  # an upper bound of the reports it is found in
            reports: set[int] = set()
            for sid in sids:
                reports.update(docs_of[sid])
                if len(reports) > limit:
                    common_grams.add(gram)
                    break
        if common_grams:
            for sid, sid_grams in enumerate(grams):
                if not common[sid] and len(sid_grams & common_grams) >= _COMMON_SENTENCE * len(sid_grams):
                    common[sid] = True
        return common, postings, common_grams

    def _candidates(
        self, grams: list[set[int]], postings: dict[int, list[int]], common: list[bool], common_grams: set[int]
    ) -> list[tuple[int, int]]:
        """Pairs of distinct sentences that share enough uncommon shingles to be compared by words."""
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for gram, sids in postings.items():
            if len(sids) < 2 or gram in common_grams:
                continue
            live = [sid for sid in sids if not common[sid]]
            for i, a in enumerate(live):
                for b in live[i + 1 :]:
                    shared[(a, b) if a < b else (b, a)] += 1
        candidates: list[tuple[int, int]] = []
        for (a, b), count in shared.items():
            smaller = min(len(grams[a]), len(grams[b]))
            if count >= min(_MIN_SHARED_GRAMS, smaller) and len(grams[a] & grams[b]) >= _GRAM_CONTAINMENT * smaller:
                candidates.append((a, b))
        candidates.sort()
        return candidates

    def _add_words(self, sids: list[int]) -> None:
        todo = [sid for sid in sids if sid not in self.words]
        if not todo:
            return
        vocabulary = self.vocabulary
        for sid, words in zip(todo, _segment([self.texts[sid] for sid in todo], self.jobs), strict=True):
            self.words[sid] = frozenset(vocabulary.setdefault(w, len(vocabulary)) for w in words)

    def _pairs(
        self, links: list[tuple[int, int]], occurrences: list[list[int]]
    ) -> dict[tuple[int, int], set[tuple[int, int]]]:
        """Matched (sentence position, sentence position) pairs for each pair of documents."""
        positions: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        wanted = {sid for link in links for sid in link}
        for index, sids in enumerate(occurrences):
            for position, sid in enumerate(sids):
                if sid in wanted:
                    positions[sid][index].append(position)
        pairs: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
        paths = [doc.path for doc in self.documents]
        for a, b in links:
            for x, x_positions in positions[a].items():
                for y, y_positions in positions[b].items():
                    if x == y or paths[x] == paths[y]:  # the same file given twice is no copy
                        continue
                    for px in x_positions:
                        for py in y_positions:
                            if x < y:
                                pairs[(x, y)].add((px, py))
                            else:
                                pairs[(y, x)].add((py, px))
        return pairs

    def _judge(
        self,
        x: int,
        y: int,
        run_x: range,
        run_y: range,
        occurrences: list[list[int]],
        sentences: list[list[_Sentence]],
        matches: dict[int, list[_Match]],
    ) -> None:
        sids_x = [occurrences[x][i] for i in run_x]
        sids_y = [occurrences[y][i] for i in run_y]
        lengths = self.lengths
        if min(sum(lengths[s] for s in sids_x), sum(lengths[s] for s in sids_y)) < self.options.min_chars:
            return
        words_x = frozenset().union(*(self.words[s] for s in sids_x))
        words_y = frozenset().union(*(self.words[s] for s in sids_y))
        similarity = _jaccard(words_x, words_y)
        if similarity < self.options.threshold:
            return
        sx, sy = sentences[x], sentences[y]
        x_start, x_end = sx[run_x[0]].start, sx[run_x[-1]].end
        y_start, y_end = sy[run_y[0]].start, sy[run_y[-1]].end
        matches[x].append(_Match(x_start, x_end, y, y_start, similarity))
        matches[y].append(_Match(y_start, y_end, x, x_start, similarity))


def _containment(a: frozenset[int], b: frozenset[int]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _runs(
    pairs: list[tuple[int, int]], sentences_x: list[_Sentence], sentences_y: list[_Sentence]
) -> Iterator[tuple[range, range]]:
    """Group matched (x sentence, y sentence) pairs into passages: pairs that lie within
    ``_GAP`` sentences of each other on both sides, in one paragraph on each side."""
    parent = list(range(len(pairs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (px, py) in enumerate(pairs):
        for j in range(i + 1, len(pairs)):
            qx, qy = pairs[j]
            if qx - px > _GAP:
                break  # sorted by x
            if (
                abs(qy - py) <= _GAP
                and sentences_x[px].block == sentences_x[qx].block
                and sentences_y[py].block == sentences_y[qy].block
            ):
                parent[find(j)] = find(i)
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        groups[find(i)].append(pair)
    for root in sorted(groups):
        group = groups[root]
        xs = [p[0] for p in group]
        ys = [p[1] for p in group]
        yield range(min(xs), max(xs) + 1), range(min(ys), max(ys) + 1)


def _diagnostics(doc: Document, matches: list[_Match], documents: Sequence[Document]) -> Iterator[Diagnostic]:
    """One diagnostic per stretch of overlapping matches, naming the most similar other report."""
    matches = sorted(matches, key=lambda m: (m.start, m.end))
    group: list[_Match] = []
    group_end = -1
    for match in [*matches, None]:
        if match is not None and (not group or match.start < group_end):
            group.append(match)
            group_end = max(group_end, match.end)
            continue
        if group:
            yield _diagnostic(doc, group, documents)
        if match is not None:
            group = [match]
            group_end = match.end


def _diagnostic(doc: Document, group: list[_Match], documents: Sequence[Document]) -> Diagnostic:
    best = min(group, key=lambda m: (-round(m.similarity, 2), documents[m.other].path, m.other_start))
    other = documents[best.other]
    other_line = other.line_of(best.other_start)
    others = len({m.other for m in group})
    similarity = f"{best.similarity:.2f}"
    message = (
        f"该段与 {other.path} 第 {other_line} 行的段落高度相似（相似度 {similarity}），可能是照搬其他单位或往年的报告"
    )
    if others > 1:
        message += f"；另有 {others - 1} 份报告也有相似段落"
    return INTERNAL_CODES[DUPLICATE].diagnostic(
        doc.path,
        min(m.start for m in group),
        max(m.end for m in group),
        message,
        BASIS,
        data={
            "other_path": other.path,
            "other_line": str(other_line),
            "similarity": similarity,
            "other_count": str(others),
        },
    )
