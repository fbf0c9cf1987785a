"""Chinese numerals as used in 公文 ordinals (一 … 九十九)."""

from __future__ import annotations

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
