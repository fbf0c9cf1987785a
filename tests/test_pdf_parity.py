"""The same report as .docx and as PDF gets the same findings.

fixtures/documents/parity-N.docx were built by make_parity.py and exported to PDF by
LibreOffice 7.4 (fixtures/documents/README.md); the files are committed, so these tests
need only python-docx and pdfminer.six.

Below them, small PDFs drawn here show what the reader undoes: producers draw a line in
pieces (each font's run on its own, quotes and digits in the Latin font apart from the
Chinese around them), not always from left to right, and leave gaps that are no spaces
(between Chinese and digits, after a list number) and spaces that are no characters
(between Latin words).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from pdf_builder import assemble_pdf

pytest.importorskip("docx")
pytest.importorskip("pdfminer")

from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_document, load_ruleset
from reportlint.inputs.pdf.reader import extract_lines, read_pdf
from reportlint.inputs.reading import read_path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "fixtures" / "documents"
PAIRS = ["parity-1", "parity-2", "parity-3"]


def findings(doc: Document) -> list[tuple[str, str, str]]:
    """(code, matched text, the match with up to 4 characters of its line either side) of
    each finding with the default rules."""
    config = Config()
    rules = load_ruleset(config).select(config, doc.path)
    out = []
    for d in lint_document(doc, rules, config):
        before = doc.text[max(0, d.start - 4) : d.start].split("\n")[-1]
        after = doc.text[d.end : d.end + 4].split("\n")[0]
        out.append((d.code, doc.text[d.start : d.end], before + doc.text[d.start : d.end] + after))
    return out


# What each pair is found to have: real slips the author typed, nothing else.
EXPECTED = {
    "parity-1": [
        (
            "FZ106",
            "天津市南开区投资促进局\n2024年度法治政府建设情况报告",
            "天津市南开区投资促进局\n2024年度法治政府建设情况报告",
        ),
        ("FZ503", " ", "格率均为 100%"),
    ],
    "parity-2": [
        ("FZ501", ",", "培训3期,培训执法"),
        ("FZ503", " ", "复议案件 12 件"),
        ("FZ503", " ", "件 12 件，依法"),
    ],
    "parity-3": [
        ("FZ210", "某镇人民政府2024年法治政府建设工作报告", "某镇人民政府2024年法治政府建设工作报告"),
        ("FZ503", " ", "查率均为 100%"),
        ("FZ506", '"法律进乡村"', '以来，以"法律进乡村"为抓手，'),
    ],
}


@pytest.mark.parametrize("name", PAIRS)
def test_pdf_gets_the_findings_of_its_docx(name: str) -> None:
    word = read_path(DOCUMENTS / f"{name}.docx")
    pdf = read_path(DOCUMENTS / f"{name}.pdf")
    assert pdf.source_format == "pdf"
    assert findings(pdf) == findings(word) == EXPECTED[name]


@pytest.mark.parametrize("name", PAIRS)
def test_pdf_paragraphs_are_the_docx_paragraphs(name: str) -> None:
    """Every paragraph outside the tables reads the same, in the same order: quotes in
    place, no space at a font change, the typed spaces kept, lines joined."""
    word = read_path(DOCUMENTS / f"{name}.docx")
    pdf = read_path(DOCUMENTS / f"{name}.pdf")
    paragraphs = [
        line
        for number, line in enumerate(word.lines, start=1)
        if line.strip() and not word.line_labels.get(number, "").startswith("表")
    ]
    assert [line for line in pdf.lines if line in set(paragraphs)] == paragraphs


def test_table_rows_are_cells_apart() -> None:
    """A table row is one printed line; its cells are set apart by tabs, as a table copied
    as text (so a gap between cells is no space between Chinese and digits)."""
    pdf = read_path(DOCUMENTS / "parity-2.pdf")
    assert "行政复议案件（件）\t9\t12" in pdf.lines
    assert "负责人出庭应诉率\t95%\t100%" in pdf.lines


def test_word_list_numbers_have_no_gap() -> None:
    """parity-2's headings are numbered by Word with a tab after the number: the gap is
    layout, as it is for the .docx reader."""
    pdf = read_path(DOCUMENTS / "parity-2.pdf")
    assert "（一）深化“放管服”改革" in pdf.lines
    assert "三、2024年党政主要负责人履行推进法治建设第一责任人职责情况" in pdf.lines


# --- PDFs drawn here ----------------------------------------------------------------------

SIZE = 10.0
LEFT = 72.0
# Times-Roman advance widths (of 1000) of the characters used; Chinese is one em.
TIMES = {
    **dict.fromkeys("0123456789", 500),
    " ": 250,
    "%": 833,
    ".": 250,
    "\u201c": 444,
    "\u201d": 444,
    **{"G": 722, "S": 556, "o": 500, "v": 500, "e": 444, "r": 333, "n": 500, "m": 778, "t": 278, "i": 278, "c": 444},
}
AUTOSPACE = 0.25  # em between Chinese and Latin text, as Word and LibreOffice leave it

Run = tuple[str, float, float, str, float, float]  # font, x, y, text, character spacing, angle


def width(font: str, text: str) -> float:
    return sum(1.0 if font == "song" else TIMES[ch] / 1000 for ch in text) * SIZE


def line(y: float, *pieces: tuple[str, str], indent: float = 0, fill: float = 0, order: str = "") -> list[Run]:
    """One printed line of pieces (font, text) from left to right: Chinese ("song") and
    Latin ("times") pieces ``AUTOSPACE`` apart, a piece ("gap", "2.5") a gap of 2.5 em.
    ``fill`` justifies the line to that many em by spacing all characters; ``order`` (the
    letters a, b, c … for the pieces) is the order in which they are drawn."""
    glyphs = sum(len(text) for font, text in pieces if font != "gap")
    natural = 0.0
    previous = ""
    for font, text in pieces:
        if font == "gap":
            natural += float(text) * SIZE
            previous = ""
            continue
        if previous and previous != font and not text.startswith(" "):
            natural += AUTOSPACE * SIZE
        natural += width(font, text)
        previous = font
    spacing = (fill * SIZE - indent * SIZE - natural) / (glyphs - 1) if fill else 0.0
    runs: list[Run] = []
    x, previous = LEFT + indent * SIZE, ""
    for font, text in pieces:
        if font == "gap":
            x += float(text) * SIZE
            previous = ""
            continue
        if previous and previous != font and not text.startswith(" "):
            x += AUTOSPACE * SIZE
        runs.append((font, x, y, text, spacing, 0.0))
        x += width(font, text) + spacing * len(text)
        previous = font
    if order:
        runs = [runs[ord(letter) - ord("a")] for letter in order]
    return runs


def drawn_pdf(*lines: list[Run]) -> bytes:
    """A one-page PDF drawing the runs in the order given: "song" is the CID font
    STSong-Light (not embedded; UCS-2 codes), "times" is Times-Roman."""
    ops = []
    for font, x, y, text, spacing, angle in (run for runs in lines for run in runs):
        data = text.encode("utf-16-be" if font == "song" else "cp1252").hex()
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        ops.append(
            f"BT /{'F1' if font == 'song' else 'F2'} {SIZE} Tf {spacing:.3f} Tc "
            f"{cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {x:.2f} {y:.2f} Tm <{data}> Tj ET"
        )
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /DW 1000"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 8 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    return assemble_pdf(objects)


def texts(*lines: list[Run]) -> list[str]:
    (page,) = extract_lines(drawn_pdf(*lines), "drawn.pdf")
    return [physical.text for physical in page]


def test_pieces_drawn_out_of_order_are_put_in_place() -> None:
    assert texts(
        # The quotes, in the Latin font, drawn after the Chinese around them.
        line(
            700,
            ("song", "开展"),
            ("times", "“"),
            ("song", "宪法宣传周"),
            ("times", "”"),
            ("song", "活动"),
            order="acebd",
        ),
        # Digits drawn after the Chinese, a quarter of a character from it on both sides.
        line(680, ("song", "全年培训"), ("times", "12"), ("song", "次。"), order="acb"),
    ) == ["开展“宪法宣传周”活动", "全年培训12次。"]


def test_spaces_come_from_space_characters_and_latin_word_gaps() -> None:
    assert texts(
        # A space the author typed is a space character in the PDF; the gap at the font
        # change is none.
        line(700, ("song", "合格率均为"), ("times", " 100%"), ("song", "。")),
        # Latin words set apart without a space character.
        line(680, ("song", "依托"), ("times", "Government"), ("gap", "0.25"), ("times", "Service"), ("song", "平台")),
        # A justified line: the characters spread evenly are not spaces either.
        line(660, ("song", "全面推行行政执法"), ("times", "3"), ("song", "项制度"), fill=20),
    ) == ["合格率均为 100%。", "依托Government Service平台", "全面推行行政执法3项制度"]


def test_table_cells_and_list_numbers() -> None:
    assert texts(
        line(700, ("song", "行政复议案件"), ("gap", "3"), ("times", "9"), ("gap", "4"), ("times", "12")),
        line(680, ("song", "（一）"), ("gap", "1.75"), ("song", "深化改革")),
        line(660, ("times", "1."), ("gap", "1.2"), ("song", "主要举措")),
    ) == ["行政复议案件\t9\t12", "（一）深化改革", "1.主要举措"]


def test_overprinted_bold_and_rotated_watermarks_are_left_out() -> None:
    bold = line(700, ("song", "一、主要举措"))
    overprint = [(font, x + 0.3, y, text, spacing, angle) for font, x, y, text, spacing, angle in bold]
    watermark = [("song", 150.0, 600.0, "内部资料", 20.0, 45.0)]
    body = line(680, ("song", "全年组织集中学法"), ("times", "12"), ("song", "次。"))
    assert texts(bold, overprint, watermark, body) == ["一、主要举措", "全年组织集中学法12次。"]


def test_drawn_report_gets_the_findings_of_its_text(tmp_path: Path) -> None:
    """The report of issue 14: with the quotes and digits drawn after the Chinese, the old
    reader moved the quotes to the line ends (breaking 习近平新时代中国特色社会主义思想
    across a line: a false FZ209), joined digits on with a space (a false FZ503) and lost
    the space the author typed in "均为 100%"."""
    column = 24  # em
    pdf = drawn_pdf(
        line(760, ("song", "某区司法局"), ("times", "2024"), ("song", "年法治政府建设情况报告"), indent=2),
        line(
            730,
            ("times", "2024"),
            ("song", "年，我局（以下简称"),
            ("times", "“"),
            ("song", "区司法局"),
            ("times", "”"),
            ("song", "）坚持以习近平新"),
            indent=2,
            fill=column,
            order="abdfce",
        ),
        line(715, ("song", "时代中国特色社会主义思想为指导，全面推进法治"), fill=column),
        line(700, ("song", "政府建设。")),
        line(685, ("song", "一、主要举措和成效"), indent=2),
        line(
            670,
            ("song", "全年组织集中学法"),
            ("times", "12"),
            ("song", "次，参学率和合格率均为"),
            ("times", " 100%"),
            ("song", "。"),
            indent=2,
            order="acebd",
        ),
    )
    text = (
        "某区司法局2024年法治政府建设情况报告\n"
        "2024年，我局（以下简称“区司法局”）坚持以习近平新时代中国特色社会主义思想为指导，全面推进法治政府建设。\n"
        "一、主要举措和成效\n"
        "全年组织集中学法12次，参学率和合格率均为 100%。\n"
    )
    pdf_doc = read_pdf(pdf, str(tmp_path / "report.pdf"))
    assert pdf_doc.text == text
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    expected = findings(read_path(tmp_path / "report.txt"))
    assert ("FZ503", " ", "格率均为 100%") in expected
    assert "FZ209" not in {code for code, _, _ in expected}
    assert findings(pdf_doc) == expected
