"""Render the report specs of ``tests/corpus/specs/`` in the shapes real offices use.

A spec (see ``tests/corpus/specs/README.md``) is a correct, complete 法治政府建设年度报告 as data;
:func:`render` turns it into text in one :class:`Shape`: the parts in another order, the
achievements part as thematic level-1 headings or under another heading, the parts one level
down or headed without numbers, the title over two or three lines (after the organ name, after
关于, with a blank line between), joint issuers, author and date lines under the title, an
addressee line, an 附件 with a table after the 落款, paragraphs indented or separated by blank
lines, a Markdown file.  Every rendering of a correct spec is a correct report.

``python bench/variants.py`` writes ``tests/corpus/variants/`` (the renderings reportlint must
report no error or warning on) and its ``manifest.jsonl``; ``--check`` only compares.
The choice of shapes per spec is deterministic (a hash of the spec id), so the corpus is stable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "corpus" / "specs"
VARIANTS = ROOT / "tests" / "corpus" / "variants"

CN = "一二三四五六七八九十"
ROLES = ("achievements", "shortcomings", "responsibility", "plan", "other")


def chinese(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    if n < 20:
        return "十" + CN[n - 11]
    tens, units = divmod(n, 10)
    return CN[tens - 1] + "十" + (CN[units - 1] if units else "")


def marker(level: int, n: int) -> str:
    return (f"{chinese(n)}、", f"（{chinese(n)}）", f"{n}.", f"（{n}）")[level - 1]


# -- the spec ---------------------------------------------------------------------------------


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    run_in: bool = False


@dataclass
class Part:
    role: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass
class Annex:
    title: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Spec:
    id: str
    source: str
    year: int
    kind: str
    organ: str
    title: str
    addressee: str
    opening: str
    signature: list[str]
    date: str
    parts: list[Part]
    joint: list[str] = field(default_factory=list)
    annex: Annex | None = None

    def part(self, role: str) -> Part | None:
        return next((p for p in self.parts if p.role == role), None)


class SpecError(Exception):
    pass


def load_spec(path: Path) -> Spec:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        parts = [
            Part(
                role=p["role"],
                heading=p.get("heading", ""),
                paragraphs=list(p.get("paragraphs", [])),
                sections=[
                    Section(
                        s["heading"], list(s.get("paragraphs", [])), list(s.get("items", [])), s.get("run_in", False)
                    )
                    for s in p.get("sections", [])
                ],
            )
            for p in data["parts"]
        ]
        annex = data.get("annex")
        spec = Spec(
            id=data["id"],
            source=data["source"],
            year=int(data["year"]),
            kind=data["kind"],
            organ=data["organ"],
            title=data["title"],
            addressee=data.get("addressee", ""),
            opening=data["opening"],
            signature=list(data["signature"]),
            date=data["date"],
            parts=parts,
            joint=list(data.get("joint", [])),
            annex=Annex(annex["title"], list(annex["header"]), [list(r) for r in annex["rows"]]) if annex else None,
        )
    except KeyError as exc:
        raise SpecError(f"{path.name}: missing field {exc}") from None
    problems = validate(spec)
    if problems:
        raise SpecError(f"{path.name}: " + "; ".join(problems))
    return spec


def validate(spec: Spec) -> list[str]:
    problems = []
    if f"{spec.id}" != spec.id.lower():
        problems.append("id must be lower case")
    roles = [p.role for p in spec.parts]
    for role in roles:
        if role not in ROLES:
            problems.append(f"unknown role {role!r}")
    for required in ("achievements", "shortcomings", "responsibility", "plan"):
        if required not in roles:
            problems.append(f"no {required} part")
    if spec.kind not in ("部门", "政府", "乡镇街道"):
        problems.append(f"unknown kind {spec.kind!r}")
    for part in spec.parts:
        if not part.heading and part.role != "achievements":
            problems.append(f"the {part.role} part needs a heading")
        if not part.paragraphs and not part.sections:
            problems.append(f"the {part.role} part is empty")
        for section in part.sections:
            if section.heading[-1:] in "。；，：":
                problems.append(f"heading {section.heading!r} ends in punctuation")
    return problems


def load_specs(directory: Path = SPECS) -> list[Spec]:
    return [load_spec(path) for path in sorted(directory.glob("*.toml"))]


# -- shapes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """How one rendering looks; the defaults are the 督察规定's plain form."""

    order: str = "standard"  # standard | responsibility-first
    achievements: str = "part"  # part | thematic | alias (the part heading reworded)
    alias: str = ""  # the achievements heading for achievements == "alias"
    level: str = "top"  # top | down (parts are （一）) | wrapped (review parts under one 一、) | bare
    title: str = "one"  # one | organ | guanyu | blank | three | date | author
    joint: bool = False
    addressee: bool = False
    annex: str = "none"  # none | tabs | pipes | cells
    blank: bool = True  # a blank line between paragraphs
    indent: bool = False  # two full-width spaces before each paragraph
    markdown: bool = False

    @property
    def name(self) -> str:
        default = Shape()
        parts = []
        for key, value in self.__dict__.items():
            if key == "alias" or value == getattr(default, key):
                continue
            parts.append(key if value is True else f"{key}-{value}" if value is not False else f"no{key}")
        return "_".join(parts) or "plain"


ALIASES = ("主要措施", "工作开展情况", "{year}年工作完成情况", "{year}年法治政府建设推进情况", "主要做法和成效")


def shapes_for(spec: Spec) -> list[Shape]:
    """The shapes one spec is rendered in: the plain form and six others, picked by a hash of
    the spec id so that every shape option appears across the corpus."""
    digest = hashlib.sha256(spec.id.encode()).digest()
    pick = iter(digest)

    def choose(options: tuple[Any, ...]) -> Any:
        return options[next(pick) % len(options)]

    has_heading = bool(spec.part("achievements").heading)  # type: ignore[union-attr]
    thematic_ok = bool(spec.part("achievements").sections)  # type: ignore[union-attr]
    guanyu = "关于" in spec.title
    splits = ("organ", "guanyu", "blank") if guanyu else ("organ", "blank")
    shapes = [Shape(), Shape(order="responsibility-first", blank=False, title=choose(splits))]
    if thematic_ok:
        shapes.append(Shape(achievements="thematic", addressee=True, indent=choose((True, False))))
    shapes.append(
        Shape(
            achievements="alias",
            alias=choose(ALIASES).format(year=spec.year),
            title=choose(("three", "date", "author") if guanyu else ("date", "author")),
            annex=choose(("tabs", "pipes", "cells")),
        )
    )
    shapes.append(Shape(level="down", blank=choose((True, False)), addressee=choose((True, False))))
    shapes.append(Shape(level="bare", title=choose(("organ", "date", "one")), annex="tabs"))
    shapes.append(Shape(level="wrapped", joint=bool(spec.joint), blank=False, title=choose(("one", "blank"))))
    shapes.append(Shape(markdown=True, achievements="thematic" if thematic_ok and not has_heading else "part"))
    return shapes


# -- rendering --------------------------------------------------------------------------------


@dataclass
class Out:
    """The rendered lines, with a blank line between blocks when the shape asks for one."""

    shape: Shape
    lines: list[str] = field(default_factory=list)

    def block(self, text: str, *, paragraph: bool = False) -> None:
        if self.shape.blank and self.lines and self.lines[-1] != "":
            self.lines.append("")
        if paragraph and self.shape.indent:
            text = "\u3000\u3000" + text
        self.lines.append(text)

    def raw(self, text: str) -> None:
        self.lines.append(text)

    def heading(self, level: int, n: int | None, title: str, body: str | None = None) -> None:
        """A heading line: numbered (``n``) or bare; in Markdown with # marks."""
        text = (marker(level, n) if n is not None else "") + title
        if body is not None:
            text += "。" + body
        if self.shape.markdown:
            text = "#" * min(level + 1, 6) + " " + text
        self.block(text)


def title_lines(spec: Spec, shape: Shape) -> list[str]:
    """The title block: the title split as the shape asks, then author/date lines."""
    title = spec.title
    if shape.joint and spec.joint:
        rest = title[len(spec.organ) :] if title.startswith(spec.organ) else "关于" + title.split("关于", 1)[-1]
        title = "\u3000".join(spec.joint) + rest
    organ_prefix = next((o for o in (*spec.joint, spec.organ) if title.startswith(o)), "")
    lines: list[str]
    if shape.title == "organ" and organ_prefix and len(title) > len(organ_prefix) + 4:
        head = (
            title[: len(organ_prefix)]
            if not shape.joint
            else title[: title.index("关于")]
            if "关于" in title
            else title
        )
        lines = [head, title[len(head) :]]
    elif shape.title == "guanyu" and "关于" in title:
        cut = title.index("关于") + 2
        lines = [title[:cut], title[cut:]]
    elif shape.title == "blank" and len(title) > 16:
        cut = _cut_before(title, ("情况", "工作情况", "年度报告", "报告"))
        lines = [title[:cut], "", title[cut:]]
    elif shape.title == "three" and "关于" in title:
        cut = title.index("关于")
        rest = title[cut:]
        second = _cut_before(rest, ("情况", "工作情况", "报告"))
        lines = [title[:cut], rest[:second], rest[second:]]
    else:
        lines = [title]
    if shape.title == "date":
        lines.append(f"（{spec.date}）")
    elif shape.title == "author":
        lines += [*(spec.joint if shape.joint and spec.joint else [spec.organ]), spec.date]
    return [line for line in lines if line is not None]


def _cut_before(text: str, words: tuple[str, ...]) -> int:
    for word in words:
        at = text.rfind(word)
        if at > 4:
            return at
    return len(text) // 2


def ordered_parts(spec: Spec, shape: Shape) -> list[Part]:
    parts = list(spec.parts)
    if shape.order == "responsibility-first":
        responsibility = spec.part("responsibility")
        if responsibility is not None:  # (a planted defect may have removed it)
            parts.remove(responsibility)
            parts.insert(0, responsibility)
    return parts


def achievements_heading(spec: Spec, part: Part, shape: Shape) -> str:
    if shape.achievements == "alias" and shape.alias:
        return shape.alias
    return part.heading or f"{spec.year}年推进法治政府建设的主要举措和成效"


def render(spec: Spec, shape: Shape) -> str:
    out = Out(shape)
    for line in title_lines(spec, shape):
        if shape.markdown and line:
            line = "# " + line
        out.raw(line) if line == "" else out.block(line)
    if shape.addressee and spec.addressee:
        out.block(spec.addressee)
    out.block(spec.opening, paragraph=True)
    parts = ordered_parts(spec, shape)
    if shape.level == "top":
        _render_top(spec, shape, out, parts)
    elif shape.level == "down":
        _render_down(spec, shape, out, parts)
    elif shape.level == "wrapped":
        _render_wrapped(spec, shape, out, parts)
    else:
        _render_bare(spec, shape, out, parts)
    for line in spec.joint if shape.joint and spec.joint else spec.signature:
        out.block(line)
    out.block(spec.date)
    if shape.annex != "none":
        _render_annex(spec, shape, out)
    return "\n".join(out.lines) + "\n"


def _section_lines(out: Out, level: int, sections: list[Section], start: int = 1) -> None:
    for n, section in enumerate(sections, start):
        first, *rest = section.paragraphs or [""]
        if section.run_in and first:
            out.heading(level, n, section.heading, first)
        else:
            out.heading(level, n, section.heading)
            rest = section.paragraphs
        for paragraph in rest:
            out.block(paragraph, paragraph=True)
        for m, item in enumerate(section.items, 1):
            out.block(marker(min(level + 1, 4), m) + item, paragraph=False)


def _part_body(out: Out, part: Part, section_level: int) -> None:
    for paragraph in part.paragraphs:
        out.block(paragraph, paragraph=True)
    _section_lines(out, section_level, part.sections)


def _render_top(spec: Spec, shape: Shape, out: Out, parts: list[Part]) -> None:
    n = 0
    for part in parts:
        if part.role == "achievements" and (
            shape.achievements == "thematic" or (not part.heading and shape.achievements != "alias")
        ):
            for paragraph in part.paragraphs:
                out.block(paragraph, paragraph=True)
            for section in part.sections:
                n += 1
                first, *rest = section.paragraphs or [""]
                if section.run_in and first:
                    out.heading(1, n, section.heading, first)
                else:
                    out.heading(1, n, section.heading)
                    rest = section.paragraphs
                for paragraph in rest:
                    out.block(paragraph, paragraph=True)
                for m, item in enumerate(section.items, 1):
                    out.block(marker(2, m) + item)
            continue
        n += 1
        heading = achievements_heading(spec, part, shape) if part.role == "achievements" else part.heading
        out.heading(1, n, heading)
        _part_body(out, part, 2)


def _render_down(spec: Spec, shape: Shape, out: Out, parts: list[Part]) -> None:
    """No level-1 headings: the parts are （一）（二）…, their sections 1. 2. …"""
    for n, part in enumerate(parts, 1):
        heading = achievements_heading(spec, part, shape) if part.role == "achievements" else part.heading
        out.heading(2, n, heading)
        _part_body(out, part, 3)


def _render_wrapped(spec: Spec, shape: Shape, out: Out, parts: list[Part]) -> None:
    """The review parts one level down under one 一、 heading; the plan (and other parts) 二、…"""
    review = [p for p in parts if p.role in ("achievements", "shortcomings", "responsibility")]
    later = [p for p in parts if p not in review]
    out.heading(1, 1, f"{spec.year}年法治政府建设情况")
    for n, part in enumerate(review, 1):
        heading = achievements_heading(spec, part, shape) if part.role == "achievements" else part.heading
        out.heading(2, n, heading)
        _part_body(out, part, 3)
    for n, part in enumerate(later, 2):
        out.heading(1, n, part.heading)
        _part_body(out, part, 2)


def _render_bare(spec: Spec, shape: Shape, out: Out, parts: list[Part]) -> None:
    """Part headings without numbers, each a line of its own; sections （一）…"""
    for part in parts:
        heading = achievements_heading(spec, part, shape) if part.role == "achievements" else part.heading
        out.heading(1, None, heading)
        _part_body(out, part, 2)


DEFAULT_ANNEX = Annex(
    title="{year}年度行政执法和行政复议情况统计表",
    header=["序号", "项目", "数量（件）", "备注"],
    rows=[
        ["1", "行政许可", "236", "按时办结率100%"],
        ["2", "行政处罚", "58", "无被撤销、变更"],
        ["3", "行政复议", "4", "均维持"],
        ["4", "行政诉讼", "2", "主要负责人出庭应诉2次"],
    ],
)


def _render_annex(spec: Spec, shape: Shape, out: Out) -> None:
    annex = spec.annex or DEFAULT_ANNEX
    out.block("附件")
    out.block(annex.title.format(year=spec.year))
    rows = [annex.header, *annex.rows]
    if shape.annex == "tabs":
        for row in rows:
            out.block("\t".join(row))
    elif shape.annex == "pipes":
        out.block("| " + " | ".join(annex.header) + " |")
        out.raw("|" + "---|" * len(annex.header))
        for row in annex.rows:
            out.raw("| " + " | ".join(row) + " |")
    else:  # one cell per line, as a table copied out of Word
        for row in rows:
            for cell in row:
                out.block(cell)


# -- the corpus --------------------------------------------------------------------------------


def build(specs: list[Spec]) -> dict[str, tuple[str, dict[str, Any]]]:
    """file name -> (text, manifest entry) for every rendering of every spec."""
    files: dict[str, tuple[str, dict[str, Any]]] = {}
    for spec in specs:
        for shape in shapes_for(spec):
            suffix = ".md" if shape.markdown else ".txt"
            name = f"{spec.id}--{shape.name}{suffix}"
            entry = {"file": name, "spec": spec.id, "shape": shape.name, "year": spec.year, "kind": spec.kind}
            files[name] = (render(spec, shape), entry)
    return files


def write(files: dict[str, tuple[str, dict[str, Any]]], directory: Path = VARIANTS) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*"):
        if stale.suffix in (".txt", ".md") and stale.name not in files:
            stale.unlink()
    for name, (text, _) in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    manifest = "\n".join(json.dumps(entry, ensure_ascii=False) for _, entry in files.values()) + "\n"
    (directory / "manifest.jsonl").write_text(manifest, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if tests/corpus/variants/ is not up to date")
    parser.add_argument("--spec", help="render only this spec id, to stdout, in every shape")
    args = parser.parse_args(argv)
    try:
        specs = load_specs()
    except SpecError as exc:
        print(f"variants: {exc}", file=sys.stderr)
        return 2
    if args.spec:
        for spec in specs:
            if spec.id == args.spec:
                for shape in shapes_for(spec):
                    print(f"===== {shape.name}")
                    print(render(spec, shape))
        return 0
    files = build(specs)
    if args.check:
        stale = [
            name
            for name, (text, _) in files.items()
            if not (VARIANTS / name).exists() or (VARIANTS / name).read_text(encoding="utf-8") != text
        ]
        if stale:
            print(f"variants: {len(stale)} renderings out of date (run python bench/variants.py)", file=sys.stderr)
            return 1
        return 0
    write(files)
    print(f"wrote {len(files)} renderings of {len(specs)} specs to {VARIANTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
