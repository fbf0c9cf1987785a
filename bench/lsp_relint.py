"""Benchmark: how long the language server takes to re-lint a 10k-character buffer after an edit.

Measures ``reportlint.frontends.lsp.analyse`` (lint + build LSP diagnostics: what the server runs on each
didChange, off the event loop) over a 10,000-character document made from fixtures/reports.
Warm: rules, grammar and jieba are loaded by a first run that is not counted.  Each timed run
edits one character, as a keystroke would.  Target (issue 6): median <= 20 ms.

    python bench/lsp_relint.py [--runs N] [--chars N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from reportlint.core.document import Document
from reportlint.engine.config import find_config
from reportlint.engine.lint import lint_document, load_ruleset
from reportlint.frontends.lsp import analyse

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 20.0


def build_text(chars: int) -> str:
    """The fixture reports one after another (repeated if needed), cut to exactly ``chars`` characters."""
    reports = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "reports").glob("*.txt"))]
    text = ""
    while len(text) < chars:
        text += "\n".join(reports)
    return text[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--chars", type=int, default=10_000)
    args = parser.parse_args()

    text = build_text(args.chars)
    path = str(ROOT / "fixtures" / "reports" / "bench.txt")
    config = find_config(Path(path).parent)
    rules = load_ruleset(config).select(config, path)
    analysis = analyse(text, path, config, rules)  # warm-up, not timed

    middle = len(text) // 2
    times, engine = [], []
    for run in range(args.runs):
        # One keystroke: a different character in the middle of the text each run.
        edited = text[:middle] + "的是了在和"[run % 5] + text[middle + 1 :]
        start = time.perf_counter()
        analysis = analyse(edited, path, config, rules, version=run)
        times.append((time.perf_counter() - start) * 1000)
        # The engine alone, for comparison: the rest is the LSP conversion.
        doc = Document.from_text(edited, path=path)
        start = time.perf_counter()
        lint_document(doc, rules, config)
        engine.append((time.perf_counter() - start) * 1000)

    median = statistics.median(times)
    print(
        f"lsp re-lint: {len(text)} chars, {len(analysis.lsp_diagnostics)} diagnostics, {args.runs} runs: "
        f"median {median:.1f} ms (min {min(times):.1f}, max {max(times):.1f}; engine alone median "
        f"{statistics.median(engine):.1f} ms); target <= {TARGET_MS:.0f} ms "
        + ("OK" if median <= TARGET_MS else "OVER")
    )


if __name__ == "__main__":
    main()
