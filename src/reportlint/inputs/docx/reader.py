"""Read Word (.docx) reports into Documents.

The text is what a reader sees: body paragraphs and table cells in document
order, one line per paragraph (empty paragraphs stay empty lines, so line N is
paragraph N as ``reportlint text`` prints it; a manual line break inside a
paragraph starts a new line, as it does on the page).  Word's automatic list
numbering is not part of a paragraph's text, so it is rebuilt from
numbering.xml and put in front of the paragraph: a report whose headings are
numbered by Word gets the same outline, and the same findings, as the same
report typed as plain text.

A .docx is a zip archive of XML parts, and one from an unknown sender may be
built to hurt: the archive's directory is checked (entry count, total and
per-entry expansion) before anything is decompressed, and a part that declares
a DOCTYPE is refused (python-docx parses without resolving entities or loading
DTDs, and Word never writes one).  python-docx is imported only when a .docx is
read; without it the user is told how to install it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlint.core.document import Document, Grid, GridCell
from reportlint.core.errors import MISSING_DEPENDENCY, InputError
from reportlint.zh.numerals import to_chinese

__all__ = ["MAX_ENTRIES", "MAX_RATIO", "MAX_UNCOMPRESSED", "check_archive", "docx_content", "docx_lines", "read_docx"]

# Limits on the zip directory, checked before any part is decompressed.  A real
# report has a few dozen entries, a few MB of XML and images, and XML parts that
# compress 5-30 times; a zip bomb has thousands of entries or ratios near 1000.
MAX_ENTRIES = 5000
MAX_UNCOMPRESSED = 256 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # small entries may compress as well as they like

PROBLEM_NEEDS_DOCX = "读取 .docx 文件需要 python-docx" + MISSING_DEPENDENCY
PROBLEM_CORRUPT = "Word 文件已损坏或不完整，无法打开（请用 Word 或 WPS 打开后重新保存为 .docx）"
PROBLEM_NOT_WORD = "不是 Word 文档（.docx），无法读取"
PROBLEM_DOCTYPE = "Word 文件含有 DOCTYPE 声明（Word 不会写入，可能是恶意构造的文件），已拒绝读取"
PROBLEM_NO_TEXT = "Word 文件中没有文字"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (
    _w(t) for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
VAL = _w("val")
# Inside a paragraph: elements whose content is not shown as the paragraph's text
# (deleted or moved-away revisions, field instructions, drawings and text boxes,
# footnote marks), and properties.
_HIDDEN = frozenset(
    {
        *(
            _w(t)
            for t in (
                "pPr",
                "rPr",
                "del",
                "moveFrom",
                "instrText",
                "delText",
                "drawing",
                "pict",
                "object",
                "footnoteReference",
                "endnoteReference",
                "commentReference",
            )
        ),
        f"{{{MC_NS}}}AlternateContent",
    }
)
# Containers that hold block content (paragraphs, tables) at body or cell level.
_BLOCK_WRAPPERS = frozenset({SDT, SDT_CONTENT, CUSTOM_XML})

# Labels are the paragraph's first characters.
_LABEL_CHARS = 16


# --- the archive --------------------------------------------------------------------------


def check_archive(data: bytes, path: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip archive after checking its directory against the limits.

    Only the central directory is read here; zipfile later refuses to inflate an
    entry past the size the directory declares, so these checks bound the work.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # BadZipFile, NotImplementedError (unknown zip version), struct errors …
        raise InputError(path, PROBLEM_CORRUPT, "corrupt") from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(path, f"Word 文件内部条目过多（超过 {MAX_ENTRIES} 个），可能是恶意构造的文件", "zip-bomb")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        mib = MAX_UNCOMPRESSED // (1024 * 1024)
        raise InputError(path, f"Word 文件解压后过大（超过 {mib} MB），可能是压缩炸弹", "zip-bomb")
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                path, f"Word 文件内部压缩比异常（{info.filename} 超过 {MAX_RATIO} 倍），可能是压缩炸弹", "zip-bomb"
            )
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")) and _declares_dtd(archive, info):
            raise InputError(path, PROBLEM_DOCTYPE, "xml-doctype")
    return archive


# "<!DOCTYPE" as UTF-8 and as UTF-16 (an XML part may be in either).
_DOCTYPE_MARKS = tuple(
    mark
    for text in ("<!DOCTYPE", "<!doctype")
    for mark in (text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be"))
)


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Does this XML part declare a DTD (where entity attacks live)?  Word never writes one.

    Read in chunks, so a large part is never held twice; a part that cannot be
    inflated is left for the reader to report as corrupt.
    """
    overlap = max(len(mark) for mark in _DOCTYPE_MARKS)
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                window = tail + chunk
                if any(mark in window for mark in _DOCTYPE_MARKS):
                    return True
                tail = window[-overlap:]
    except Exception:  # a damaged entry: python-docx will fail on it and it is reported as corrupt
        return False
    return False


# --- numbering ----------------------------------------------------------------------------

_CIRCLED = [chr(c) for c in range(0x2460, 0x2474)]  # ①…⑳
_PAREN_DIGITS = [chr(c) for c in range(0x2474, 0x2488)]  # ⑴…⒇
_FULLSTOP_DIGITS = [chr(c) for c in range(0x2488, 0x249C)]  # ⒈…⒛
_CIRCLED_IDEOGRAPHS = [chr(c) for c in range(0x3280, 0x328A)]  # ㊀…㊉
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL_SIMPLIFIED = "零壹贰叁肆伍陆柒捌玖"
_LEGAL_TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
_IDEOGRAPH_DIGITS = "〇一二三四五六七八九"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def _roman(n: int) -> str:
    out = []
    for value, glyph in _ROMAN:
        count, n = divmod(n, value)
        out.append(glyph * count)
    return "".join(out)


def _table(items: list[str] | str) -> Callable[[int], str]:
    return lambda n: items[n - 1] if 1 <= n <= len(items) else str(n)


def _chinese_counting(n: int) -> str:
    """一 … 十 … 九十九 (Word's chineseCounting); digit by digit from 100 on."""
    if 0 < n < 100:
        return to_chinese(n)
    return "".join(_IDEOGRAPH_DIGITS[int(d)] for d in str(n))


def _chinese_thousand(n: int, digits: str = "零一二三四五六七八九", units: str = "十百千") -> str:
    """Grouped counting up to 9999: 一百零一, 一千二百 (chineseCountingThousand, legal forms)."""
    if not 0 < n < 10000:
        return str(n)
    if n < 100 and digits[1] == "一":
        return to_chinese(n)
    out, zero = [], False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[digit] + (units[power - 1] if power else ""))
    return "".join(out)


def _letters(base: str) -> Callable[[int], str]:
    return lambda n: base[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else str(n)


NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalFullWidth2": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalEnclosedCircle": _table(_CIRCLED),
    "decimalEnclosedCircleChinese": _table(_CIRCLED),
    "decimalEnclosedParen": _table(_PAREN_DIGITS),
    "decimalEnclosedFullstop": _table(_FULLSTOP_DIGITS),
    "ideographEnclosedCircle": _table(_CIRCLED_IDEOGRAPHS),
    "chineseCounting": _chinese_counting,
    "taiwaneseCounting": _chinese_counting,
    "chineseCountingThousand": _chinese_thousand,
    "taiwaneseCountingThousand": _chinese_thousand,
    "chineseLegalSimplified": lambda n: _chinese_thousand(n, _LEGAL_SIMPLIFIED, "拾佰仟"),
    "ideographLegalTraditional": lambda n: _chinese_thousand(n, _LEGAL_TRADITIONAL, "拾佰仟"),
    "ideographDigital": lambda n: "".join(_IDEOGRAPH_DIGITS[int(d)] for d in str(n)),
    "ideographTraditional": _table(_STEMS),
    "ideographZodiac": _table(_BRANCHES),
    "upperRoman": lambda n: _roman(n) if n > 0 else str(n),
    "lowerRoman": lambda n: _roman(n).lower() if n > 0 else str(n),
    "upperLetter": _letters("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": _letters("abcdefghijklmnopqrstuvwxyz"),
    "numberInDash": lambda n: f"- {n} -",
    "none": lambda n: "",
}


# Formats whose length grows with the value (AAA…, MMM…): past this, decimal, so that a
# hostile w:start of 2**31 cannot make a marker of millions of letters.
_GROWING_LIMIT = {"upperLetter": 26 * 8, "lowerLetter": 26 * 8, "upperRoman": 3999, "lowerRoman": 3999}
# The longest list marker rendered; Word's own are a few characters.
MAX_MARKER = 64


def format_number(value: int, number_format: str) -> str:
    """``value`` in a Word number format (ST_NumberFormat); unknown formats fall back to decimal."""
    if value > _GROWING_LIMIT.get(number_format, value):
        return str(value)
    return NUMBER_FORMATS.get(number_format, str)(value)


def _int(element: Any, tag: str, default: int | None = None) -> int | None:
    child = element.find(_w(tag)) if element is not None else None
    if child is None:
        return default
    try:
        value = int(child.get(VAL, ""))
    except ValueError:
        return default
    return min(max(value, -(2**31)), 2**31 - 1)  # ST_DecimalNumber is 32-bit


def _val(element: Any, tag: str) -> str | None:
    child = element.find(_w(tag)) if element is not None else None
    return None if child is None else child.get(VAL)


@dataclass
class _Level:
    start: int = 1
    number_format: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = after any shallower level; 0 = never
    legal: bool = False  # w:isLgl: show every level as decimal
    style: str | None = None  # w:pStyle: the paragraph style this level belongs to

    @classmethod
    def parse(cls, lvl: Any) -> _Level:
        text = lvl.find(_w("lvlText"))
        legal = lvl.find(_w("isLgl"))
        return cls(
            start=_int(lvl, "start", 0) or 0,
            number_format=_val(lvl, "numFmt") or "decimal",
            text="" if text is None else text.get(VAL, ""),
            restart=_int(lvl, "lvlRestart"),
            legal=legal is not None and legal.get(VAL, "true") not in ("0", "false", "off"),
            style=_val(lvl, "pStyle"),
        )


@dataclass
class _Instance:
    """A w:num: its abstract definition and per-level overrides."""

    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


class Numbering:
    """Word's list numbering, replayed paragraph by paragraph in document order."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstract id -> numbering style it takes its levels from
        self.instances: dict[str, _Instance] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        self.default_style: str | None = None
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iterchildren(_w("abstractNum")):
            key = abstract.get(_w("abstractNumId"), "")
            levels = {}
            for lvl in abstract.iterchildren(_w("lvl")):
                try:
                    levels[int(lvl.get(_w("ilvl"), "0"))] = _Level.parse(lvl)
                except ValueError:
                    continue
            self.abstracts[key] = levels
            link = _val(abstract, "numStyleLink")
            if link:
                self.style_links[key] = link
        for num in root.iterchildren(_w("num")):
            abstract_id = _val(num, "abstractNumId")
            if abstract_id is None:
                continue
            instance = _Instance(abstract_id)
            for override in num.iterchildren(_w("lvlOverride")):
                try:
                    ilvl = int(override.get(_w("ilvl"), "0"))
                except ValueError:
                    continue
                start = _int(override, "startOverride")
                if start is not None:
                    instance.starts[ilvl] = start
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    instance.levels[ilvl] = _Level.parse(lvl)
            self.instances[num.get(_w("numId"), "")] = instance

    def _read_styles(self, root: Any) -> None:
        parents: dict[str, str] = {}
        direct: dict[str, tuple[str | None, int | None]] = {}
        default_style = None
        for style in root.iterchildren(_w("style")):
            style_id = style.get(_w("styleId"), "")
            if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true", "on"):
                default_style = style_id
            based_on = _val(style, "basedOn")
            if based_on:
                parents[style_id] = based_on
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            if num_pr is not None:
                direct[style_id] = (_val(num_pr, "numId"), _int(num_pr, "ilvl"))
        for style_id in {*parents, *direct}:
            seen, current = set(), style_id
            while current and current not in seen:  # basedOn chains may loop in hostile files
                seen.add(current)
                if current in direct:
                    self.style_num[style_id] = direct[current]
                    break
                current = parents.get(current, "")
        self.default_style = default_style

    # -- per paragraph ----------------------------------------------------------------------

    def _resolve_abstract(self, abstract: str) -> str:
        """Follow w:numStyleLink to the abstract definition that holds the levels."""
        seen = set()
        while abstract in self.style_links and abstract not in seen:
            seen.add(abstract)
            num_id, _ = self.style_num.get(self.style_links[abstract], (None, None))
            instance = self.instances.get(num_id or "")
            if instance is None:
                break
            abstract = instance.abstract
        return abstract

    def _abstract_levels(self, abstract: str) -> dict[int, _Level]:
        return self.abstracts.get(self._resolve_abstract(abstract), {})

    def _level(self, instance: _Instance, ilvl: int) -> _Level | None:
        return instance.levels.get(ilvl) or self._abstract_levels(instance.abstract).get(ilvl)

    def _start(self, instance: _Instance, ilvl: int) -> int:
        if ilvl in instance.starts:
            return instance.starts[ilvl]
        level = self._level(instance, ilvl)
        return level.start if level else 1

    def _resolve(self, p: Any) -> tuple[str, int] | None:
        """The (numId, ilvl) a paragraph is numbered with, from its own properties or its style."""
        ppr = p.find(_w("pPr"))
        style = _val(ppr, "pStyle") if ppr is not None else None
        style = style or self.default_style
        num_id, ilvl = self.style_num.get(style or "", (None, None))
        num_pr = ppr.find(_w("numPr")) if ppr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or num_id
            ilvl = _int(num_pr, "ilvl", ilvl)
        if not num_id or num_id == "0" or num_id not in self.instances:
            return None
        if ilvl is None:
            # A style-linked level: the level whose w:pStyle is this paragraph's style.
            instance = self.instances[num_id]
            levels = self._abstract_levels(instance.abstract)
            ilvl = next((i for i, lvl in sorted(levels.items()) if style and lvl.style == style), 0)
        return num_id, min(max(ilvl, 0), 8)

    def marker(self, p: Any) -> str:
        """Advance the counters for paragraph ``p`` and return its visible number ("" if none)."""
        found = self._resolve(p)
        if found is None:
            return ""
        num_id, ilvl = found
        instance = self.instances[num_id]
        # Lists defined by the same abstract numbering continue each other, as in Word.
        counters = self.counters.setdefault(self._resolve_abstract(instance.abstract), [None] * 9)
        if num_id not in self.used:
            self.used.add(num_id)
            for level in instance.starts:  # "restart numbering": this instance starts afresh
                if 0 <= level < 9:
                    counters[level] = None
        level = self._level(instance, ilvl)
        if level is None:
            return ""
        current = counters[ilvl]
        counters[ilvl] = self._start(instance, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            deeper_level = self._level(instance, deeper)
            restart = deeper_level.restart if deeper_level else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        if level.number_format == "bullet":
            return _bullet(level.text[:MAX_MARKER])
        return self._render(instance, level, counters)

    def _render(self, instance: _Instance, level: _Level, counters: list[int | None]) -> str:
        out, text, i = [], level.text, 0
        while i < len(text) and sum(map(len, out)) < MAX_MARKER:
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
                ref = int(text[i + 1]) - 1
                value = counters[ref]
                if value is None:
                    value = self._start(instance, ref)
                ref_level = self._level(instance, ref)
                number_format = "decimal" if level.legal else (ref_level.number_format if ref_level else "decimal")
                out.append(format_number(value, number_format))
                i += 2
                continue
            out.append(ch)
            i += 1
        return "".join(out)[:MAX_MARKER]


def _bullet(text: str) -> str:
    # Symbol and Wingdings bullets are private-use code points; show them as a bullet.
    return "".join("•" if 0xE000 <= ord(ch) <= 0xF8FF else ch for ch in text)


# --- text ---------------------------------------------------------------------------------


def _hidden_run(run: Any) -> bool:
    vanish = run.find(f"{_w('rPr')}/{_w('vanish')}")
    return vanish is not None and vanish.get(VAL, "true") not in ("0", "false", "off")


def _collect(element: Any, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue  # comments, processing instructions, hidden content
        if tag == _w("t"):
            out.append(child.text or "")
        elif tag in (_w("tab"), _w("ptab")):
            out.append("\t")
        elif tag == _w("br"):
            if child.get(_w("type")) in (None, "textWrapping"):
                out.append("\n")  # a manual line break; page and column breaks are layout
        elif tag == _w("cr"):
            out.append("\n")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
        elif tag == _w("r") and _hidden_run(child):
            continue
        else:
            _collect(child, out)


def paragraph_text(p: Any) -> str:
    """The visible text of a w:p element (without its list number)."""
    out: list[str] = []
    _collect(p, out)
    return "".join(out).replace("\r", "")


@dataclass
class _Line:
    text: str
    label: str = ""


def _label(prefix: str, text: str) -> str:
    words = " ".join(text.split())
    if len(words) > _LABEL_CHARS:
        words = words[:_LABEL_CHARS] + "…"
    if not words:
        return prefix
    return f"{prefix}“{words}”"


@dataclass
class _GridDraft:
    """A Word table being read: its cells as (row, column, rowspan, colspan, first line,
    line after) in line numbers of the text being built (0-based)."""

    rows: int = 0
    columns: int = 0
    cells: list[list[int]] = field(default_factory=list)


class _Extractor:
    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.tables = 0
        self.count = 0  # lines yielded so far
        self.grids: list[_GridDraft] = []

    def blocks(self, container: Any, cell: str = "") -> Iterator[_Line]:
        for child in container.iterchildren():
            tag = child.tag
            if tag == P:
                text = self.numbering.marker(child) + paragraph_text(child)
                for part in text.split("\n"):
                    self.count += 1
                    yield _Line(part, _label(cell, part))
            elif tag == TBL:
                yield from self.table(child)
            elif tag in _BLOCK_WRAPPERS:
                yield from self.blocks(child, cell)

    def table(self, tbl: Any) -> Iterator[_Line]:
        self.tables += 1
        number = self.tables
        grid = _GridDraft(columns=len(tbl.findall(f"{_w('tblGrid')}/{_w('gridCol')}")))
        self.grids.append(grid)
        merging: dict[int, list[int]] = {}  # grid column -> the cell a vertical merge continues
        for row_index, row in enumerate(_children(tbl, TR), start=1):
            grid.rows = row_index
            column = 1
            # Grid columns a row leaves out before its first cell (w:gridBefore).
            before = max(_int(row.find(_w("trPr")), "gridBefore", 0) or 0, 0)
            for tc in _children(row, TC):
                tc_pr = tc.find(_w("tcPr"))
                span = _int(tc_pr, "gridSpan", 1) or 1
                merge = tc_pr.find(_w("vMerge")) if tc_pr is not None else None
                # A vertically merged cell continues the one above: its text was already read.
                continues = merge is not None and merge.get(VAL, "continue") != "restart"
                place = before + column  # (1-based)
                if continues:
                    above = merging.get(place)
                    if above is not None:
                        above[2] = row_index - above[0]
                else:
                    first = self.count
                    yield from self.blocks(tc, f"表{number}第{row_index}行第{column}列")
                    cell = [row_index - 1, place - 1, 1, max(span, 1), first, self.count]
                    grid.cells.append(cell)
                    if merge is not None:
                        merging[place] = cell
                    else:
                        merging.pop(place, None)
                column += max(span, 1)
            grid.columns = max(grid.columns, before + column - 1)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Direct children with ``tag``, looking through content controls and custom XML."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _related_element(part: Any, reltype: str) -> Any:
    try:
        return part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None


def _declares_doctype(element: Any) -> bool:
    if element is None:
        return False
    info = element.getroottree().docinfo
    return bool(info.doctype or info.internalDTD is not None)


def docx_lines(word: Any, path: str = "<docx>") -> list[_Line]:
    """The lines of an opened python-docx Document, with their labels."""
    return docx_content(word, path)[0]


def docx_content(word: Any, path: str = "<docx>") -> tuple[list[_Line], list[_GridDraft]]:
    """The lines of an opened python-docx Document, with their labels, and its tables."""
    part = word.part
    body = word.element.body
    numbering = _related_element(part, RT_NUMBERING)
    styles = _related_element(part, RT_STYLES)
    if any(_declares_doctype(e) for e in (word.element, numbering, styles)):
        raise InputError(path, PROBLEM_DOCTYPE, "xml-doctype")
    extractor = _Extractor(Numbering(numbering, styles))
    lines = list(extractor.blocks(body))
    return lines, extractor.grids


def _grids(lines: list[_Line], drafts: list[_GridDraft]) -> tuple[Grid, ...]:
    """The tables as grids with offsets into the text of ``lines`` (one line each, joined by
    newlines): a cell runs from its first line's start to its last line's end."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line.text) + 1)
    out = []
    for draft in drafts:
        cells = []
        for row, column, rowspan, colspan, first, after in draft.cells:
            start = starts[first]
            end = starts[after] - 1 if after > first else start
            cells.append(GridCell(row, column, start, end, rowspan, colspan))
        if cells:
            out.append(Grid(cells[0].start, max(c.end for c in cells), draft.rows, draft.columns, tuple(cells)))
    return tuple(out)


def read_docx(data: bytes, path: str) -> Document:
    """Read a .docx file's bytes into a Document (raises InputError for anything unreadable)."""
    check_archive(data, path).close()
    try:
        import docx
    except ImportError:
        raise InputError(path, PROBLEM_NEEDS_DOCX, "missing-dependency") from None
    try:
        word = docx.Document(io.BytesIO(data))
    except ValueError as exc:  # python-docx: "file ... is not a Word file, content type is ..."
        if "content type" in str(exc):
            raise InputError(path, PROBLEM_NOT_WORD, "not-word") from None
        raise InputError(path, PROBLEM_CORRUPT, "corrupt") from None
    except Exception:
        raise InputError(path, PROBLEM_CORRUPT, "corrupt") from None
    try:
        lines, drafts = docx_content(word, path)
    except InputError:
        raise
    except Exception:
        raise InputError(path, PROBLEM_CORRUPT, "corrupt") from None
    if not any(line.text.strip() for line in lines):
        raise InputError(path, PROBLEM_NO_TEXT, "empty")
    text = "\n".join(line.text for line in lines) + "\n"
    labels = {number: line.label for number, line in enumerate(lines, start=1) if line.label}
    grids = _grids(lines, drafts)
    return Document(
        path=path, text=text, encoding="utf-8", line_labels=labels, source_format="docx", grids=grids
    )
