"""``--jobs``: parallel output is byte-identical to a serial run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPORTS
from reportlint.app.runner import MIN_FILES_PER_WORKER, lint_paths
from reportlint.app.session import RunOptions


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for i in range(40):
        sample = REPORTS[i % len(REPORTS)]
        folder = root / f"unit{i % 7}"
        folder.mkdir(exist_ok=True)
        shutil.copy(sample, folder / f"{i:03d}_{sample.name}")
    (root / "unit3" / "015_empty.txt").write_bytes(b"")
    return root


def check(corpus: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reportlint", "check", str(corpus), *args], capture_output=True, check=False
    )


@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_jobs_output_is_byte_identical_to_serial(corpus: Path, output_format: str) -> None:
    serial = check(corpus, "--jobs", "1", "--format", output_format)
    parallel = check(corpus, "--jobs", "2", "--format", output_format)
    assert serial.returncode == parallel.returncode == 2  # findings, and one unreadable file
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr == f"reportlint: {corpus / 'unit3' / '015_empty.txt'}: 文件为空\n".encode()


def test_parallel_outcomes_keep_the_walk_order(corpus: Path) -> None:
    outcomes = list(lint_paths([str(corpus)], RunOptions(), jobs=2))
    assert len(outcomes) == 41 > 2 * MIN_FILES_PER_WORKER
    assert [o.path for o in outcomes] == sorted(o.path for o in outcomes)
    assert sum(len(o.result.diagnostics) for o in outcomes if o.result) == 124 * 8


def test_check_duplicates_reports_the_passage_000_and_003_share(capsys: pytest.CaptureFixture[str]) -> None:
    from reportlint.frontends.cli import main

    code = main(["check", "--duplicates", "--select", "FZ101", *map(str, REPORTS)])
    out = capsys.readouterr().out
    found = [line for line in out.splitlines() if " RL101 " in line]
    assert code == 1
    assert found == [
        f"{REPORTS[0]}:45:13: RL101 [提示] 该段与 {REPORTS[3]} 第 52 行的段落高度相似（相似度 0.82），可能是照搬其他单位或往年的报告",
        f"{REPORTS[3]}:52:4: RL101 [提示] 该段与 {REPORTS[0]} 第 45 行的段落高度相似（相似度 0.82），可能是照搬其他单位或往年的报告",
    ]
    main(["check", "--duplicates", "--select", "FZ101", "--ignore", "RL101", *map(str, REPORTS)])
    assert " RL101 " not in capsys.readouterr().out
