"""Tests for reportlint.inputs.reading: finding, decoding and re-encoding report files."""

from __future__ import annotations

import codecs
import errno
import io
import os
import pickle
import sys
from pathlib import Path

import pytest

from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.inputs import plain, reading
from reportlint.inputs.plain import decode_bytes, decode_report, encode_text
from reportlint.inputs.reading import iter_report_files, read_bytes, read_path, read_stdin

REPORT = "法治政府建设情况报告\n一、主要举措"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- InputError -------------------------------------------------------------


def test_input_error_attributes_and_str() -> None:
    error = InputError("reports/a.txt", "文件为空", "empty")
    assert error.path == "reports/a.txt"
    assert error.problem == "文件为空"
    assert error.reason == "empty"
    assert str(error) == "reports/a.txt: 文件为空"


def test_input_error_str_is_one_line_and_pickles() -> None:
    error = InputError("a\nb.txt", "无法读取：line one\nline two")
    assert str(error) == "a\\nb.txt: 无法读取：line one\\nline two"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.problem, copy.reason) == (error.path, error.problem, "io")


# --- decode_bytes -----------------------------------------------------------


def test_utf8_without_bom() -> None:
    assert decode_bytes(REPORT.encode("utf-8")) == (REPORT, "utf-8", False)


def test_utf8_with_bom() -> None:
    text, encoding, bom = decode_bytes(codecs.BOM_UTF8 + REPORT.encode("utf-8"))
    assert (text, encoding, bom) == (REPORT, "utf-8", True)
    assert "\ufeff" not in text


def test_utf8_with_doubled_bom() -> None:
    data = codecs.BOM_UTF8 * 2 + REPORT.encode("utf-8")
    assert decode_bytes(data) == (REPORT, "utf-8", True)


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(bom: bytes, encoding: str) -> None:
    assert decode_bytes(bom + REPORT.encode(encoding)) == (REPORT, encoding, True)


def test_gbk_bytes_decode_as_gb18030() -> None:
    data = REPORT.encode("gbk")
    assert data[:4] == b"\xb7\xa8\xd6\xce"  # 法治 in GBK
    assert decode_bytes(data) == (REPORT, "gb18030", False)


def test_gb18030_only_character() -> None:
    # U+2000B is outside GBK; GB18030 encodes it in four bytes.
    text = "𠀋字规范，" + REPORT
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030", False)


def test_gb18030_bom_is_recognised() -> None:
    data = "\ufeff".encode("gb18030") + REPORT.encode("gb18030")
    assert data[:4] == b"\x84\x31\x95\x33"
    assert decode_bytes(data) == (REPORT, "gb18030", True)


def test_charset_normalizer_last_resort() -> None:
    text = "Привет мир, это тестовый отчёт о работе правительства"
    assert decode_bytes(text.encode("cp1251")) == (text, "cp1251", False)


def test_newlines_are_left_to_document() -> None:
    assert decode_bytes(b"a\r\nb\rc") == ("a\r\nb\rc", "utf-8", False)


def test_form_feed_and_tab_are_text() -> None:
    assert decode_bytes(b"a\tb\x0cc\n") == ("a\tb\x0cc\n", "utf-8", False)


@pytest.mark.parametrize(
    "data",
    [
        PNG_HEADER,
        b"\x89PNG\r\n\x1a\n",  # the signature alone: no NUL, but control bytes
        b"abc\x00def",  # valid UTF-8, but NUL
        b"\x1b\x1b\x1b[31mred",  # valid UTF-8, many controls
        "报告".encode("gbk") + b"\x00\x01",  # not UTF-8, NUL
        codecs.BOM_UTF16_LE + b"\x01\x00\x02\x00\x03\x00",  # BOM, but control characters
    ],
)
def test_binary_input_is_rejected(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(data, path="x.txt")
    assert caught.value.problem == "不是文本文件（含二进制数据）"
    assert caught.value.reason == "binary"
    assert str(caught.value) == "x.txt: 不是文本文件（含二进制数据）"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        b" \r\n\t\n",
        "\u3000\u3000\n".encode(),
        "\u3000\n".encode("gbk"),  # not UTF-8: reaches the GB18030 step
    ],
)
def test_empty_input_is_rejected(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(data, path="empty.txt")
    assert str(caught.value) == "empty.txt: 文件为空"
    assert caught.value.reason == "empty"


def test_undecodable_bytes() -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(bytes(range(0x80, 0x100)) * 4, path="junk.txt")
    assert caught.value.problem == "无法识别文件编码"
    assert caught.value.reason == "encoding"


def test_bom_with_wrong_content() -> None:
    # An odd number of bytes after a UTF-16 BOM cannot be UTF-16.
    with pytest.raises(InputError) as caught:
        decode_bytes(codecs.BOM_UTF16_LE + b"a\x00b", path="odd.txt")
    assert caught.value.problem == "无法识别文件编码（有 UTF-16-LE 字节序标记，但内容不符）"
    assert caught.value.reason == "encoding"


# --- a few damaged bytes ------------------------------------------------------

LONG_REPORT = "某区司法局2024年度法治政府建设情况报告\r\n\r\n" + "全年开展培训3次，效果良好。" * 300 + "\r\n末行。\r\n"


def _damage(data: bytes, at: bytes, bad: bytes) -> bytes:
    index = data.index(at)
    return data[:index] + bad + data[index + len(bad) :]


def test_a_damaged_character_in_utf8_is_one_spot_at_its_line_and_column(tmp_path: Path) -> None:
    data = _damage(LONG_REPORT.encode("utf-8"), "效果".encode(), b"\xff")  # the first of 效's three bytes
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    doc = read_path(path)
    assert doc.encoding == "utf-8" and doc.newline == "\r\n"
    assert doc.undecodable == ((doc.offset(3, 10), b"\xff\x95\x88"),)
    assert doc.text[doc.offset(3, 10)] == "\ufffd" and doc.line_text(3).startswith("全年开展培训3次，\ufffd果良好。")


def test_damaged_gb18030_keeps_its_encoding() -> None:
    data = _damage(LONG_REPORT.encode("gb18030"), "效果".encode("gb18030"), b"\xff\xff")
    doc = read_bytes(data, "r.txt")
    assert doc.encoding == "gb18030"
    assert [raw for _, raw in doc.undecodable] == [b"\xff\xff"]


@pytest.mark.parametrize(
    ("spots", "readable"),
    [(8, True), (9, False)],  # at most 8 damaged spots
)
def test_more_than_eight_spots_refuse_the_file(spots: int, readable: bool) -> None:
    marked = (LONG_REPORT * 3).encode("utf-8")  # 38 KB: 8 spots of 3 bytes stay under 0.1 %
    positions = [m for m in range(len(marked)) if marked.startswith("效".encode(), m)][:spots]
    damaged = bytearray(marked)
    for position in positions:
        damaged[position] = 0xFE
    if readable:
        assert len(decode_report(bytes(damaged)).damage) == 8
    else:
        with pytest.raises(InputError) as caught:
            decode_report(bytes(damaged), path="r.txt")
        assert caught.value.problem == "无法识别文件编码"


def test_more_than_a_thousandth_of_the_bytes_refuses_the_file() -> None:
    short = ("全年开展培训3次，效果良好。" * 20).encode("utf-8")  # 840 bytes: under one byte allowed
    with pytest.raises(InputError):
        decode_report(_damage(short, "效果".encode(), b"\xff"))


def test_decode_bytes_stays_exact() -> None:
    """The fixer re-reads a file with decode_bytes: damage is an error there, never U+FFFD."""
    data = _damage(LONG_REPORT.encode("utf-8"), "效果".encode(), b"\xff")
    with pytest.raises(InputError) as caught:
        decode_bytes(data, path="r.txt")
    assert caught.value.problem == "无法识别文件编码（有 1 处字节无法解码）"


# --- read_path --------------------------------------------------------------


def test_read_utf8_file(tmp_path: Path) -> None:
    path = write(tmp_path, "r.txt", (REPORT + "\n").encode())
    doc = read_path(path)
    assert doc.path == str(path)
    assert doc.text == REPORT + "\n"
    assert (doc.encoding, doc.bom, doc.newline) == ("utf-8", False, "\n")


def test_read_accepts_str_path(tmp_path: Path) -> None:
    path = write(tmp_path, "r.txt", REPORT.encode())
    assert read_path(str(path)).path == str(path)


def test_read_utf8_bom_file(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "r.txt", codecs.BOM_UTF8 + REPORT.encode()))
    assert doc.text == REPORT
    assert (doc.encoding, doc.bom) == ("utf-8", True)


def test_read_utf16_file(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "第一行\r\n第二行".encode("utf-16-le")
    doc = read_path(write(tmp_path, "r.txt", data))
    assert doc.text == "第一行\n第二行"
    assert (doc.encoding, doc.bom, doc.newline) == ("utf-16-le", True, "\r\n")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_numbers_match_file(tmp_path: Path, newline: str) -> None:
    original = newline.join(["第一行", "", "第三行 目标词 结尾", "第四行"]) + newline
    doc = read_path(write(tmp_path, "r.txt", original.encode("gbk")))
    assert doc.newline == newline
    assert doc.encoding == "gb18030"
    assert doc.text == "第一行\n\n第三行 目标词 结尾\n第四行\n"
    offset = doc.text.index("目标词")
    position = doc.position(offset)
    assert (position.line, position.column) == (3, 5)
    # Same line number as in the original file, counted with its own newline.
    assert original.split(newline)[2] == doc.line_text(3)
    assert doc.line_count == 5


def test_read_binary_file_names_path(tmp_path: Path) -> None:
    path = write(tmp_path, "image.txt", PNG_HEADER)
    with pytest.raises(InputError) as caught:
        read_path(path)
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path}: 不是文本文件（含二进制数据）"


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8])
def test_read_empty_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(InputError) as caught:
        read_path(path)
    assert str(caught.value) == f"{path}: 文件为空"


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"a" * 1001)
    with pytest.raises(InputError) as caught:
        read_path(path, max_bytes=1000)
    assert caught.value.problem == "文件过大（超过 1000 字节）"
    assert caught.value.reason == "too-large"
    assert read_path(path, max_bytes=1001).text == "a" * 1001


def test_size_limit_in_megabytes(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(InputError) as caught:
        read_path(path, max_bytes=1024 * 1024)
    assert caught.value.problem == "文件过大（超过 1 MB）"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as caught:
        read_path(path)
    assert str(caught.value) == f"{path}: 文件不存在"
    assert caught.value.reason == "not-found"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_path(tmp_path)
    assert str(caught.value) == f"{tmp_path}: 是目录"
    assert caught.value.reason == "directory"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", b"x")
    path.chmod(0)
    try:
        with pytest.raises(InputError) as caught:
            read_path(path)
    finally:
        path.chmod(0o644)
    assert caught.value.problem == "无法读取：权限不足"


@pytest.mark.parametrize(
    ("error", "problem", "reason"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "无法读取：权限不足", "permission"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory"), "文件不存在", "not-found"),
        (OSError(errno.EIO, "Input/output error"), "无法读取：Input/output error", "io"),
        (OSError(errno.ELOOP, "Too many levels"), "无法读取：符号链接循环", "io"),
    ],
)
def test_os_errors_are_mapped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, error: OSError, problem: str, reason: str
) -> None:
    # Simulated, because tests may run as root, where chmod 0 does not stop reads.
    def failing_open(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(reading, "open", failing_open, raising=False)
    path = tmp_path / "f.txt"
    with pytest.raises(InputError) as caught:
        read_path(path)
    assert str(caught.value) == f"{path}: {problem}"
    assert caught.value.reason == reason


# --- read_stdin -------------------------------------------------------------


def test_read_stdin_bytes_stream() -> None:
    doc = read_stdin(io.BytesIO(REPORT.replace("\n", "\r\n").encode("gbk")))
    assert doc.path == "<stdin>"
    assert doc.text == REPORT
    assert (doc.encoding, doc.newline) == ("gb18030", "\r\n")


def test_read_stdin_default_uses_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(codecs.BOM_UTF8 + REPORT.encode()), encoding="ascii")
    monkeypatch.setattr(sys, "stdin", fake)
    doc = read_stdin()
    assert (doc.path, doc.text, doc.encoding, doc.bom) == ("<stdin>", REPORT, "utf-8", True)


def test_read_path_dash_is_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(REPORT.encode("gbk")), encoding="ascii")
    monkeypatch.setattr(sys, "stdin", fake)
    doc = read_path("-")
    assert (doc.path, doc.text, doc.encoding) == ("<stdin>", REPORT, "gb18030")


def test_read_stdin_text_stream() -> None:
    doc = read_stdin(io.StringIO("甲\r\n乙"))
    assert (doc.path, doc.text, doc.newline, doc.encoding) == ("<stdin>", "甲\n乙", "\r\n", "utf-8")


def test_read_stdin_errors_name_stdin() -> None:
    with pytest.raises(InputError) as caught:
        read_stdin(io.BytesIO(b""))
    assert str(caught.value) == "<stdin>: 文件为空"
    with pytest.raises(InputError) as caught:
        read_stdin(io.BytesIO(b"abcdef"), max_bytes=5)
    assert str(caught.value) == "<stdin>: 文件过大（超过 5 字节）"


# --- iter_report_files ------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    for name in [
        "b.txt",
        "a.MD",
        "c.docx",
        "README",
        ".hidden.txt",
        ".git/config.txt",
        ".venv/lib/x.md",
        "sub/z.txt",
        "sub/notes.pdf",
        "sub/deeper/y.md",
        "a_sub/q.Txt",
    ]:
        write(root, name, b"x")
    return root


def test_directory_expansion_order_and_filter(tree: Path) -> None:
    result = list(iter_report_files([str(tree)]))
    assert result == [
        str(tree / "a.MD"),
        str(tree / "b.txt"),
        str(tree / "c.docx"),
        str(tree / "a_sub" / "q.Txt"),
        str(tree / "sub" / "notes.pdf"),
        str(tree / "sub" / "z.txt"),
        str(tree / "sub" / "deeper" / "y.md"),
    ]


def test_custom_extensions(tree: Path) -> None:
    result = list(iter_report_files([str(tree)], extensions=("pdf", ".DOCX")))
    assert result == [str(tree / "c.docx"), str(tree / "sub" / "notes.pdf")]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_directory_symlinks_are_not_followed(tree: Path) -> None:
    (tree / "sub" / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "sub" / "link.txt").symlink_to(tree / "b.txt")
    result = list(iter_report_files([str(tree / "sub")]))
    assert result == [
        str(tree / "sub" / "link.txt"),
        str(tree / "sub" / "notes.pdf"),
        str(tree / "sub" / "z.txt"),
        str(tree / "sub" / "deeper" / "y.md"),
    ]


def test_explicit_paths_missing_and_stdin(tree: Path) -> None:
    missing = str(tree / "missing.txt")
    result = list(iter_report_files([str(tree / "c.docx"), missing, "-", str(tree / "README")]))
    assert result[0] == str(tree / "c.docx")
    assert isinstance(result[1], InputError)
    assert str(result[1]) == f"{missing}: 文件不存在"
    assert result[2:] == ["-", str(tree / "README")]


def test_each_file_yielded_once(tree: Path) -> None:
    sub = str(tree / "sub")
    result = list(iter_report_files([str(tree / "sub" / "z.txt"), sub, sub + os.sep]))
    assert result == [str(tree / "sub" / "z.txt"), str(tree / "sub" / "notes.pdf"), str(tree / "sub" / "deeper" / "y.md")]


def test_empty_directory_yields_nothing(tmp_path: Path) -> None:
    assert list(iter_report_files([str(tmp_path)])) == []


# --- encode_text ------------------------------------------------------------


def test_round_trip_gbk_crlf(tmp_path: Path) -> None:
    original = (REPORT.replace("\n", "\r\n") + "\r\n").encode("gbk")
    doc = read_path(write(tmp_path, "r.txt", original))
    assert (doc.encoding, doc.bom, doc.newline) == ("gb18030", False, "\r\n")
    assert encode_text(doc.text, doc.encoding, doc.bom, doc.newline) == original


def test_round_trip_utf8_bom(tmp_path: Path) -> None:
    original = codecs.BOM_UTF8 + (REPORT + "\n").encode()
    doc = read_path(write(tmp_path, "r.txt", original))
    assert encode_text(doc.text, doc.encoding, doc.bom, doc.newline) == original


@pytest.mark.parametrize(
    "original",
    [
        codecs.BOM_UTF16_BE + "甲\r乙\r".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "甲\n乙".encode("utf-32-le"),
        "\ufeff甲\r\n乙".encode("gb18030"),
    ],
)
def test_round_trip_other_encodings(original: bytes) -> None:
    text, encoding, bom = decode_bytes(original)
    doc = Document.from_text(text, encoding=encoding, bom=bom)
    assert encode_text(doc.text, doc.encoding, doc.bom, doc.newline) == original


def test_encode_text_changes_newlines_and_adds_bom() -> None:
    assert encode_text("甲\n乙", "utf-8", True, "\r\n") == codecs.BOM_UTF8 + "甲\r\n乙".encode()
    assert encode_text("a\nb", "utf-16-le", True, "\r") == codecs.BOM_UTF16_LE + "a\rb".encode("utf-16-le")


def test_encode_text_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        encode_text("a", "gbk", True, "\n")
    with pytest.raises(ValueError):
        encode_text("a", "utf-8", False, "\n\n")
    with pytest.raises(ValueError):
        encode_text("a", "utf-8-sig", False, "\n")
    with pytest.raises(UnicodeEncodeError):
        encode_text("𠀋", "gbk", False, "\n")


# --- formats: Word, PDF, old office files ---------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_dangling_and_looping_links_in_a_walk_are_errors(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    result = [str(item) for item in iter_report_files([str(tmp_path)])]
    assert result == [f"{tmp_path / 'gone.txt'}: 文件不存在", f"{tmp_path / 'loop.md'}: 无法读取：符号链接循环"]


def test_walk_reports_old_word_files_and_skips_lock_files(tmp_path: Path) -> None:
    for name in ["a.doc", "b.WPS", "c.odt", "d.rtf", "e.xls", "f.png", "~$g.docx", "h.docx", "i.dotx"]:
        write(tmp_path, name, b"x")
    result = list(iter_report_files([str(tmp_path)]))
    assert [str(item) for item in result] == [
        f"{tmp_path / 'a.doc'}: 不支持旧版 Word 格式（.doc），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查",
        f"{tmp_path / 'b.WPS'}: 不支持WPS 文字格式（.wps），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查",
        f"{tmp_path / 'c.odt'}: 不支持OpenDocument 文本格式（.odt），请另存为 .docx 或 .txt 后再检查",
        f"{tmp_path / 'd.rtf'}: 不支持RTF 格式（.rtf），请另存为 .docx 或 .txt 后再检查",
        str(tmp_path / "h.docx"),
    ]
    assert [item.reason for item in result if isinstance(item, InputError)] == ["unsupported"] * 4
    assert list(iter_report_files([str(tmp_path)], report_unsupported=False)) == [str(tmp_path / "h.docx")]


def test_unsupported_problem() -> None:
    assert reading.unsupported_problem("x.txt") is None
    assert reading.unsupported_problem("x.docx") is None
    assert reading.unsupported_problem("报告.DOC") == "不支持旧版 Word 格式（.doc），请在 Word 或 WPS 中另存为 .docx 或 .txt 后再检查"
    assert reading.unsupported_problem("x.et") == "是表格文件（.et），不是报告正文：请把报告另存为 .docx 或 .txt 后再检查"


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("a.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), reading.PROBLEM_OLE),
        ("a.md", b"{\\rtf1 report}", reading.PROBLEM_RTF),
        ("a.docm", b"PK\x03\x04", "不支持含宏的 Word 文档（.docm），请另存为 .docx 或 .txt 后再检查"),
        ("a.docx", b"", plain.PROBLEM_EMPTY),
        ("a.pdf", b"", plain.PROBLEM_EMPTY),
    ],
)
def test_read_bytes_refuses_by_content_and_name(name: str, data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        reading.read_bytes(data, name)
    assert caught.value.problem == problem


def test_text_listing_of_a_text_file() -> None:
    doc = Document.from_text("标题\r\n\r\n正文。\r\n")
    assert reading.text_listing(doc) == "1  标题\n2  \n3  正文。\n"
    assert reading.text_listing(Document.from_text("a\nb")) == "1  a\n2  b\n"


def test_text_files_do_not_import_word_or_pdf_libraries(tmp_path: Path) -> None:
    """The default .txt path stays fast: python-docx, lxml and pdfminer are not imported."""
    import subprocess

    report = write(tmp_path, "r.txt", "某局2024年法治政府建设情况报告\n\n全年培训10次,覆盖全员。\n".encode())
    script = (
        "import sys\n"
        "from reportlint.frontends.cli import main\n"
        f"code = main(['check', '--jobs', '1', {str(report)!r}])\n"
        "heavy = sorted(m for m in ('docx', 'lxml', 'pdfminer') if m in sys.modules)\n"
        "print('HEAVY', heavy, code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.stdout.splitlines()[-1] == "HEAVY [] 1", done.stderr

