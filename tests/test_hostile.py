"""Hostile and broken input: every case is one exact line on stderr, exit code 2, and the
other files of the run are still checked (``reportlint check good.txt bad.docx``)."""

from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from pdf_builder import assemble_pdf

pytest.importorskip("docx")
pytest.importorskip("pdfminer")

from docx_builder import DocxBuilder, part, replace_part
from reportlint.frontends.cli import main
from reportlint.inputs.reading import iter_report_files

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "fixtures" / "documents"
GOOD = "某局2024年法治政府建设情况报告\n\n全年培训10次,覆盖全员。\n"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CORRUPT_DOCX = "Word 文件已损坏或不完整，无法打开（请用 Word 或 WPS 打开后重新保存为 .docx）"
DOCTYPE = "Word 文件含有 DOCTYPE 声明（Word 不会写入，可能是恶意构造的文件），已拒绝读取"
CORRUPT_PDF = "PDF 文件已损坏或不完整，无法读取"


def good_line(path: Path) -> str:
    return f"{path}:3:8: FZ501 [*] [错误] 中文里用了半角标点“,”（“训10次,覆盖全员”），应改为全角“，”。"


def check_with_good(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: Path, *options: str
) -> tuple[int, list[str], str]:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    code = main(["check", "--select", "FZ501", *options, str(good), str(bad)])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == good_line(good)  # the good file is still checked
    assert lines[1] == "发现 1 个问题（错误 1），检查 1 个文件；1 个文件无法读取，没有检查"
    return code, lines, err


def small_docx() -> bytes:
    builder = DocxBuilder()
    builder.paragraph("某局2024年法治政府建设情况报告")
    builder.paragraph("全年培训10次。")
    return builder.bytes()


def with_extra_entries(data: bytes, entries: dict[str, bytes]) -> bytes:
    if data:
        return replace_part(data, "", b"", extra=entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def document_xml_with(prolog: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
    ).encode()


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the central directory so that ``name`` claims to inflate to ``size`` bytes."""
    raw = bytearray(data)
    start = 0
    while True:
        start = raw.index(b"PK\x01\x02", start)
        name_length = struct.unpack_from("<H", raw, start + 28)[0]
        if raw[start + 46 : start + 46 + name_length] == name.encode():
            struct.pack_into("<I", raw, start + 24, size)
            return bytes(raw)
        start += 4


def minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF whose page content stream is ``content``, Flate-compressed."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return assemble_pdf(objects)


# --- .docx: zip bombs, XML attacks, broken archives --------------------------------------

BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi", strict=True))
    + "]>"
)

DOCX_CASES: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "ratio": (
        lambda tmp: with_extra_entries(small_docx(), {"word/media/image1.bin": bytes(4 * 1024 * 1024)}),
        "Word 文件内部压缩比异常（word/media/image1.bin 超过 200 倍），可能是压缩炸弹",
    ),
    "entries": (
        lambda tmp: with_extra_entries(small_docx(), {f"extra/item{i}.xml": b"" for i in range(5000)}),
        "Word 文件内部条目过多（超过 5000 个），可能是恶意构造的文件",
    ),
    "billion-laughs": (
        lambda tmp: replace_part(small_docx(), "word/document.xml", document_xml_with(BILLION_LAUGHS, "&i;")),
        DOCTYPE,
    ),
    "external-entity": (
        lambda tmp: replace_part(
            small_docx(),
            "word/document.xml",
            document_xml_with(f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{tmp / "secret.txt"}">]>', "&x;"),
        ),
        DOCTYPE,
    ),
    "doctype-in-numbering": (
        lambda tmp: replace_part(
            small_docx(),
            "word/numbering.xml",
            b'<?xml version="1.0"?><!DOCTYPE w:numbering [<!ENTITY n "x">]>'
            + f'<w:numbering xmlns:w="{W_NS}"/>'.encode(),
        ),
        DOCTYPE,
    ),
    "truncated": (lambda tmp: small_docx()[: len(small_docx()) // 2], CORRUPT_DOCX),
    "not-a-zip": (lambda tmp: b"PK\x03\x04 this is not really a zip archive" * 10, CORRUPT_DOCX),
    "lying-directory": (
        lambda tmp: lie_about_size(small_docx(), "word/document.xml", 100),
        CORRUPT_DOCX,
    ),
    "no-main-part": (
        lambda tmp: with_extra_entries(b"", {"hello.txt": b"hello"}),
        CORRUPT_DOCX,
    ),
    "macro-content-type": (
        lambda tmp: replace_part(
            small_docx(),
            "[Content_Types].xml",
            part(small_docx(), "[Content_Types].xml").replace(
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            ),
        ),
        "不是 Word 文档（.docx），无法读取",
    ),
    "deep-nesting": (
        lambda tmp: replace_part(
            small_docx(),
            "word/document.xml",
            document_xml_with("", "x").replace(b"<w:body>", b"<w:body>" + b"<w:sdt>" * 3000, 1),
        ),
        CORRUPT_DOCX,
    ),
}


@pytest.mark.parametrize("case", sorted(DOCX_CASES))
def test_hostile_docx(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "secret.txt").write_text("TOP-SECRET-VALUE", encoding="utf-8")
    build, problem = DOCX_CASES[case]
    bad = tmp_path / "bad.docx"
    bad.write_bytes(build(tmp_path))
    code, lines, err = check_with_good(tmp_path, capsys, bad)
    assert code == 2
    assert err == f"reportlint: {bad}: {problem}\n"
    assert "TOP-SECRET-VALUE" not in "".join(lines) + err


def test_zip_total_size_is_checked_from_the_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportlint.inputs.docx.reader as docx_reader

    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED", 2 * 1024 * 1024)
    noise = random.Random(0).randbytes(3 * 1024 * 1024)  # incompressible: no ratio alarm
    bad = tmp_path / "big.docx"
    bad.write_bytes(with_extra_entries(small_docx(), {"word/media/photo.jpg": noise}))
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert code == 2
    assert err == f"reportlint: {bad}: Word 文件解压后过大（超过 2 MB），可能是压缩炸弹\n"


def test_entities_are_never_expanded_by_the_parser(tmp_path: Path) -> None:
    """Defence in depth: python-docx's parser itself neither resolves entities nor loads
    external ones (and libxml2 refuses entity amplification outright)."""
    from docx.oxml.parser import oxml_parser
    from lxml import etree

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    prolog = f'<!DOCTYPE w:document [<!ENTITY a "内部实体"><!ENTITY x SYSTEM "file://{secret}">]>'
    root = etree.fromstring(document_xml_with(prolog, "&a;&x;"), oxml_parser)
    text = "".join(root.itertext())
    assert "内部实体" not in text and "TOP-SECRET" not in text
    assert b"&a;&x;" in etree.tostring(root)  # kept as unexpanded references
    with pytest.raises(etree.XMLSyntaxError, match="amplification"):
        etree.fromstring(document_xml_with(BILLION_LAUGHS, "&i;"), oxml_parser)


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_flate_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import reportlint.inputs.pdf.reader as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_INFLATED", 1024 * 1024)
    bad = tmp_path / "bomb.pdf"
    bad.write_bytes(minimal_pdf(b" " * (4 * 1024 * 1024)))
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert code == 2
    assert err == f"reportlint: {bad}: PDF 内容解压后过大，可能是恶意构造的文件，已停止读取\n"
    # Within the budget the same file is read (and has no text), and pdfminer's zlib is restored.
    monkeypatch.setattr(pdf_reader, "MAX_INFLATED", 8 * 1024 * 1024)
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert err == f"reportlint: {bad}: PDF 中没有可提取的文字（可能是扫描件），请用文字版 PDF 或 Word 文件\n"
    from pdfminer import pdftypes

    assert pdftypes.zlib is zlib


def test_pdf_page_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import reportlint.inputs.pdf.reader as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3)
    bad = DOCUMENTS / "report.pdf"  # six pages
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert code == 2
    assert err == f"reportlint: {bad}: PDF 页数过多（超过 3 页），不像是一份报告\n"


@pytest.mark.parametrize(
    ("name", "build", "problem"),
    [
        ("truncated.pdf", lambda: (DOCUMENTS / "report.pdf").read_bytes()[:6000], CORRUPT_PDF),
        ("garbage.pdf", lambda: b"%PDF-1.4\n" + bytes(range(256)) * 8, CORRUPT_PDF),
        ("named.pdf", lambda: b"just some text, not a PDF at all", CORRUPT_PDF),
        (
            "encrypted.pdf",
            lambda: (DOCUMENTS / "encrypted.pdf").read_bytes(),
            "PDF 文件设有打开密码，无法读取；请提供未加密的文件",
        ),
    ],
)
def test_broken_pdf(
    name: str, build: Callable[[], bytes], problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / name
    bad.write_bytes(build())
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert code == 2
    assert err == f"reportlint: {bad}: {problem}\n"


# --- any file: size, links, permissions, old formats ----------------------------------------


def test_size_limit_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "huge.txt"
    bad.write_text(GOOD * 8000, encoding="utf-8")  # about 640 KB
    code, _, err = check_with_good(tmp_path, capsys, bad, "--max-file-size", "0.5")
    assert code == 2
    assert err == f"reportlint: {bad}: 文件过大（超过 512 KB）\n"


def test_size_limit_from_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reportlint.toml").write_text("max-file-size = 0.25\n", encoding="utf-8")
    bad = tmp_path / "big.docx"
    bad.write_bytes(with_extra_entries(small_docx(), {"word/media/a.jpg": random.Random(1).randbytes(300 * 1024)}))
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert code == 2
    assert err == f"reportlint: {bad}: 文件过大（超过 256 KB）\n"


def test_size_limit_default_is_20_mb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "huge.pdf"
    with bad.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: no 20 MB written to disk
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert code == 2
    assert err == f"reportlint: {bad}: 文件过大（超过 20 MB）\n"


@pytest.mark.parametrize("value", ["0", "-1", "abc"])
def test_bad_size_option_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", "--max-file-size", value, "x.txt"])
    assert caught.value.code == 2
    assert f"应为正数（MB）：{value}" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_loop_named_and_in_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    loop = folder / "loop.txt"
    loop.symlink_to(loop)
    (folder / "back").symlink_to(folder, target_is_directory=True)  # a directory loop is not entered
    code, _, err = check_with_good(tmp_path, capsys, loop)
    assert (code, err) == (2, f"reportlint: {loop}: 无法读取：符号链接循环\n")
    code, _, err = check_with_good(tmp_path, capsys, folder)
    assert (code, err) == (2, f"reportlint: {loop}: 无法读取：符号链接循环\n")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_unreadable_file_and_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"
    (folder / "locked").mkdir(parents=True)
    secret = folder / "secret.docx"
    secret.write_bytes(small_docx())
    secret.chmod(0)
    (folder / "locked").chmod(0)
    try:
        good = tmp_path / "good.txt"
        good.write_text(GOOD, encoding="utf-8")
        code = main(["check", "--select", "FZ501", str(good), str(folder)])
        out, err = capsys.readouterr()
        assert code == 2
        assert out.splitlines()[0] == good_line(good)
        assert sorted(err.splitlines()) == [
            f"reportlint: {folder / 'locked'}: 无法读取：权限不足",
            f"reportlint: {secret}: 无法读取：权限不足",
        ]
    finally:
        secret.chmod(0o644)
        (folder / "locked").chmod(0o755)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        (
            "old.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "不支持旧版 Word 格式（.doc），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查",
        ),
        (
            "old.wps",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "不支持WPS 文字格式（.wps），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查",
        ),
        (
            "renamed.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "是旧版 Word/WPS 文件（.doc/.wps 格式），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查",
        ),
        ("report.odt", b"PK\x03\x04odt", "不支持OpenDocument 文本格式（.odt），请另存为 .docx 或 .txt 后再检查"),
        ("report.rtf", b"{\\rtf1\\ansi report}", "不支持RTF 格式（.rtf），请另存为 .docx 或 .txt 后再检查"),
        (
            "rtf-as.doc",
            b"{\\rtf1\\ansi report}",
            "不支持旧版 Word 格式（.doc），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查",
        ),
        ("report.pages", b"PK\x03\x04pages", "不支持Pages 格式（.pages），请在 Pages 中导出为 .docx 或 .txt 后再检查"),
        (
            "report.ofd",
            b"PK\x03\x04ofd",
            "不支持OFD 版式文件（.ofd），请用 OFD 阅读器另存为 PDF，或提供 .docx、.txt 文件",
        ),
        ("table.xlsx", b"PK\x03\x04xlsx", "是表格文件（.xlsx），不是报告正文：请把报告另存为 .docx 或 .txt 后再检查"),
        ("slides.pptx", b"PK\x03\x04pptx", "是演示文稿（.pptx），不是报告正文：请把报告另存为 .docx 或 .txt 后再检查"),
    ],
)
def test_unsupported_formats_named_explicitly(
    name: str, data: bytes, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / name
    bad.write_bytes(data)
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert (code, err) == (2, f"reportlint: {bad}: {problem}\n")


def test_directory_walk_reports_old_reports_but_not_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "b.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "~$c.docx").write_bytes(b"\x05lock")  # Word's owner file beside an open document
    for name in ("photo.png", "table.xlsx", "template.dotx", "notes.json"):
        (folder / name).write_bytes(b"\x89PNG")
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    code = main(["check", "--select", "FZ501", str(good), str(folder)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out.splitlines() == [
        good_line(good),
        "发现 1 个问题（错误 1），检查 1 个文件；2 个文件无法读取，没有检查",
        out.splitlines()[2],
    ]
    assert err.splitlines() == [
        f"reportlint: {folder / 'a.doc'}: 不支持旧版 Word 格式（.doc），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查",
        f"reportlint: {folder / 'b.wps'}: 不支持WPS 文字格式（.wps），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查",
    ]


def test_thousands_of_files_are_walked_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for index in range(3000):
        sub = folder / f"d{index % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"r{index:04d}.{('txt', 'docx', 'pdf', 'png')[index % 4]}").write_bytes(b"x")
    found = list(iter_report_files([str(folder)]))
    assert len(found) == 2250  # every .txt, .docx and .pdf; no .png
    assert all(isinstance(item, str) for item in found)
    assert found == sorted(found, key=lambda p: (Path(p).parent.name, Path(p).name))


def test_corrupt_files_in_a_folder_do_not_stop_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a_broken.docx").write_bytes(small_docx()[:300])
    (folder / "b_broken.pdf").write_bytes(b"%PDF-1.7\n%%EOF")
    (folder / "c_good.txt").write_text(GOOD, encoding="utf-8")
    builder = DocxBuilder()
    builder.paragraph("某局2024年法治政府建设情况报告")
    builder.paragraph("全年培训10次,覆盖全员。")
    builder.save(folder / "d_good.docx")
    code = main(["check", "--select", "FZ501", str(folder)])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines() == [
        f"reportlint: {folder / 'a_broken.docx'}: {CORRUPT_DOCX}",
        f"reportlint: {folder / 'b_broken.pdf'}: {CORRUPT_PDF}",
    ]
    assert out.splitlines()[:2] == [
        good_line(folder / "c_good.txt"),
        f"{folder / 'd_good.docx'}:2:8: FZ501 [错误] 中文里用了半角标点“,”（“训10次,覆盖全员”），应改为全角“，”。"
        "（位置：“全年培训10次,覆盖全员。”）",
    ]


def test_zip_helpers_build_what_they_claim() -> None:
    data = with_extra_entries(small_docx(), {"x/y.bin": b"abc"})
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "x/y.bin" in names and "word/document.xml" in names
    lied = lie_about_size(small_docx(), "word/document.xml", 100)
    assert zipfile.ZipFile(io.BytesIO(lied)).getinfo("word/document.xml").file_size == 100


def test_pdfminer_complaints_stay_off_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A PDF without a cross-reference table makes pdfminer log warnings while it repairs it;
    reportlint reads the file and says nothing but its findings."""
    data = minimal_pdf(b"BT /F1 12 Tf 72 720 Td (2024 annual report) Tj ET")
    damaged = tmp_path / "noxref.pdf"
    damaged.write_bytes(data[: data.index(b"xref")] + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    code = main(["check", "--pack", "fazhi", "--select", "FZ103", str(damaged)])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == f"{damaged}:p1:1:1: FZ103 [警告] 标题没有写明报告年度（如“2024年度”）。"


def test_pdf_character_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportlint.inputs.pdf.reader as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_CHARACTERS", 500)
    bad = DOCUMENTS / "report.pdf"
    code, _, err = check_with_good(tmp_path, capsys, bad)
    assert code == 2
    assert err == f"reportlint: {bad}: PDF 文字过多（超过 500 个字符），不像是一份报告\n"
