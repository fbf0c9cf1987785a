"""Tests for reportlint.core.document: newline normalisation and position mapping."""

from __future__ import annotations

import pytest

from reportlint.core.document import Document, LspPosition, Position, normalise_newlines

SAMPLE = "法治政府建设情况报告\n\n一、𠀋字规范\n二、主要举措 结尾"


# --- normalise_newlines / from_text -----------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "newline"),
    [
        ("a\nb\n", "a\nb\n", "\n"),
        ("a\r\nb\r\n", "a\nb\n", "\r\n"),
        ("a\rb\r", "a\nb\n", "\r"),
        ("no newline", "no newline", "\n"),
        ("a\r\nb\r\nc\nd", "a\nb\nc\nd", "\r\n"),  # dominant wins
        ("a\rb\rc\r\nd", "a\nb\nc\nd", "\r"),
        ("a\r\r\nb", "a\n\nb", "\r\n"),  # CR then CRLF: two breaks, ties go to CRLF
    ],
)
def test_normalise_newlines(raw: str, expected: str, newline: str) -> None:
    assert normalise_newlines(raw) == (expected, newline)


def test_from_text_strips_bom_and_records_newline() -> None:
    doc = Document.from_text("\ufeff甲\r\n乙", path="a.txt", encoding="utf-8")
    assert (doc.path, doc.text, doc.bom, doc.newline, doc.encoding) == (
        "a.txt",
        "甲\n乙",
        True,
        "\r\n",
        "utf-8",
    )


def test_from_text_defaults() -> None:
    doc = Document.from_text("甲")
    assert (doc.path, doc.encoding, doc.bom, doc.newline) == ("<text>", "utf-8", False, "\n")


def test_crlf_lines_keep_original_numbers() -> None:
    raw = "第一行\r\n第二行\r\n第三行有目标\r\n"
    doc = Document.from_text(raw)
    assert doc.position(doc.text.index("目标")) == Position(3, 5)
    assert doc.line_text(3) == "第三行有目标"


# --- line structure ---------------------------------------------------------


def test_lines_and_line_starts() -> None:
    doc = Document.from_text(SAMPLE)
    assert doc.line_starts == [0, 11, 12, 19]
    assert doc.lines == ["法治政府建设情况报告", "", "一、𠀋字规范", "二、主要举措 结尾"]
    assert doc.line_count == 4
    assert doc.line_start(3) == 12
    assert doc.line_end(3) == 18
    assert doc.line_end(2) == 11  # empty line: start == end


def test_line_of_at_newline_boundaries() -> None:
    doc = Document.from_text("ab\ncd\n")
    assert doc.line_count == 3
    assert [doc.line_of(i) for i in range(7)] == [1, 1, 1, 2, 2, 2, 3]
    # The newline itself belongs to the line it ends.
    assert doc.text[2] == "\n" and doc.line_of(2) == 1
    assert doc.position(2) == Position(1, 3)
    assert doc.position(3) == Position(2, 1)
    # Past a trailing newline is the (empty) last line.
    assert doc.position(6) == Position(3, 1)
    assert doc.line_text(3) == ""


def test_last_line_without_trailing_newline() -> None:
    doc = Document.from_text("ab\ncd")
    assert doc.line_count == 2
    assert doc.line_text(2) == "cd"
    assert doc.line_end(2) == 5
    assert doc.position(5) == Position(2, 3)  # end of text
    assert doc.offset(2, 3) == 5
    assert doc.offset(2, 99) == 5  # column clamped to the line


def test_empty_lines() -> None:
    doc = Document.from_text("a\n\n\nb")
    assert doc.lines == ["a", "", "", "b"]
    assert doc.position(2) == Position(2, 1)
    assert doc.position(3) == Position(3, 1)
    assert doc.position(4) == Position(4, 1)
    assert doc.offset(3, 5) == 3  # an empty line has only column 1
    assert doc.lsp_position(3) == LspPosition(2, 0)
    assert doc.lsp_offset(LspPosition(2, 7)) == 3


def test_empty_document() -> None:
    doc = Document.from_text("")
    assert doc.line_count == 1
    assert doc.position(0) == Position(1, 1)
    assert doc.lsp_position(0) == LspPosition(0, 0)
    assert doc.offset(1, 1) == 0


# --- positions --------------------------------------------------------------


def test_position_offset_round_trip() -> None:
    doc = Document.from_text(SAMPLE)
    for offset in range(len(doc.text) + 1):
        position = doc.position(offset)
        assert doc.offset(position.line, position.column) == offset


def test_offsets_out_of_range_are_clamped() -> None:
    doc = Document.from_text("ab\ncd")
    assert doc.position(-3) == Position(1, 1)
    assert doc.position(99) == Position(2, 3)
    assert doc.offset(0, 0) == 0
    assert doc.offset(9, 1) == 3
    assert doc.lsp_position(-1) == LspPosition(0, 0)


def test_non_bmp_character_code_point_vs_utf16_column() -> None:
    doc = Document.from_text(SAMPLE)
    offset = doc.text.index("规范")
    assert offset == 16
    position = doc.position(offset)
    lsp = doc.lsp_position(offset)
    # "一、𠀋字" is 4 code points but 5 UTF-16 units (𠀋 is a surrogate pair).
    assert position == Position(3, 5)
    assert lsp == LspPosition(2, 5)
    assert lsp.character - (position.column - 1) == 1
    assert doc.lsp_offset(lsp) == offset


def test_lsp_offset_inverts_lsp_position() -> None:
    doc = Document.from_text(SAMPLE)
    for offset in range(len(doc.text) + 1):
        assert doc.lsp_offset(doc.lsp_position(offset)) == offset


def test_lsp_offset_inside_surrogate_pair_rounds_down() -> None:
    doc = Document.from_text(SAMPLE)
    start = doc.text.index("𠀋")
    assert doc.lsp_position(start) == LspPosition(2, 2)
    assert doc.lsp_offset(LspPosition(2, 3)) == start  # second half of the pair
    assert doc.lsp_offset(LspPosition(2, 4)) == start + 1


def test_lsp_offset_clamps() -> None:
    doc = Document.from_text(SAMPLE)
    assert doc.lsp_offset(LspPosition(2, 100)) == doc.line_end(3)
    assert doc.lsp_offset(LspPosition(10, 0)) == doc.line_start(4)
    assert doc.lsp_offset(LspPosition(-1, 0)) == 0
