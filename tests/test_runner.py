"""``--jobs``: parallel output is byte-identical to a serial run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPORTS
from reportlint.runner import MIN_FILES_PER_WORKER, RunOptions, lint_paths


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
