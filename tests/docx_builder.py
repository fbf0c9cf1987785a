"""Build .docx files for tests with python-docx, including Word's list numbering.

python-docx has no API for numbering definitions, so they are written into the
numbering part as XML (w:abstractNum with its w:lvl levels, w:num instances with
w:lvlOverride/w:startOverride) and paragraphs get a w:numPr (numId, ilvl).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# GB/T 9704 heading levels as Word list levels: (numFmt, lvlText).
GOVERNMENT_LEVELS = [
    ("chineseCounting", "%1、"),
    ("chineseCounting", "（%2）"),
    ("decimal", "%3."),
    ("decimal", "（%4）"),
]


@dataclass
class Level:
    number_format: str
    text: str
    start: int = 1
    restart: int | None = None  # w:lvlRestart
    style: str | None = None  # w:pStyle
    legal: bool = False  # w:isLgl


@dataclass
class DocxBuilder:
    document: Any = field(default_factory=docx.Document)

    def __post_init__(self) -> None:
        self.numbering = self.document.part.numbering_part.element
        for child in list(self.numbering):  # start from an empty numbering part
            self.numbering.remove(child)
        self.body = self.document.element.body

    # -- numbering definitions --------------------------------------------------------------

    def abstract(self, abstract_id: int, levels: Sequence[Level | tuple[str, str]], link: str | None = None) -> None:
        parts = [f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">']
        parts.append('<w:multiLevelType w:val="multilevel"/>')
        if link:
            parts.append(f'<w:numStyleLink w:val="{link}"/>')
        for ilvl, level in enumerate(levels):
            if isinstance(level, tuple):
                level = Level(*level)
            parts.append(f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{level.start}"/>')
            parts.append(f'<w:numFmt w:val="{level.number_format}"/>')
            if level.restart is not None:
                parts.append(f'<w:lvlRestart w:val="{level.restart}"/>')
            if level.style:
                parts.append(f'<w:pStyle w:val="{level.style}"/>')
            if level.legal:
                parts.append("<w:isLgl/>")
            parts.append(f'<w:lvlText w:val="{level.text}"/><w:lvlJc w:val="left"/></w:lvl>')
        parts.append("</w:abstractNum>")
        element = parse_xml("".join(parts))
        # Schema order: every w:abstractNum before the first w:num.
        first_num = self.numbering.find(qn("w:num"))
        if first_num is None:
            self.numbering.append(element)
        else:
            first_num.addprevious(element)

    def num(self, num_id: int, abstract_id: int, starts: dict[int, int] | None = None) -> None:
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for ilvl, start in (starts or {}).items()
        )
        self.numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
            )
        )

    def numbered_style(self, style_id: str, num_id: int, ilvl: int | None = 0, based_on: str | None = None) -> None:
        """A paragraph style whose paragraphs are numbered (like Word's Heading 1 with a list)."""
        level = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
        num_pr = f'<w:numPr>{level}<w:numId w:val="{num_id}"/></w:numPr>'
        based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
        self.document.styles.element.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}">'
                f'<w:name w:val="{style_id}"/>{based}<w:pPr>{num_pr}</w:pPr></w:style>'
            )
        )

    def plain_style(self, style_id: str, based_on: str) -> None:
        self.document.styles.element.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}">'
                f'<w:name w:val="{style_id}"/><w:basedOn w:val="{based_on}"/></w:style>'
            )
        )

    # -- content ------------------------------------------------------------------------------

    def paragraph(self, text: str = "", num: int | None = None, ilvl: int | None = 0, style: str | None = None) -> Any:
        paragraph = self.document.add_paragraph(text)
        if style or num is not None:
            ppr = paragraph._p.get_or_add_pPr()
            if style:
                pstyle = OxmlElement("w:pStyle")
                pstyle.set(qn("w:val"), style)
                ppr.insert(0, pstyle)
            if num is not None:
                num_pr = OxmlElement("w:numPr")
                if ilvl is not None:
                    level = OxmlElement("w:ilvl")
                    level.set(qn("w:val"), str(ilvl))
                    num_pr.append(level)
                num_id = OxmlElement("w:numId")
                num_id.set(qn("w:val"), str(num))
                num_pr.append(num_id)
                ppr.append(num_pr)
        return paragraph

    def raw_paragraph(self, inner_xml: str) -> None:
        """A paragraph given as the XML inside <w:p> (runs, breaks, revisions …)."""
        self.body.insert(len(self.body) - 1, parse_xml(f"<w:p {nsdecls('w')}>{inner_xml}</w:p>"))

    def table(self, rows: list[list[str]]) -> Any:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        return table

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def save(self, path: Path) -> Path:
        path.write_bytes(self.bytes())
        return path


def replace_part(data: bytes, name: str, content: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of the zip ``data`` with part ``name`` replaced (and ``extra`` parts added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info.filename))
        for extra_name, extra_content in (extra or {}).items():
            target.writestr(extra_name, extra_content)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)
