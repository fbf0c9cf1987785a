"""Accuracy of reportlint on real and built reports: precision, recall, false alarms, misses.

Like Ruff's ecosystem check, run it on every change to rules or engine:

    python bench/accuracy.py                 # figures, false alarms, misses, diff to the baseline
    python bench/accuracy.py --quiet         # figures and the diff only
    python bench/accuracy.py --update-baseline   # record the current findings as the baseline

Corpora (``tests/corpus/``):

* real: the development heads (``fazhi-dev/``, real published report heads with hand labels)
  and the five bundled samples (``samples/labels.jsonl``, labels from the rule catalogue's
  per-sample defect tables, over ``fixtures/reports/``);
* clean: ``variants/``, correct complete reports rendered from ``specs/`` in the shapes real
  offices use (``bench/variants.py``), and ``holdout/``, correct reports written without
  sight of the rules: every error or warning there is a false alarm;
* blind: ``blind-defects/``, short reports with slips written and labelled without sight of
  the rules (the format of ``fazhi-dev/``);
* planted: each correct report with one defect planted (``bench/planter.py``), labelled.

And for the 政府信息公开工作年度报告 pack (``rules/gongkai``):

* gk-clean: ``fixtures/gongkai/reports/``, correct complete reports (tables as TAB rows, one
  cell per line, Markdown): every error or warning there is a false alarm;
* gk-planted: each of them with one table or prose-vs-table defect planted
  (``bench/planter_gongkai.py``: a wrong 总计 or cell, columns swapped, a row left out, prose
  that disagrees with the table), labelled.

A finding matches a label when it is in the same file, on the same line or one line away (a
label about the whole document: anywhere), and its rule counts for the label's category
(``bench/categories.toml``).  Findings after the cut of a truncated head, on a line the labels
ignore, or claiming a part is absent that the head does not contain, are not judged.

Precision counts error and warning findings: matched / judged.  Recall counts labels: matched
by a finding of any severity; "recall at error+warning" counts the labels a strict reviewer
would give error or warning, matched by an error or warning finding.

The baseline (``bench/accuracy-baseline.json``) holds every judged finding and verdict, so the
diff works on a clean CI clone; the floors (``bench/accuracy-floors.json``) are the figures CI
requires (they only go up; lowering one needs a reason in the commit message) and the hash of
the frozen label files.  Exit 1 when a figure falls below its floor or a label file changed
without its hash being updated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from reportlint.core.diagnostics import Severity  # noqa: E402
from reportlint.core.document import Document  # noqa: E402
from reportlint.engine.config import Config  # noqa: E402
from reportlint.engine.lint import lint_document, load_ruleset  # noqa: E402
from reportlint.inputs.reading import read_path  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
HEADS = CORPUS / "fazhi-dev" / "heads"
SAMPLES = ROOT / "fixtures" / "reports"
SAMPLE_LABELS = CORPUS / "samples" / "labels.jsonl"
VARIANTS = CORPUS / "variants"
BLIND = CORPUS / "blind-defects"
BASELINE = ROOT / "bench" / "accuracy-baseline.json"
FLOORS = ROOT / "bench" / "accuracy-floors.json"
CATEGORIES = ROOT / "bench" / "categories.toml"
LABEL_FILES = (HEADS / "labels.jsonl", SAMPLE_LABELS, BLIND / "labels.jsonl")
GONGKAI_REPORTS = ROOT / "fixtures" / "gongkai" / "reports"
CORPORA = ("real", "blind", "clean", "planted", "gk-clean", "gk-planted")
SERIOUS = (Severity.ERROR, Severity.WARNING)


@dataclass
class Finding:
    file: str
    line: int
    column: int
    code: str
    severity: str
    message: str
    verdict: str = "unjudged"  # true | false | unjudged

    @property
    def serious(self) -> bool:
        return self.severity in ("error", "warning")

    def key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.code, self.severity)


@dataclass
class Label:
    file: str
    line: int
    column: int
    category: str
    severity: str
    text: str = ""
    note: str = ""
    document: bool = False
    matched_any: bool = False
    matched_serious: bool = False


@dataclass
class Case:
    """One report: its text, labels and what the labels say about it as a whole."""

    name: str
    corpus: str  # real | clean | planted
    document: Document
    labels: list[Label] = field(default_factory=list)
    sections: dict[str, bool] = field(default_factory=dict)
    truncated_at: int | None = None
    ignore_lines: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)


# -- loading --------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def labelled_cases(directory: Path, labels_path: Path) -> list[Case]:
    records = read_jsonl(labels_path)
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_file[record["file"]].append(record)
    cases = []
    for name in sorted(by_file):
        case = Case(name, "real", read_path(directory / name))
        for record in by_file[name]:
            if "category" in record or "rule" in record:
                case.labels.append(_label(record))
            else:
                case.sections = dict(record.get("sections", {}))
                if record.get("truncated"):
                    case.truncated_at = int(record["truncated_at_line"])
                case.ignore_lines = {int(n) for n in record.get("ignore_lines", {})}
        cases.append(case)
    return cases


def _label(record: dict[str, Any]) -> Label:
    return Label(
        file=record["file"],
        line=int(record["line"]),
        column=int(record.get("col", 1)),
        category=record.get("category") or record["rule"],
        severity=record.get("severity", "warning"),
        text=record.get("text", ""),
        note=record.get("note", ""),
        document=record.get("scope") == "document",
    )


def clean_cases() -> list[Case]:
    """The renderings of the specs, and the hold-out reports written without sight of the rules."""
    manifest = VARIANTS / "manifest.jsonl"
    cases = [Case(entry["file"], "clean", read_path(VARIANTS / entry["file"])) for entry in read_jsonl(manifest)]
    holdout = sorted(path for directory in sorted(CORPUS.glob("holdout*")) for path in directory.glob("*.txt"))
    return cases + [Case(path.name, "clean", read_path(path)) for path in holdout]


def gongkai_clean_cases() -> list[Case]:
    return [
        Case(path.name, "gk-clean", read_path(path))
        for path in sorted(GONGKAI_REPORTS.iterdir())
        if path.suffix in (".txt", ".md", ".docx")
    ]


def gongkai_planted_cases() -> list[Case]:
    from planter_gongkai import plant_all

    return _planted(plant_all(), "gk-planted")


def planted_cases() -> list[Case]:
    from planter import plant_all

    return _planted(plant_all(), "planted")


def _planted(items: Iterable[Any], corpus: str) -> list[Case]:
    cases = []
    for item in items:
        case = Case(item.name, corpus, Document.from_text(item.text, path=item.name))
        case.labels = [_label(label) for label in item.labels]
        cases.append(case)
    return cases


# -- judging --------------------------------------------------------------------------------


@dataclass
class Table:
    codes: dict[str, list[str]]
    absence: dict[str, str]

    @classmethod
    def load(cls) -> Table:
        data = tomllib.loads(CATEGORIES.read_text(encoding="utf-8"))
        return cls(data["codes"], data.get("absence", {}))


def lint(cases: list[Case]) -> None:
    config = Config()
    ruleset = load_ruleset(config)
    for case in cases:
        doc = case.document
        rules = ruleset.select(config, str(doc.path))
        for diagnostic in lint_document(doc, rules, config):
            position = doc.position(diagnostic.start)
            case.findings.append(
                Finding(
                    case.name,
                    position.line,
                    position.column,
                    diagnostic.code,
                    diagnostic.severity.label,
                    diagnostic.message,
                )
            )


def judge(case: Case, table: Table) -> None:
    for finding in case.findings:
        finding.verdict = _verdict(case, finding, table)
    for label in case.labels:
        for finding in case.findings:
            if _matches(finding, label, table):
                label.matched_any = True
                if finding.serious:
                    label.matched_serious = True


def _matches(finding: Finding, label: Label, table: Table) -> bool:
    if label.category not in table.codes.get(finding.code, ()):
        return False
    return label.document or abs(finding.line - label.line) <= 1


def _verdict(case: Case, finding: Finding, table: Table) -> str:
    if any(_matches(finding, label, table) for label in case.labels):
        return "true"
    if case.truncated_at is not None:
        if finding.line >= case.truncated_at:
            return "unjudged"
        part = table.absence.get(finding.code)
        if part is not None and not case.sections.get(part, False):
            return "unjudged"  # the part may come after the cut
    if finding.line in case.ignore_lines:
        return "unjudged"
    return "false"


# -- figures --------------------------------------------------------------------------------


@dataclass
class Figures:
    judged: int = 0
    true: int = 0
    labels: int = 0
    matched: int = 0
    serious_labels: int = 0
    matched_serious: int = 0
    files: int = 0
    files_with_false: int = 0

    @property
    def precision(self) -> float:
        return self.true / self.judged if self.judged else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labels if self.labels else 1.0

    @property
    def recall_serious(self) -> float:
        return self.matched_serious / self.serious_labels if self.serious_labels else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "recall_serious": round(self.recall_serious, 4),
            "serious_findings": self.judged,
            "false_alarms": self.judged - self.true,
            "labels": self.labels,
            "files": self.files,
            "files_with_false_alarm": self.files_with_false,
        }


def figures(cases: Iterable[Case]) -> Figures:
    result = Figures()
    for case in cases:
        result.files += 1
        serious = [f for f in case.findings if f.serious and f.verdict != "unjudged"]
        result.judged += len(serious)
        result.true += sum(1 for f in serious if f.verdict == "true")
        result.files_with_false += any(f.verdict == "false" for f in serious)
        result.labels += len(case.labels)
        result.matched += sum(1 for label in case.labels if label.matched_any)
        wanted = [label for label in case.labels if label.severity in ("error", "warning")]
        result.serious_labels += len(wanted)
        result.matched_serious += sum(1 for label in wanted if label.matched_serious)
    return result


def per_rule(cases: Iterable[Case]) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        for finding in case.findings:
            if finding.serious:
                table[finding.code][finding.verdict] += 1
            else:
                table[finding.code]["info"] += 1
    return table


def per_category(cases: Iterable[Case]) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        for label in case.labels:
            counts = table[label.category]
            counts["labels"] += 1
            counts["matched"] += label.matched_any
            if label.severity in ("error", "warning"):
                counts["serious"] += 1
                counts["matched_serious"] += label.matched_serious
    return table


# -- output ---------------------------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{value * 100:5.1f}%"


def print_figures(title: str, result: Figures) -> None:
    print(
        f"{title:<9} precision(E+W) {_percent(result.precision)}  ({result.true}/{result.judged})   "
        f"recall {_percent(result.recall)} ({result.matched}/{result.labels})   "
        f"recall(E+W) {_percent(result.recall_serious)} ({result.matched_serious}/{result.serious_labels})   "
        f"files with a false alarm {result.files_with_false}/{result.files}"
    )


def print_tables(cases: list[Case]) -> None:
    print("\nper rule (error+warning: true / false / unjudged; info findings)")
    for code, counts in sorted(per_rule(cases).items()):
        verdicts = "  ".join(f"{verdict} {counts[verdict]:4}" for verdict in ("true", "false", "unjudged", "info"))
        print(f"  {code}  {verdicts}")
    print("\nper category (labels matched by any finding / by an error or warning)")
    for category, counts in sorted(per_category(cases).items()):
        print(
            f"  {category:<26} {counts['matched']:4}/{counts['labels']:<4}  "
            f"E+W {counts['matched_serious']:4}/{counts['serious']:<4}"
        )


def _finding_line(case: Case, finding: Finding) -> str:
    where = f"{finding.file}:{finding.line}:{finding.column}"
    return f"  [{case.corpus}] {where}: {finding.code} [{finding.severity}] {finding.message}"


def _label_line(case: Case, label: Label) -> str:
    where = f"{label.file}:{label.line}:{label.column}"
    return f"  [{case.corpus}] {where}: {label.category} [{label.severity}] {label.text or label.note}"


def print_lists(cases: list[Case]) -> None:
    false = [(case, f) for case in cases for f in case.findings if f.serious and f.verdict == "false"]
    misses = [(case, label) for case in cases for label in case.labels if not label.matched_any]
    weak = [
        (case, label)
        for case in cases
        for label in case.labels
        if label.matched_any and not label.matched_serious and label.severity in ("error", "warning")
    ]
    print(f"\nfalse alarms ({len(false)})")
    for case, finding in false:
        print(_finding_line(case, finding))
    print(f"\nmisses ({len(misses)})")
    for case, label in misses:
        print(_label_line(case, label))
    print(f"\nfound only at info although a reviewer gives error or warning ({len(weak)})")
    for case, label in weak:
        print(_label_line(case, label))


# -- baseline and floors ----------------------------------------------------------------------


def snapshot(cases: list[Case]) -> dict[str, Any]:
    findings = sorted(
        [f.file, f.line, f.code, f.severity, f.verdict] for case in cases for f in case.findings if f.serious
    )
    return {"findings": findings}


def diff_baseline(current: dict[str, Any]) -> list[str]:
    if not BASELINE.exists():
        return ["(no baseline yet: run with --update-baseline)"]
    old = {tuple(item) for item in json.loads(BASELINE.read_text(encoding="utf-8"))["findings"]}
    new = {tuple(item) for item in current["findings"]}
    lines = [f"  + {f} {line} {code} [{sev}] {verdict}" for f, line, code, sev, verdict in sorted(new - old)]
    lines += [f"  - {f} {line} {code} [{sev}] {verdict}" for f, line, code, sev, verdict in sorted(old - new)]
    return lines


def label_hashes() -> dict[str, str]:
    return {str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest() for path in LABEL_FILES}


def check_floors(results: dict[str, Figures]) -> list[str]:
    if not FLOORS.exists():
        return ["no bench/accuracy-floors.json"]
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    problems = []
    for corpus, wanted in floors.get("figures", {}).items():
        got = results[corpus].as_dict()
        for key, floor in wanted.items():
            if key.startswith("max_"):
                if got[key[4:]] > floor:
                    problems.append(f"{corpus} {key[4:]} = {got[key[4:]]} > {floor}")
            elif got[key] < floor:
                problems.append(f"{corpus} {key} = {got[key]:.4f} < floor {floor}")
    for path, digest in label_hashes().items():
        recorded = floors.get("labels", {}).get(path)
        if recorded != digest:
            problems.append(
                f"{path} changed (sha256 {digest[:12]}…): labels are frozen; record the new hash in "
                "bench/accuracy-floors.json with the reason in the commit message"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures and the baseline diff only")
    parser.add_argument("--update-baseline", action="store_true", help="record the current findings as the baseline")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--corpus", choices=CORPORA, action="append", help="only these corpora (repeatable)")
    parser.add_argument(
        "--labelled",
        metavar="DIR",
        action="append",
        help="measure on other labelled reports instead of the bundled real ones: DIR holds *.txt and a "
        "labels.jsonl in the format of tests/corpus/fazhi-dev (repeatable)",
    )
    parser.add_argument(
        "--clean",
        metavar="DIR",
        action="append",
        help="measure on other correct reports instead of the bundled variants: every error or warning "
        "on a .txt/.md/.docx in DIR is a false alarm (repeatable)",
    )
    args = parser.parse_args(argv)

    wanted = set(args.corpus or CORPORA)
    if args.labelled or args.clean:
        wanted = {"real"} if args.labelled else set()
        wanted |= {"clean"} if args.clean else set()
    cases: list[Case] = []
    if "real" in wanted:
        if args.labelled:
            cases += [
                case
                for directory in args.labelled
                for case in labelled_cases(Path(directory), Path(directory) / "labels.jsonl")
            ]
        else:
            cases += labelled_cases(HEADS, HEADS / "labels.jsonl") + labelled_cases(SAMPLES, SAMPLE_LABELS)
    if "blind" in wanted:
        cases += [
            Case(case.name, "blind", case.document, case.labels, case.sections, case.truncated_at, case.ignore_lines)
            for case in labelled_cases(BLIND, BLIND / "labels.jsonl")
        ]
    if "clean" in wanted:
        if args.clean:
            cases += [
                Case(path.name, "clean", read_path(path))
                for directory in args.clean
                for path in sorted(Path(directory).iterdir())
                if path.suffix in (".txt", ".md", ".docx") and path.stem.upper() != "README"
            ]
        else:
            cases += clean_cases()
    if "planted" in wanted:
        cases += planted_cases()
    if "gk-clean" in wanted:
        cases += gongkai_clean_cases()
    if "gk-planted" in wanted:
        cases += gongkai_planted_cases()
    lint(cases)
    table = Table.load()
    for case in cases:
        judge(case, table)

    results = {corpus: figures(c for c in cases if c.corpus == corpus) for corpus in CORPORA}
    results["all"] = figures(cases)
    for corpus in (*CORPORA, "all"):
        if corpus == "all" or corpus in wanted:
            print_figures(corpus, results[corpus])
    if not args.quiet:
        print_tables(cases)
        print_lists(cases)

    current = snapshot(cases)
    if wanted == set(CORPORA):
        changes = diff_baseline(current)
        print(f"\nchanges against bench/accuracy-baseline.json ({len(changes)})")
        print("\n".join(changes) if changes else "  none")
    if args.json:
        Path(args.json).write_text(
            json.dumps({k: v.as_dict() for k, v in results.items()}, ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    if args.update_baseline and not (args.labelled or args.clean):
        BASELINE.write_text(json.dumps(current, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print("baseline updated")
    if wanted == set(CORPORA) and not (args.labelled or args.clean):
        problems = check_floors(results)
        if problems:
            print("\nBELOW THE FLOORS (bench/accuracy-floors.json):")
            print("\n".join(f"  {p}" for p in problems))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
