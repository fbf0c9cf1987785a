"""``--fix``, ``--unsafe-fixes`` and ``--diff``: what gets written, in which
encoding and line endings, and that a second run changes nothing."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPORTS
from reportlint.app import fixes, runner
from reportlint.app.fixes import FixWriteError, applicable_fixes, apply_edits, fix_until_stable, write_fixed
from reportlint.core.diagnostics import Diagnostic, Edit, Fix, Severity
from reportlint.core.document import Document
from reportlint.frontends.cli import main
from reportlint.support import atomicfile

TITLE = "某区司法局2024年度法治政府建设情况报告\n\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def diagnostics_json(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict]:
    _, out, _ = run(capsys, "check", str(path), "--format", "json")
    return json.loads(out)["files"][0]["diagnostics"]


# (encoding written, BOM bytes, newline): UTF-8 as the samples are, GBK with CRLF
# as Notepad on Chinese Windows saves, and UTF-8 with a BOM and CRLF as WPS does.
VARIANTS = [("utf-8", b"", "\n"), ("gbk", b"", "\r\n"), ("utf-8", b"\xef\xbb\xbf", "\r\n")]


@pytest.mark.parametrize("sample", REPORTS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding,bom,newline", VARIANTS, ids=["utf8-lf", "gbk-crlf", "utf8bom-crlf"])
def test_fix_is_idempotent_and_keeps_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sample: Path, encoding: str, bom: bytes, newline: str
) -> None:
    text = sample.read_text(encoding="utf-8")
    report = tmp_path / sample.name
    report.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    before = diagnostics_json(capsys, report)
    safe_fixable = [d for d in before if d["fix"] and d["fix"]["safe"]]
    assert safe_fixable, "every sample has safe fixes"

    code, out, _ = run(capsys, "check", "--fix", str(report))
    assert "已自动修正" in out.splitlines()[-2] or "已自动修正" in out
    data = report.read_bytes()
    assert data.startswith(bom) and (not bom or not data[len(bom) :].startswith(bom))
    fixed = data[len(bom) :].decode(encoding)
    assert fixed != text.replace("\n", newline)
    # Every line break is still the file's own.
    assert fixed.count(newline) == fixed.count("\n") if newline == "\r\n" else "\r" not in fixed
    # Nothing safely fixable is left, and the codes that were fixed did not come back elsewhere.
    after = diagnostics_json(capsys, report)
    assert not [d for d in after if d["fix"] and d["fix"]["safe"]]
    assert len(after) < len(before)

    # A second run changes nothing, and --diff agrees.
    assert run(capsys, "check", "--fix", str(report))[0] == code
    assert report.read_bytes() == data
    diff_code, diff_out, diff_err = run(capsys, "check", "--diff", str(report))
    assert (diff_code, diff_out) == (0, "")
    assert "没有可自动修正的问题" in diff_err


def test_fix_rewrites_exactly_the_fixed_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条，依据《行政处罚法》（2021年修订）处理。\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--fix", "--select", "FZ503,FZ401", str(report))
    # FZ503 (space between Chinese and digits) is safe; FZ401 (law short title) needs --unsafe-fixes.
    assert report.read_text(encoding="utf-8") == TITLE + "全年共5条，依据《行政处罚法》（2021年修订）处理。\n"
    assert code == 1
    assert out.splitlines()[0].startswith(f"{report}:3:9: FZ401 [警告]")  # no [*]: --fix leaves it
    assert out.splitlines()[-2] == "发现 1 个问题（警告 1），检查 1 个文件；已自动修正 2 个问题，写回 1 个文件"
    assert out.splitlines()[-1] == "另有 1 个修正需人工确认，加 --unsafe-fixes 可一并应用。"

    # --unsafe-fixes alone writes nothing (as Ruff): it marks the fix applicable and says so.
    fixed_safe = report.read_bytes()
    code, out, err = run(capsys, "check", "--unsafe-fixes", "--select", "FZ503,FZ401", str(report))
    assert code == 1 and report.read_bytes() == fixed_safe
    assert out.splitlines()[0].startswith(f"{report}:3:9: FZ401 [*] [警告]")
    assert out.splitlines()[-1] == "标有 [*] 的 1 个问题可用 --fix 自动修正。"
    assert err == "reportlint: --unsafe-fixes 只扩大 --fix 和 --diff 应用的修正范围，单独使用不修改文件；要写回请同时加 --fix\n"

    code, out, _ = run(capsys, "check", "--fix", "--unsafe-fixes", "--select", "FZ503,FZ401", str(report))
    assert code == 0
    assert report.read_text(encoding="utf-8") == (
        TITLE + "全年共5条，依据《中华人民共和国行政处罚法》（2021年修订）处理。\n"
    )


def test_unsafe_fix_joins_broken_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    body = "贯彻落实党政主要负责人推进法治建设第一责任人职责，每年将法治建设纳入本单位年度工作计划，做到与本单位工作"
    broken = TITLE + "一、主要举措和成效\n\n" + body + "职\n\n责绩效目标同部署、同推进。\n"
    report.write_bytes(broken.replace("\n", "\r\n").encode("utf-8"))
    assert run(capsys, "check", "--fix", "--select", "FZ111", str(report))[0] == 1
    assert report.read_bytes() == broken.replace("\n", "\r\n").encode("utf-8"), "unsafe fix needs the flag"
    assert run(capsys, "check", "--unsafe-fixes", "--select", "FZ111", str(report))[0] == 1
    assert report.read_bytes() == broken.replace("\n", "\r\n").encode("utf-8"), "--unsafe-fixes alone writes nothing"
    assert run(capsys, "check", "--fix", "--unsafe-fixes", "--select", "FZ111", str(report))[0] == 0
    assert report.read_bytes().decode("utf-8") == (
        TITLE + "一、主要举措和成效\n\n" + body + "职责绩效目标同部署、同推进。\n"
    ).replace("\n", "\r\n")


def test_mixed_line_endings_are_kept_line_by_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    raw = "某区司法局2024年度法治政府建设情况报告\r\n\n全年共 5 条。\r\n其余不变。\n末行\r\n"
    report.write_bytes(raw.encode("utf-8"))
    assert run(capsys, "check", "--fix", "--select", "FZ503", str(report))[0] == 0
    assert report.read_bytes().decode("utf-8") == raw.replace("共 5 条", "共5条")


def test_diff_prints_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "--diff", "--select", "FZ503", str(report))
    assert code == 1
    assert out.splitlines() == [
        f"--- a/{report}",
        f"+++ b/{report}",
        "@@ -1,3 +1,3 @@",
        " 某区司法局2024年度法治政府建设情况报告",
        " ",
        "-全年共 5 条。",
        "+全年共5条。",
    ]
    assert err.strip() == "可自动修正 2 个问题（1 个文件）"
    assert report.read_text(encoding="utf-8") == TITLE + "全年共 5 条。\n"


def test_fix_keeps_permissions_and_leaves_no_temporary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    os.chmod(report, 0o640)
    run(capsys, "check", "--fix", "--select", "FZ503", str(report))
    assert report.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_fix_from_stdin_prints_the_fixed_text(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO((TITLE + "全年共 5 条。\n").encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "check", "--fix", "--select", "FZ503", "-")
    assert (code, out) == (0, TITLE + "全年共5条。\n")


def test_file_changed_during_the_check_is_not_overwritten(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    doc = Document.from_text(report.read_text(encoding="utf-8"), path=str(report))
    fix = Fix("删除空格", (Edit(len(TITLE) + 3, len(TITLE) + 4, ""),))
    diag = Diagnostic("FZ503", "x", "typography", Severity.WARNING, "m", len(TITLE) + 3, len(TITLE) + 4, fix=fix)
    result = fix_until_stable(doc, [diag], lambda d: [])
    report.write_text(TITLE + "另一个人改过了。\n", encoding="utf-8")
    with pytest.raises(FixWriteError, match="检查期间文件已被修改"):
        write_fixed(str(report), doc, result)
    assert report.read_text(encoding="utf-8") == TITLE + "另一个人改过了。\n"


def _diag(start: int, end: int, new_text: str, safe: bool = True) -> Diagnostic:
    fix = Fix("t", (Edit(start, end, new_text),), safe=safe)
    return Diagnostic("X1", "x", "c", Severity.WARNING, "m", start, end, fix=fix)


def test_overlapping_fixes_never_corrupt_text() -> None:
    text = "0123456789"
    diags = [_diag(2, 5, "abc"), _diag(4, 6, "XY"), _diag(5, 5, "+"), _diag(8, 9, ""), _diag(1, 2, "", safe=False)]
    chosen = applicable_fixes(diags)
    # (4, 6) overlaps (2, 5); the insertion at 5 touches only the end of (2, 5) and is kept.
    assert [(f.edits[0].start, f.edits[0].end) for f in chosen] == [(2, 5), (5, 5), (8, 9)]
    assert apply_edits(text, [e for f in chosen for e in f.edits]) == "01abc+5679"
    assert len(applicable_fixes(diags, unsafe=True)) == 4


def test_skipped_overlapping_fix_is_applied_in_a_later_pass() -> None:
    doc = Document.from_text("aaaa", path="t.txt")

    def lint(d: Document) -> list[Diagnostic]:
        # Two overlapping fixes per pass while "aa" remains: one replaces it, the other waits.
        found = [i for i in range(len(d.text) - 1) if d.text[i : i + 2] == "aa"]
        return [_diag(i, i + 2, "b") for i in found]

    result = fix_until_stable(doc, lint(doc), lint)
    assert result.document.text == "bb"
    assert result.fixed == 2 and len(result.edits) == 1
    assert result.diagnostics == []


def test_reports_directory_fix_in_parallel_matches_serial(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    for folder in (serial, parallel):
        folder.mkdir()
        for i in range(3):
            for sample in REPORTS:
                shutil.copy(sample, folder / f"{i}_{sample.name}")
    out_serial = run(capsys, "check", "--fix", "-j", "1", str(serial))[1]
    out_parallel = run(capsys, "check", "--fix", "-j", "2", str(parallel))[1]
    assert out_parallel == out_serial.replace(str(serial), str(parallel))
    for path in serial.iterdir():
        assert (parallel / path.name).read_bytes() == path.read_bytes()


def test_fix_refuses_a_file_with_undecodable_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Writing it back would put U+FFFD where the damaged bytes were: the file is left as is,
    its findings (RL004 at the spot, with the bytes in hex) are still reported."""
    text = TITLE + "全年开展培训3次，效果良好。" * 300 + "\n全年共 5 条。\n"
    data = text.encode("utf-8")
    index = data.index("效果".encode())
    data = data[:index] + b"\xff" + data[index + 1 :]
    report = tmp_path / "r.txt"
    report.write_bytes(data)
    code, out, err = run(capsys, "check", "--fix", "--select", "FZ503", str(report))
    assert code == 2 and report.read_bytes() == data
    assert out.splitlines()[0] == (
        f"{report}:3:10: RL004 [警告] 此处有无法解码的字节 FF 95 88（文件按 UTF-8 读取），"
        "已用 � 代替，其余文字照常检查；请对照原稿重新输入这里的文字。"
    )
    assert out.splitlines()[1].startswith(f"{report}:4:4: FZ503 [*] [警告]")
    assert err == (
        f"reportlint: {report}: 有 1 处字节无法解码（RL004），为免丢失原始字节，不自动修正；请先对照原稿改正这几处\n"
    )


# --- the file under --fix: changed meanwhile, not ours to replace, or not writable ------------

CHANGED = "检查期间文件已被修改，未写入修正，请重新运行"
BODY = TITLE + "全年共 5 条。\n"
FIXED_BODY = TITLE + "全年共5条。\n"


def during_the_check(monkeypatch: pytest.MonkeyPatch, action: Callable[[Path], None]) -> None:
    """Run ``action`` on each file after it was read and linted, before its fixes are written."""
    real = runner.fix_until_stable

    def fix_until_stable(document: Document, *args: object, **kwargs: object) -> fixes.FixResult:
        action(Path(document.path))
        return real(document, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "fix_until_stable", fix_until_stable)


APPENDED = "另一程序追加的第一行。\n另一程序追加的第二行。\n".encode()


def _append(target: Path) -> None:
    with open(target, "ab") as out:
        out.write(APPENDED)


@pytest.mark.parametrize("moment", ["before-last-comparison", "between-last-comparison-and-rename"])
def test_a_write_racing_the_fix_is_detected_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """Another program appends to the file while --fix writes it back: the fix is not
    written, and not one of the other program's bytes is lost.  Between the last comparison
    and the rename (the hook) the append lands in the old file; it is found there after the
    rename and put back."""
    report = tmp_path / "r.txt"
    report.write_text(BODY, encoding="utf-8")
    if moment == "between-last-comparison-and-rename":
        monkeypatch.setattr(fixes, "before_rename", _append)
    else:  # while the temporary file is being prepared
        real_payload = fixes._payload

        def payload(*args: object) -> bytes:
            _append(report)
            return real_payload(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(fixes, "_payload", payload)
    code, out, err = run(capsys, "check", "--fix", "--select", "FZ503", str(report))
    assert report.read_bytes() == BODY.encode() + APPENDED
    assert (code, err) == (2, f"reportlint: {report}: {CHANGED}\n")
    assert "已自动修正" not in out and out.splitlines()[-2].endswith("；1 个文件无法写回，修正没有保存")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_a_resave_in_another_encoding_during_the_check_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same text saved again in GBK while it is checked: bytes are compared, not text,
    so the file is not turned back into UTF-8."""
    report = tmp_path / "r.txt"
    report.write_text(BODY, encoding="utf-8")
    during_the_check(monkeypatch, lambda path: path.write_bytes(BODY.encode("gbk")))
    code, _, err = run(capsys, "check", "--fix", "--select", "FZ503", str(report))
    assert (code, err) == (2, f"reportlint: {report}: {CHANGED}\n")
    assert report.read_bytes() == BODY.encode("gbk")


@pytest.mark.parametrize("new_bytes", [b"", b"\x00\x01\x02\x03" * 64], ids=["emptied", "made-binary"])
def test_a_file_emptied_or_made_binary_during_the_check_is_reported_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, new_bytes: bytes
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (first, second):
        path.write_text(BODY, encoding="utf-8")
    during_the_check(monkeypatch, lambda path: path.write_bytes(new_bytes) if path.name == "a.txt" else None)
    code, _, err = run(capsys, "check", "--fix", "--select", "FZ503", str(tmp_path))
    assert (code, err) == (2, f"reportlint: {first}: {CHANGED}\n")
    assert first.read_bytes() == new_bytes
    assert second.read_text(encoding="utf-8") == FIXED_BODY


def _hard_link(path: Path) -> str:
    os.link(path, path.with_name("link.txt"))
    return "有 2 个硬链接，改写后其他链接仍是旧内容，不自动修正；请在原文件中手工修改"


def _other_owner(path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    if not hasattr(os, "geteuid"):
        pytest.skip("no file owners here")
    if os.geteuid() == 0:
        os.chown(path, 4242, -1)
    else:  # (then every file is another user's: only the refused one is asked about)
        owner = path.stat().st_uid
        monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    return "属于其他用户，改写会把文件所有者变成当前用户，不自动修正；请由文件所有者运行 --fix"


def _read_only(path: Path) -> str:
    os.chmod(path, 0o444)
    return "是只读文件，不自动修正；如需修正，请先取消只读"


@pytest.mark.parametrize("kind", ["hard-link", "other-owner", "read-only"])
def test_fix_refuses_a_file_it_cannot_replace_faithfully(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The rename gives the file a new inode: another hard link would keep the old text, the
    owner would become whoever ran --fix, a read-only flag would be ignored.  Such a file is
    left alone with one line saying why; the other files are fixed."""
    folder = tmp_path / "in"
    folder.mkdir()
    refused, other = folder / "a.txt", tmp_path / "b.txt"
    for path in (refused, other):
        path.write_text(BODY, encoding="utf-8")
    if kind == "hard-link":
        problem = _hard_link(refused)
    elif kind == "other-owner":
        problem = _other_owner(refused, monkeypatch)
    else:
        problem = _read_only(refused)
    files = [refused] if kind == "other-owner" and os.geteuid() != 0 else [refused, other]
    code, out, err = run(capsys, "check", "--fix", "--select", "FZ503", *map(str, files))
    assert (code, err) == (2, f"reportlint: {refused}: {problem}\n")
    assert refused.read_text(encoding="utf-8") == BODY
    if len(files) == 1:
        return
    assert other.read_text(encoding="utf-8") == FIXED_BODY
    assert out.splitlines()[-2].endswith("已自动修正 2 个问题，写回 1 个文件；1 个文件无法写回，修正没有保存")
    assert sorted(p.name for p in folder.iterdir()) == sorted(["a.txt"] + (["link.txt"] if kind == "hard-link" else []))


def test_fix_keeps_extended_attributes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(BODY, encoding="utf-8")
    try:
        os.setxattr(report, "user.reportlint.test", "已审核".encode())
    except (AttributeError, OSError):
        pytest.skip("no user extended attributes here")
    assert run(capsys, "check", "--fix", "--select", "FZ503", str(report))[0] == 0
    assert report.read_text(encoding="utf-8") == FIXED_BODY
    assert os.getxattr(report, "user.reportlint.test") == "已审核".encode()


def test_fix_through_a_symlink_rewrites_the_target_and_keeps_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real" / "r.txt"
    target.parent.mkdir()
    target.write_text(BODY, encoding="utf-8")
    link = tmp_path / "link.txt"
    try:
        link.symlink_to(target)
    except OSError:
        pytest.skip("no symlinks here")
    assert run(capsys, "check", "--fix", "--select", "FZ503", str(link))[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == FIXED_BODY
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.txt"]


class _FullDisk:
    """``os`` as reportlint.support.atomicfile sees it, on a disk that is full for the first file
    written (its temporary file can be created, but not written to)."""

    def __init__(self) -> None:
        self.files = 0

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    def fdopen(self, fd: int, *args: object, **kwargs: object) -> object:
        handle = os.fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]
        self.files += 1
        return _FullFile(handle) if self.files == 1 else handle


class _FullFile:
    def __init__(self, handle: io.BufferedWriter) -> None:
        self.handle = handle

    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_failed_write_is_reported_and_not_counted_as_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full while writing a.txt: it is left as it was, no temporary file remains, the
    summary counts only what was written, and the error is one line of Chinese."""
    full, fine = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (full, fine):
        path.write_text(BODY, encoding="utf-8")
    monkeypatch.setattr(atomicfile, "os", _FullDisk())
    code, out, err = run(capsys, "check", "--fix", "--select", "FZ503", str(full))
    assert (code, err) == (2, f"reportlint: {full}: 无法写回修正：磁盘空间已满；文件未改动\n")
    assert out.splitlines()[-2] == "发现 2 个问题（警告 2），检查 1 个文件；1 个文件无法写回，修正没有保存"
    assert full.read_text(encoding="utf-8") == BODY
    monkeypatch.setattr(atomicfile, "os", _FullDisk())
    code, out, _ = run(capsys, "check", "--fix", "--select", "FZ503", str(full), str(fine))
    assert code == 2 and fine.read_text(encoding="utf-8") == FIXED_BODY
    assert out.splitlines()[-2] == (
        "发现 2 个问题（警告 2），检查 2 个文件；已自动修正 2 个问题，写回 1 个文件；1 个文件无法写回，修正没有保存"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_a_stray_bom_after_leading_blank_lines_does_not_become_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bom: bytes
) -> None:
    """Removing the blank lines brings a stray U+FEFF to the start, where it would be read as
    a byte order mark (a file without one would gain one): it is dropped, as reading drops it."""
    report = tmp_path / "r.txt"
    report.write_bytes(bom + ("\n\n\ufeff" + BODY).encode())
    assert run(capsys, "check", "--fix", "--select", "FZ112,FZ503", str(report))[0] == 0
    assert report.read_bytes() == bom + FIXED_BODY.encode()


def test_fix_never_empties_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of nothing but markup: removing it all would leave no text (and the next run
    would call the file empty), so nothing is written."""
    report = tmp_path / "r.txt"
    report.write_bytes(b"**<b>**\n")
    problem = "修正后文件将不剩任何文字（原文只有排版标记或空白），为免丢失内容，未写入修正；请在原文件中手工修改"
    code, _, err = run(capsys, "check", "--fix", "--pack", "fazhi", str(report))
    assert (code, err) == (2, f"reportlint: {report}: {problem}\n")
    assert report.read_bytes() == b"**<b>**\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"**<b>**\n"), encoding="utf-8"))
    code, out, err = run(capsys, "check", "--fix", "--pack", "fazhi", "-")
    assert (code, out, err) == (2, "", f"reportlint: <stdin>: {problem}\n")


def test_no_fix_moves_a_line_out_of_a_suppression_comments_reach() -> None:
    """Joining the line a ``disable-next-line`` comment silences onto the comment's own line
    would silence the line after it instead: in Markdown such a fix is not applied."""
    text = "甲\n<!-- reportlint-disable-next-line -->\n\n乙\n"
    after_comment = text.index("-->") + 3
    join = _diag(after_comment, text.index("乙"), "", safe=False)
    join = Diagnostic(join.code, join.name, join.category, join.severity, join.message, join.start, join.end, fix=join.fix, path="r.md")
    assert applicable_fixes([join], unsafe=True) == [join.fix]  # (without the text: not known)
    assert applicable_fixes([join], unsafe=True, text=text) == []
    plain = Diagnostic(join.code, join.name, join.category, join.severity, join.message, join.start, join.end, fix=join.fix, path="r.txt")
    assert applicable_fixes([plain], unsafe=True, text=text) == [plain.fix]  # a comment means nothing in .txt
