"""Benchmark the cross-report duplicate finder (RL101) on a synthetic set of reports.

The set is built from the five sample reports in fixtures/reports so that it looks
like a real year's collection from many units:

* every report follows one sample's structure (round-robin), with the sentences of
  each paragraph shuffled;
* 70 % of the sentences are replaced by the unit's own text: words of the samples in a
  new order, with the unit's name and figures (unique to the report);
* the other 30 % stay verbatim or with one word changed: template text shared by
  hundreds of reports (must come out as common phrasing, not as findings);
* ``--copies`` planted copies: a paragraph of one report pasted, with one word
  changed, into another report (the real signal: the finder should report each).

Usage: python bench/crossdup_bench.py [--reports 2000] [--repeat 3] [--jobs N] [--write DIR]
Prints the time of each run, the median, the load average and the recall of the planted copies.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reportlint.app.duplicates import find_duplicates  # noqa: E402
from reportlint.core.document import Document  # noqa: E402

_SENTENCE = regex.compile(r"[^。！？；]+[。！？；]?")
_UNITS = ["县", "区", "市", "镇", "局", "委", "办", "街道", "中心", "所"]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _salad(rng: random.Random, vocabulary: list[str], length: int, place: str) -> str:
    """Unit-specific text: words of the samples in a new order, with the unit's figures."""
    clauses: list[str] = []
    size = 0
    while size < length:
        clause = "".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 6)))
        if rng.random() < 0.2:
            clause += f"{rng.randint(2, 99)}{rng.choice(['次', '件', '场', '人次', '条'])}"
        clauses.append(clause)
        size += len(clause) + 1
    if rng.random() < 0.3:
        clauses.insert(0, place)
    return "，".join(clauses) + "。"


def build(reports: int, copies: int, seed: int) -> tuple[list[Document], list[tuple[int, int, str, str]]]:
    """``reports`` reports and the planted copies (source, target, copied paragraph, pasted paragraph)."""
    import jieba

    rng = random.Random(seed)
    folder = ROOT / "fixtures" / "reports"
    samples = [_paragraphs(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    vocabulary = sorted(
        {
            w
            for paragraphs in samples
            for p in paragraphs
            for w in jieba.cut(p, HMM=False)
            if len(w) >= 2 and regex.fullmatch(r"\p{Han}+", w)
        }
    )
    places = [
        "".join(rng.choice("东西南北中新安平华山河江湖阳城林海") for _ in range(2)) + rng.choice(_UNITS)
        for _ in range(reports)
    ]
    texts: list[list[str]] = []
    for index in range(reports):
        paragraphs: list[str] = []
        for paragraph in samples[index % len(samples)]:
            sentences = _SENTENCE.findall(paragraph)
            if len(sentences) > 2:
                head, body = sentences[0], sentences[1:]
                rng.shuffle(body)
                sentences = [head, *body]
            out: list[str] = []
            for sentence in sentences:
                roll = rng.random()
                if roll < 0.2 or len(sentence) < 15:  # template text, kept as is
                    out.append(sentence)
                elif roll < 0.3:  # template text with one word changed
                    words = list(jieba.cut(sentence, HMM=False))
                    position = rng.randrange(len(words))
                    if len(words[position]) >= 2:
                        words[position] = rng.choice(vocabulary)
                    out.append("".join(words))
                else:  # the unit's own text
                    out.append(_salad(rng, vocabulary, len(sentence), places[index]))
            paragraphs.append("".join(out))
        texts.append(paragraphs)
    planted: list[tuple[int, int, str, str]] = []
    for _ in range(copies):
        source, target = rng.sample(range(reports), 2)
        candidates = [p for p in texts[source] if len(p) >= 80 and "。" in p]
        if not candidates:
            continue
        paragraph = rng.choice(candidates)
        edited = paragraph.replace(places[source], places[target])
        texts[target].insert(rng.randrange(1, len(texts[target])), edited)
        planted.append((source, target, paragraph, edited))
    documents = [
        Document.from_text("\n\n".join(p) + "\n", path=f"bench/{i:04d}_{places[i]}.txt") for i, p in enumerate(texts)
    ]
    return documents, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path, help="also write the reports into this folder")
    args = parser.parse_args()

    started = time.perf_counter()
    documents, planted = build(args.reports, args.copies, args.seed)
    chars = sum(len(d.text) for d in documents)
    print(
        f"built {len(documents)} reports, {chars / 1e6:.1f} M characters, {len(planted)} planted copies "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for doc in documents:
            (args.write / Path(doc.path).name).write_text(doc.text, encoding="utf-8")

    times: list[float] = []
    results: dict[str, list] = {}
    for run in range(args.repeat):
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        started = time.perf_counter()
        results = find_duplicates(documents, jobs=args.jobs)
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        print(f"run {run + 1}: {elapsed:.1f} s (load average before the run {load:.2f})")
    print(f"median {statistics.median(times):.1f} s over {len(times)} runs on {os.cpu_count()} cores")

    # A finding is expected where a planted paragraph was copied from or pasted to.
    spans: dict[str, list[tuple[int, int]]] = {d.path: [] for d in documents}
    found = 0
    for source, target, copied, pasted in planted:
        source_doc, target_doc = documents[source], documents[target]
        source_start = source_doc.text.index(copied)
        target_start = target_doc.text.index(pasted)
        source_span = (source_start, source_start + len(copied))
        target_span = (target_start, target_start + len(pasted))
        spans[source_doc.path].append(source_span)
        spans[target_doc.path].append(target_span)
        if _hit(results[source_doc.path], source_span) and _hit(results[target_doc.path], target_span):
            found += 1
    findings = [(path, d) for path, diagnostics in results.items() for d in diagnostics]
    unexpected = [(p, d) for p, d in findings if not any(d.start < e and d.end > s for s, e in spans[p])]
    print(
        f"{len(findings)} findings; planted copies found: {found}/{len(planted)}; "
        f"findings outside the planted paragraphs: {len(unexpected)}"
    )
    for path, diagnostic in unexpected[:5]:
        print(f"  {path}: {diagnostic.message}")


def _hit(diagnostics: list, span: tuple[int, int]) -> bool:
    return any(d.start < span[1] and d.end > span[0] for d in diagnostics)


if __name__ == "__main__":
    main()
