"""The ``law-title`` kind: checks the titles of laws and regulations a report cites.

``mode = "short"``: a short title in 《》 (《政府信息公开条例》) whose official full title
starts with 中华人民共和国 (《中华人民共和国政府信息公开条例》), unless declared with
（以下简称《…》） or the full title was cited earlier.  Titles in ``lenient`` are
reported at info.

``mode = "unknown"``: a title in 《》 that looks like a law or regulation (ends in
法/条例/规定/办法/细则/规则, a trailing （试行）/（暂行） or version note aside) but is in
no list.  A near-miss of a national title is reported at the rule's severity: the
same stem with another ending (《重大行政决策程序规定》 → 《重大行政决策程序暂行条例》),
with or without 中华人民共和国; a title one character away from a long
中华人民共和国… title (a likely typo) is reported at warning.
Anything else (local rules of provinces the lists do not cover, 部门规章 missing from
the lists) is reported at ``unverified_severity``.  Titles matching one of the
``ignore`` patterns (e.g. party regulations, 《…关于…的规定》 documents) are skipped.

``mode = "documents"``: titles of central Party and State documents (``documents``, a TSV of
exact titles with their source and whether the title was verified).  A cited title that is
the same document written slightly wrong — a missing 的 or 法治建设, a wrong year span, 督查
for 督察, a missing bracket or 年 — is reported at the rule's severity with the right title
(at info for a title the data marks unverified: suggesting a wrong "right title" would be a
false alarm itself).  Hyphens and half-width brackets are left to the punctuation rules;
a title cited without its years at all is a hint.  Titles nested in 〈〉 (or <>) inside a
cited title are checked too.  A title with anything before or after a known one (a local
纲要, a 实施方案 of it) is another document.

``mode = "bare"``: law names in running text without 书名号: a regulation name
ending in 条例 from the lists (对政府信息公开条例理解不到位), and runs of at least
``min_run`` law names separated by 顿号 (宪法、民法典、行政复议法、行政处罚法).

All lookups are set/dict lookups prepared once per rule; nothing loops over the
title lists per citation.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import regex

from reportlint.checks.base import Check, Finding
from reportlint.checks.context import LintContext
from reportlint.core.diagnostics import Edit
from reportlint.rules.model import DATA_FILE, INTEGER, REGEXES, SEVERITY, TEXTS, Field, os_reason
from reportlint.support.rxcache import LazyPattern

PRC = "中华人民共和国"
BOOK_TITLE = LazyPattern(r"《([^《》\n]{2,80})》")
VERSION_NOTE = LazyPattern(r"[（(][^（）()]*(?:修订|修正|修改)[^（）()]*[）)]$")
TRIAL_NOTE = LazyPattern(r"[（(](?:试行|暂行|草案|征求意见稿)[）)]$")
LAW_ENDING = LazyPattern(r"(?:法|法典|条例|规定|办法|细则|规则)$")
# Province-level names, or a place word ending in an administrative unit, starting a
# local rule's title (湖北省…, 天津市…, 南开区…).
PLACE_PREFIX = LazyPattern(
    r"^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    r"广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)"
    r"|^[\p{Han}]{2,8}?(?:省|市|自治区|自治州|自治县|县|区|州|盟|旗)"
)
DECLARED_SHORT = LazyPattern(r"[（(]以下简称[“《\"]?([^”》\"）)]{1,30})[”》\"]?[）)]")
# Characters whose difference between two titles is a legitimate distinction
# (修正案（十一） vs （十二）), not a typo.
NUMERALS = frozenset("〇零一二三四五六七八九十百0123456789")
# A run of items separated by 顿号 (for mode "bare"): items hold no punctuation or brackets.
_SEPARATORS = r"，。；：！？\s《》“”（）()"  # besides 、
_ITEM = r"[^、" + _SEPARATORS + r"]{1,40}"
ITEM_RUN = LazyPattern(_ITEM + r"(?:、" + _ITEM + r"){2,}")
# Two or more 、 each followed by one item and the next 、: a chain that can hold a run.
_COMMA_CHAIN = LazyPattern("、(?:" + _ITEM + "、)+")
_ITEM_MAX = 40  # the longest item _ITEM matches
# No match of ITEM_RUN holds one of these, so each piece of text between two of them
# (a *clause*) can be searched on its own: the matches are those of the whole range.
_CLAUSE_BREAK = LazyPattern("[" + _SEPARATORS + "]")
_CLAUSE_BREAK_BEFORE = LazyPattern("(?r)[" + _SEPARATORS + "]")  # searched backwards: the last one
# A 条例 (found by its 例: a one-character literal is found faster).
_REGULATION_END = LazyPattern("(?<=条)例")
_NOTE_ENDS = ("）", ")", "\n")  # how text a VERSION_NOTE or TRIAL_NOTE can remove ends
_LAW_ENDINGS = ("法", "法典", "条例", "规定", "办法", "细则", "规则")  # LAW_ENDING as str.endswith
_TRIAL_WORDS = LazyPattern(r"(?:暂行|试行|实施)")
_HAN_LAW_NAME = LazyPattern(r"[\p{Han}]{1,20}(?:法|法典)")
_HAN_PRC_LAW = LazyPattern(r"[\p{Han}]{2,30}(?:法|法典)")
# A place word right before a bare name: the name is the tail of a local title.
PLACE_BEFORE = frozenset("省市县区州旗盟")
LOCAL_REASON = "是地方性法规、规章或文件，名录未收录，无法自动核对，请对照发布机关公布的名称核对"
UNLISTED_REASON = "不在国家法律法规名录中，请核对名称是否准确"
MIN_TYPO_LENGTH = 12  # one-character near-misses only for long titles
TYPO_SEVERITY = "warning"


INNER_TITLE = LazyPattern(r"[〈<＜]([^〈〉<>＜＞]{2,80})[〉>＞]")
_YEARS = LazyPattern(r"[（(]?\s*((?:19|20)[0-9]{2})\s*(?:年)?\s*[—–\-－~～至到]+\s*((?:19|20)[0-9]{2})\s*年?\s*[）)]?")
MISSING_YEARS = "没有写明年份"
# A local issuer named right before a title: the document is that locality's edition.
_LOCAL_ISSUER_BEFORE = LazyPattern(
    r"(?:省|市|县|区|州|盟|旗)(?:委|人民政府|政府|委员会)(?:办公厅|办公室)?"
    r"(?:[、和及与]\s*(?:[\p{Han}]{0,8}?(?:省|市|县|区|州|盟|旗))?(?:委|人民政府|政府)(?:办公厅|办公室)?)?"
    r"(?:联合)?(?:印发|制定|出台|下发)?的?\s*$"
)


class CentralDocument(NamedTuple):
    title: str
    issuer: str
    verified: bool


@cache
def _read_documents(path: Path) -> tuple[CentralDocument, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        rows = list(reader)
    for column in ("title", "verified"):
        if column not in (reader.fieldnames or ()):
            raise KeyError(column)
    return tuple(
        CentralDocument(title, (row.get("issuer") or "").strip(), (row.get("verified") or "").strip() == "yes")
        for row in rows
        if (title := (row.get("title") or "").strip())
    )


_SPACES = LazyPattern(r"\s+")
_DASHES = LazyPattern(r"[—–\-－~～]+")
_KEY_DROPS = LazyPattern(r"[的（）()〈〉<>“”\"]")


def _tolerant(title: str) -> str:
    """A title with the differences other rules report folded away: dashes, bracket width,
    spaces."""
    return _DASHES.sub("—", _SPACES.sub("", title)).replace("(", "（").replace(")", "）")


def _document_key(title: str) -> str:
    """A title without its years, brackets, 的 and 年, with 督查 read as 督察: two titles with
    one key name the same document."""
    key = _YEARS.sub("", _SPACES.sub("", title))
    return _KEY_DROPS.sub("", key.replace("督查", "督察"))


def _one_inner_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one run of 1–4 characters left out (or added)
    strictly inside them: a missing 的 or 法治建设.  Not at either end (a prefix or suffix
    makes another document, 湖北省法治政府建设实施纲要 or a 实施方案), and never a
    replaced character (法治浙江建设规划 is not 法治中国建设规划)."""
    if len(a) == len(b) or min(len(a), len(b)) < 8 or abs(len(a) - len(b)) > 4:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    prefix = 0
    while prefix < len(short) and short[prefix] == long[prefix]:
        prefix += 1
    gap = len(long) - len(short)
    return 2 <= prefix <= len(short) - 2 and long[prefix + gap :] == short[prefix:]


def _years_of(title: str) -> tuple[int, int] | None:
    found = _YEARS.search(title)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _closest(title: str, documents: tuple[CentralDocument, ...]) -> CentralDocument:
    """Among editions of one document, the one the cited years are closest to (the same end
    year first: （2022—2025年） is the 2021—2025 纲要)."""
    years = _years_of(title)
    if years is None or len(documents) == 1:
        return max(documents, key=lambda d: _years_of(d.title) or (0, 0))

    def distance(document: CentralDocument) -> tuple[int, int]:
        own = _years_of(document.title) or (0, 0)
        return (abs(own[1] - years[1]), abs(own[0] - years[0]))

    return min(documents, key=distance)


def _problem(title: str, right: str) -> str:
    cited, own = _years_of(title), _years_of(right)
    if own is not None and cited is None and not regex.search(r"(?:19|20)[0-9]{2}", title):
        return MISSING_YEARS
    if own is not None and cited is not None and cited != own:
        return "年份有误"
    if "督查" in title and "督察" in right:
        return "“督察”误写为“督查”"
    if own is not None and not regex.search(r"[（(]", title):
        return "年份应加括号"
    if own is not None and not regex.search(r"(?:19|20)[0-9]{2}\s*年", title):
        return "年份后缺少“年”字"
    return "名称有误"


@cache
def _read_lines(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


@cache
def _read_short_full(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[0]: row[1] for row in csv.reader(handle, delimiter="\t") if len(row) >= 2}


def _stem(title: str) -> str:
    return LAW_ENDING.sub("", _TRIAL_WORDS.sub("", TRIAL_NOTE.sub("", title)))


def _without_prc(title: str) -> str:
    return title[len(PRC) :] if title.startswith(PRC) else title


def _deletions(text: str) -> Iterator[str]:
    yield text
    for i in range(len(text)):
        yield text[:i] + text[i + 1 :]


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one substitution, insertion or deletion of a
    character that is not a numeral."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] != b[i + 1 :]:
            return False
        return a[i] not in NUMERALS and b[i] not in NUMERALS
    if a[i:] != b[i + 1 :]:
        return False
    return b[i] not in NUMERALS


class LawTitle(Check):
    kind = "law-title"
    scopes = frozenset({"document", "body"})
    params: ClassVar[dict[str, Field]] = {
        "mode": Field(str, choices=("short", "unknown", "bare", "documents")),
        "titles": Field(list, items=DATA_FILE),  # one title a line
        "short_full": DATA_FILE,  # a TSV: short title, full title
        "local": Field(list, items=DATA_FILE),
        "lenient": TEXTS,
        "unverified_severity": SEVERITY,
        "ignore": REGEXES,
        "min_run": INTEGER,
        "documents": DATA_FILE,  # a TSV: title issuer issued doc_number source verified note
    }
    required = ("mode",)
    placeholders = frozenset({"title", "full", "reason", "suggestion", "right", "problem", "issuer"})

    def compile(self, params: dict[str, Any]) -> None:
        self.mode = params["mode"]
        pack = self.rule.pack
        try:
            self.titles: frozenset[str] = frozenset().union(
                *(_read_lines(pack.data_path(p)) for p in params.get("titles", []))
            )
            self.local: frozenset[str] = frozenset().union(
                *(_read_lines(pack.data_path(p)) for p in params.get("local", []))
            )
            self.short_full = _read_short_full(pack.data_path(params["short_full"])) if "short_full" in params else {}
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            where = f" {exc.filename}" if isinstance(exc, OSError) and exc.filename else ""
            reason = "不是制表符分隔的文本表" if isinstance(exc, csv.Error) else os_reason(exc)
            raise self.fail("titles", f"无法读取标题清单{where}：{reason}") from None
        # Only short titles of 中华人民共和国… laws and regulations count as "short":
        # the other pairs of the table differ in inner punctuation or word order.  A listed
        # 中华人民共和国… title without the prefix is its short title too (laws newer than the
        # table: 民营经济促进法).
        self.prc_short = {t[len(PRC) :]: t for t in self.titles if t.startswith(PRC) and len(t) > len(PRC) + 2}
        self.prc_short.update({s: f for s, f in self.short_full.items() if f.startswith(PRC) and f != s})
        self.lenient = frozenset(params.get("lenient", []))
        self.unverified = params.get("unverified_severity", "info")
        ignore = params.get("ignore", [])
        try:
            self.ignore = regex.compile("|".join(f"(?:{p})" for p in ignore)) if ignore else None
        except regex.error as exc:
            raise self.fail("ignore", f"参数“ignore”中的正则表达式有误：{exc}") from None
        self.min_run = params.get("min_run", 3)
        self.documents: tuple[CentralDocument, ...] = ()
        if "documents" in params:
            try:
                self.documents = _read_documents(pack.data_path(params["documents"]))
            except KeyError as exc:
                raise self.fail("documents", f"中央文件表 {params['documents']} 缺少列“{exc.args[0]}”") from None
            except (OSError, ValueError, csv.Error) as exc:
                reason = "不是制表符分隔的文本表" if isinstance(exc, csv.Error) else os_reason(exc)
                raise self.fail("documents", f"无法读取中央文件表 {params['documents']}：{reason}") from None
        elif self.mode == "documents":
            raise self.fail("mode", "mode 为“documents”时需要参数“documents”（中央文件标题的 TSV 表）")
        self.documents_by_key: dict[str, tuple[CentralDocument, ...]] = {}
        self.document_keys: dict[str, tuple[tuple[str, CentralDocument], ...]] = {}  # by the key's first 2 chars
        for document in self.documents:
            key = _document_key(document.title)
            self.documents_by_key[key] = (*self.documents_by_key.get(key, ()), document)
            self.document_keys[key[:2]] = (*self.document_keys.get(key[:2], ()), (key, document))
        self.tolerant_titles = frozenset(_tolerant(document.title) for document in self.documents)
        if self.mode == "unknown":
            self._index_near_misses()
        elif self.mode == "bare":
            self._index_bare_names()

    # -- indexes -------------------------------------------------------------------------
    def _index_near_misses(self) -> None:
        """Stems of every national title (with and without 中华人民共和国, and of the short
        titles), and the one-deletion neighbourhood of the long 中华人民共和国… titles."""
        by_stem: dict[str, set[str]] = {}
        for title in self.titles:
            for stem in {_stem(title), _stem(_without_prc(title))}:
                if len(stem) >= 2:
                    by_stem.setdefault(stem, set()).add(title)
        for short, full in self.prc_short.items():
            stem = _stem(short)
            if len(stem) >= 2 and full in self.titles:
                by_stem.setdefault(stem, set()).add(full)
        # Tuples: the index is stored with the cached rule set, and tuples load faster than sets.
        self.by_stem: dict[str, tuple[str, ...]] = {stem: tuple(sorted(found)) for stem, found in by_stem.items()}
        self._by_deletion: dict[str, set[str]] | None = None  # built on first need (rarely needed)

    @property
    def by_deletion(self) -> dict[str, set[str]]:
        """The one-deletion neighbourhood of the long 中华人民共和国… titles."""
        if self._by_deletion is None:
            index: dict[str, set[str]] = {}
            for title in self.titles:
                if title.startswith(PRC) and len(title) >= MIN_TYPO_LENGTH:
                    for variant in _deletions(title):
                        index.setdefault(variant, set()).add(title)
            self._by_deletion = index
        return self._by_deletion

    def _index_bare_names(self) -> None:
        """Regulation names ending in 条例 (name -> full title) and law names for lists."""
        self.regulations: dict[str, str] = {}
        for title in self.titles:
            if title.endswith("条例") and len(title) >= 4 and "关于" not in title:
                self.regulations[title] = title
        for short, full in self.prc_short.items():
            if short.endswith("条例") and len(short) >= 4:
                self.regulations[short] = full
        self.max_name = max((len(n) for n in self.regulations), default=0)
        # The lengths of the names by their last three characters (…X条例), longest first:
        # the only lengths worth trying before a 条例.
        lengths: dict[str, set[int]] = {}
        for name in self.regulations:
            lengths.setdefault(name[-3:], set()).add(len(name))
        self.regulation_lengths = {tail: tuple(sorted(found, reverse=True)) for tail, found in lengths.items()}
        self.law_names: dict[str, str] = {}
        for short, full in self.prc_short.items():
            if _HAN_LAW_NAME.fullmatch(short):
                self.law_names[short] = full
        for title in self.titles:
            if title.startswith(PRC) and _HAN_PRC_LAW.fullmatch(title):
                self.law_names[title] = title
        self.law_max = max((len(n) for n in self.law_names), default=0)
        self.law_ends = frozenset(n[-1] for n in self.law_names)
        # What every run of three or more names holds (mode "bare" searches only the clauses
        # where it occurs): a name's last character and 、, then a whole item that is a name
        # (the run's second) and 、.  group(1) is that item.
        if self.law_names:
            ends = "".join(regex.escape(char) for char in sorted(self.law_ends))
            shortest = min(len(n) for n in self.law_names)
            self.run_seed: LazyPattern | None = LazyPattern(
                f"(?<=[{ends}])、(?=([^、{_SEPARATORS}]{{{shortest},{self.law_max}}})、)"
            )
        else:
            self.run_seed = None

    # -- running -------------------------------------------------------------------------
    def run(self, ctx: LintContext) -> Iterator[Finding]:
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        if self.mode == "bare":
            for span in spans:
                yield from self.bare_regulations(ctx, span.start, span.end)
                yield from self.bare_lists(ctx, span.start, span.end)
            return
        text = ctx.text
        if "《" not in text:
            return
        if self.mode == "documents":
            yield from self.run_documents(ctx, spans)
            return
        short = self.mode == "short"
        prc_short = self.prc_short
        # The declared short titles, searched for only once a short title needs them.
        declared: set[str] | None = None
        seen: set[str] = set()
        for span in spans:
            for match in BOOK_TITLE.finditer(text, span.start, span.end):
                title = match.group(1)
                if title.endswith(_NOTE_ENDS):
                    title = VERSION_NOTE.sub("", title)
                title = title.strip()
                if short:
                    finding = None
                    full = prc_short.get(title)
                    if full is not None and full not in seen:
                        if declared is None:
                            declared = {m.group(1) for m in DECLARED_SHORT.finditer(text)}
                        finding = self.short(match, title, declared, seen)
                else:
                    finding = self.unknown(match, title, ctx.regex_timeout)
                seen.add(title)
                if finding is not None:
                    yield finding

    def run_documents(self, ctx: LintContext, spans: list[Any]) -> Iterator[Finding]:
        text = ctx.text
        for span in spans:
            for match in BOOK_TITLE.finditer(text, span.start, span.end):
                if _LOCAL_ISSUER_BEFORE.search(text, max(0, match.start() - 16), match.start()):
                    continue  # 省委、省政府《法治政府建设实施纲要（2016—2020年）》: a local edition
                yield from self.check_document(match.group(1), match.start(1))
                for inner in INNER_TITLE.finditer(match.group(1)):
                    yield from self.check_document(inner.group(1), match.start(1) + inner.start(1))

    def check_document(self, title: str, start: int) -> Iterator[Finding]:
        found = self.near_document(title)
        if found is None:
            return
        document, problem = found
        values = {"title": title, "right": document.title, "problem": problem, "issuer": document.issuer}
        severity = None if document.verified and problem != MISSING_YEARS else "info"
        edits = (Edit(start, start + len(title), document.title),) if problem != MISSING_YEARS else ()
        yield Finding(start - 1, start + len(title) + 1, values, edits, severity)

    def is_document(self, title: str) -> bool:
        """Whether ``title`` is one of the central documents (punctuation aside)."""
        return _tolerant(title) in self.tolerant_titles

    def near_document(self, title: str) -> tuple[CentralDocument, str] | None:
        """The central document ``title`` is a slightly wrong citation of, and what is wrong;
        None for an exact (or only differently punctuated) title or another document."""
        if not self.documents or self.is_document(title):
            return None
        key = _document_key(title)
        candidates = self.documents_by_key.get(key)
        if candidates is None:
            # (a near miss keeps its first two characters: only those documents are compared)
            candidates = tuple(d for other, d in self.document_keys.get(key[:2], ()) if _one_inner_edit(key, other))
        if not candidates:
            return None
        document = _closest(title, candidates)
        return document, _problem(title, document.title)

    def short(self, match: regex.Match[str], title: str, declared: set[str], seen: set[str]) -> Finding | None:
        full = self.prc_short.get(title)
        if full is None or title in declared or full in seen:
            return None
        start, end = match.start(1), match.start(1) + len(title)
        severity = "info" if title in self.lenient else None
        values = {"title": title, "full": full}
        return Finding(match.start(), match.end(), values, (Edit(start, end, full),), severity)

    def known(self, *titles: str) -> bool:
        """Listed, or the short title of a listed 中华人民共和国… title (FZ401's to report)."""
        return any(
            t in self.titles or t in self.local or t in self.short_full or PRC + t in self.titles for t in titles
        )

    def unknown(self, match: regex.Match[str], title: str, timeout: float | None = None) -> Finding | None:
        bare = (TRIAL_NOTE.sub("", title) if title.endswith(_NOTE_ENDS) else title).strip()
        # (bare is stripped: no line break before which LAW_ENDING's $ could match)
        if len(bare) < 4 or not bare.endswith(_LAW_ENDINGS) or self.known(title, bare):
            return None
        if self.ignore is not None and self.ignore.search(bare, timeout=timeout):
            return None
        if self.documents and (self.is_document(title) or self.near_document(title)):
            return None  # a central document: the documents rule checks it
        values: dict[str, Any] = {"title": title}
        candidates = self.same_stem(bare)
        if candidates:
            values["suggestion"] = "》或《".join(sorted(candidates))
            values["reason"] = f"名称有误，应为《{values['suggestion']}》"
            return Finding(match.start(), match.end(), values)
        candidates = self.one_character_off(bare)
        if candidates:
            # A typo is likely, but a law newer than the lists may differ by one character
            # from a listed one (会计法/审计法): reported one level lower.
            values["suggestion"] = "》或《".join(sorted(candidates))
            values["reason"] = f"与《{values['suggestion']}》只差一字，请核对名称是否有误"
            return Finding(match.start(), match.end(), values, (), TYPO_SEVERITY)
        if PLACE_PREFIX.match(bare):
            values["reason"] = LOCAL_REASON
        else:
            values["reason"] = UNLISTED_REASON
        return Finding(match.start(), match.end(), values, (), self.unverified)

    def same_stem(self, title: str) -> set[str]:
        """National titles with the same stem (other ending, with/without 中华人民共和国)."""
        found: set[str] = set()
        for stem in {_stem(title), _stem(_without_prc(title))}:
            found.update(self.by_stem.get(stem, ()))
        found.discard(title)
        return found

    def one_character_off(self, title: str) -> set[str]:
        """中华人民共和国… titles one character away (not a numeral)."""
        if len(title) < MIN_TYPO_LENGTH or not title.startswith(PRC[:4]):
            return set()
        found: set[str] = set()
        for variant in _deletions(title):
            found |= {t for t in self.by_deletion.get(variant, ()) if _one_edit_apart(title, t)}
        return found

    # -- mode "bare" ---------------------------------------------------------------------
    def bare_regulations(self, ctx: LintContext, start: int, end: int) -> Iterator[Finding]:
        text = ctx.text
        # (from start + 1: the 条 is looked at behind the 例 and must not be before start)
        for found in _REGULATION_END.finditer(text, start + 1, end):
            name_end = found.end()
            name = self._longest_name_before(text, name_end, start)
            if name is not None:
                name_start = name_end - len(name)
                if not self._bare_name_excluded(ctx, name_start, name_end):
                    full = self.regulations[name]
                    values = {
                        "title": name,
                        "full": full,
                        "reason": f"是法规名称，正文引用应加书名号并写全称《{full}》",
                    }
                    edit = Edit(name_start, name_end, f"《{full}》")
                    yield Finding(name_start, name_end, values, (edit,))

    def _longest_name_before(self, text: str, name_end: int, floor: int) -> str | None:
        """The longest regulation name (at least four characters) ending at ``name_end``
        and starting at or after ``floor``."""
        room = name_end - floor
        if room < 4:
            return None
        lengths = self.regulation_lengths.get(text[name_end - 3 : name_end], ())
        regulations = self.regulations
        for length in lengths:
            if length <= room:
                candidate = text[name_end - length : name_end]
                if candidate in regulations:
                    return candidate
        return None

    def _bare_name_excluded(self, ctx: LintContext, start: int, end: int) -> bool:
        text = ctx.text
        if any(ctx.inside(region, start, end) for region in ("book", "quote")):
            return True
        before = text[start - 1] if start > 0 else ""
        if before in PLACE_BEFORE or before == "《":
            return True  # the tail of a local title, or a broken 书名号
        after = text[end : end + 2]
        return after in ("实施", "细则") or after[:1] == "》"

    def bare_lists(self, ctx: LintContext, start: int, end: int) -> Iterator[Finding]:
        """Runs of law names separated by 顿号.  An item that is not exactly a name can end
        a run with a name at its start (行政处罚法等法律) and start a run with a name at
        its end (组织学习宪法)."""
        seed = self.run_seed
        if self.min_run < 3 or seed is None:
            yield from self._bare_lists_in(ctx, start, end)
            return
        # A run of three or more names has a seed (see run_seed) in its ITEM_RUN match, and
        # the match lies in one clause: only the clauses holding a seed are searched.
        text, names = ctx.text, self.law_names
        searched = start  # the clauses before this offset are done
        for found in seed.finditer(text, start + 1, end):
            position = found.start()
            if position < searched or found.group(1) not in names:
                continue
            before = _CLAUSE_BREAK_BEFORE.search(text, start, position)
            after = _CLAUSE_BREAK.search(text, found.end(1), end)
            low = before.end() if before is not None else start
            searched = after.start() if after is not None else end
            yield from self._bare_lists_in(ctx, low, searched)

    def _bare_lists_in(self, ctx: LintContext, start: int, end: int) -> Iterator[Finding]:
        """The runs of law names in ``[start, end)`` (the whole range searched)."""
        # A reported run holds min_run names; each name ends with one of law_ends, and every
        # name but the last is followed by 、 — too few such endings, nothing to report.
        text, need = ctx.text, self.min_run - 1
        name_ends = tuple(char + "、" for char in self.law_ends)
        for found in item_runs(text, start, end, lambda low, high: _count_any(text, name_ends, low, high) >= need):
            if _count_any(text, name_ends, found.start(), found.end()) < need:
                continue
            run: list[tuple[int, int]] = []
            offset = found.start()
            for item in found.group().split("、"):
                if item in self.law_names:
                    run.append((offset, offset + len(item)))
                else:
                    head = self._name_at_start(item) if run else 0
                    if run and head:
                        run.append((offset, offset + head))
                    if len(run) >= self.min_run:
                        yield from self._report_run(ctx, run)
                    tail = self._name_at_end(item)
                    run = [(offset + len(item) - tail, offset + len(item))] if tail else []
                offset += len(item) + 1
            if len(run) >= self.min_run:
                yield from self._report_run(ctx, run)

    def _name_at_start(self, item: str) -> int:
        """Length of the longest law name that starts ``item`` (0 if none; the name is
        shorter than the item and at least two characters)."""
        names, ends = self.law_names, self.law_ends
        for cut in range(min(len(item) - 1, self.law_max), 1, -1):
            if item[cut - 1] in ends and item[:cut] in names:
                return cut
        return 0

    def _name_at_end(self, item: str) -> int:
        """Length of the longest law name that ends ``item`` (0 if none; the name is
        shorter than the item and at least two characters)."""
        if not item or item[-1] not in self.law_ends:
            return 0
        names = self.law_names
        for length in range(min(len(item) - 1, self.law_max), 1, -1):
            if item[-length:] in names:
                return length
        return 0

    def _report_run(self, ctx: LintContext, run: list[tuple[int, int]]) -> Iterator[Finding]:
        if len(run) < self.min_run:
            return
        start, end = run[0][0], run[-1][1]
        if any(ctx.inside(region, start, end) for region in ("book", "quote")):
            return
        full = self.law_names[ctx.text[run[0][0] : run[0][1]]]
        values = {
            "title": ctx.text[start:end],
            "full": full,
            "reason": f"连续列举{len(run)}部法律而未加书名号，引用法律名称应加书名号并写全称（如《{full}》）",
        }
        yield Finding(start, end, values, (), None)


def _count_any(text: str, parts: tuple[str, ...], start: int, end: int) -> int:
    return sum(text.count(part, start, end) for part in parts)


def item_runs(
    text: str, start: int, end: int, keep: Callable[[int, int], bool] | None = None
) -> Iterator[regex.Match[str]]:
    """``ITEM_RUN.finditer(text, start, end)``, searching only near chains of 顿号.

    A match is at least three items joined by single 、, each item 1–40 characters
    that are not separators, so its 、 are consecutive members of a *chain*: 、
    separated by exactly one such item.  Only chains of two or more 、 can hold a
    match; each is searched with enough text on either side (an item, and the one
    character the greedy last item looks at) that the search sees exactly what a
    search of the whole range sees, so the matches and their order are the same.
    ``keep(low, high)`` may drop windows whose matches the caller does not need."""
    margin = _ITEM_MAX + 3
    windows: list[tuple[int, int]] = []
    for chain in _COMMA_CHAIN.finditer(text, start, end):
        low, high = max(start, chain.start() - margin), min(end, chain.end() - 1 + margin)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    for low, high in windows:
        if keep is None or keep(low, high):
            yield from ITEM_RUN.finditer(text, low, high)
