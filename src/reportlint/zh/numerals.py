"""Chinese numerals and heading markers as 公文 write them: the ordinals 一 … 九十九, the
markers of GB/T 9704—2012 7.3.3 (一、 （一） 1. （1）) and the forms written wrongly or by
Word ((一) 1、 ①).  The one definition of each: the outline parser, the Word and PDF
readers and the duplicate finder build their recognisers from these."""

from __future__ import annotations

from functools import cache

DIGITS = "零一二三四五六七八九"
_VALUES = {ch: i for i, ch in enumerate(DIGITS)} | {"〇": 0, "两": 2}


def to_chinese(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else DIGITS[tens]) + "十" if tens else ""
    return text + (DIGITS[ones] if ones else "")


def from_chinese(text: str) -> int | None:
    """Inverse of :func:`to_chinese`; None when ``text`` is not such a numeral."""
    if not text:
        return None
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _VALUES.get(head, -1) if head else 1
        ones = _VALUES.get(tail, -1) if tail else 0
        if tens < 1 or ones < 0 or len(head) > 1 or len(tail) > 1:
            return None
        return tens * 10 + ones
    if len(text) == 1 and text in _VALUES and _VALUES[text] > 0:
        return _VALUES[text]
    return None


@cache
def canonical_marker(level: int, ordinal: int) -> str:
    """The GB/T 9704—2012 7.3.3 marker for a heading level and ordinal."""
    if level == 1:
        return f"{to_chinese(ordinal)}、"
    if level == 2:
        return f"（{to_chinese(ordinal)}）"
    if level == 3:
        return f"{ordinal}."
    return f"（{ordinal}）"


def cn_to_int(numeral: str) -> int:
    """Like :func:`from_chinese` for a numeral already known to be valid (grammar output)."""
    value = from_chinese(numeral)
    if value is None:
        raise ValueError(f"not a Chinese ordinal: {numeral!r}")
    return value


# -- heading markers ---------------------------------------------------------------------------

# A Chinese ordinal as a marker writes it (一 … 九十九), as a regular expression.
CN_NUMERAL = "(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
CN_NUMERAL_CHARS = frozenset("一二三四五六七八九十")
# Circled numbers ①..⑳ ㉑..㉟ ㊱..㊿, as the body of a character class.
CIRCLED = r"\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"
CIRCLED_CHARS = frozenset(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)]))
MARKER_SPACE = " \t\u3000\u00a0"  # what may stand before a marker and after it
# The start of a line that may be a numbered heading: a cheap superset of what the outline
# grammar (grammar/outline.lark) accepts; only lines matching it are parsed.  The first
# character of every match is in MARKER_LINE_FIRST.
MARKER_LINE_START = (
    "[ \\t\\u3000\\u00a0]*(?:[（(" + CIRCLED + "]"
    "|[一二三四五六七八九十]{1,3}[、.．，,]|[0-9０-９]{1,2}[、.．，,])"
)
MARKER_LINE_FIRST = frozenset(MARKER_SPACE + "（(一二三四五六七八九十0123456789０１２３４５６７８９") | CIRCLED_CHARS
# A numbered heading's marker at the start of a text: 一、 （一） 1. （1） ① (with the
# common slips: 一. 一， （1 ） …), as a regular expression (the PDF reader's paragraph
# joining, the duplicate finder's headings).
HEADING_MARKER = (
    "[一二三四五六七八九十]{1,3}[、.．，,]|[（(][一二三四五六七八九十]{1,3}[）)]|[0-9０-９]{1,2}[.．、](?![0-9０-９])"
    "|[（(][0-9０-９]{1,2}[）)]|[\\u2460-\\u2473]"
)


@cache
def cn_numerals() -> dict[str, int]:
    """Every string ``CN_NUMERAL`` matches in full, with its value (checked in the tests)."""
    units = "一二三四五六七八九"
    texts = [*units, "十", *(unit + "十" for unit in units[1:]), *("十" + unit for unit in units)]
    texts += [tens + "十" + unit for tens in units[1:] for unit in units]
    return {text: cn_to_int(text) for text in texts}


def circled_value(char: str) -> int:
    """The number of a circled digit (① → 1, ㉑ → 21, ㊿ → 50)."""
    code = ord(char)
    if code <= 0x2473:
        return code - 0x2460 + 1  # ①..⑳
    if code <= 0x325F:
        return code - 0x3251 + 21  # ㉑..㉟
    return code - 0x32B1 + 36  # ㊱..㊿
