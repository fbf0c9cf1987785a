"""Benchmark reportlint against its peers: ``python bench/run.py``.

What it measures (issue 6), all in one run so the ratios are comparable:

* cold: ``reportlint check`` of one ~8 KB report, whole process;
* batch: ``reportlint check`` of 1,000 report files (the five fixture reports copied
  round-robin, 8.3 MB), serial (``--jobs 1``) and with ``--jobs 2`` when the CLI has
  ``--jobs``;
* warm: in-process ``lint_document`` time per 10,000 characters (rules loaded, the
  five fixture reports linted over and over);
* peak RSS of the cold and batch runs;
* the same cold and batch runs of autocorrect (``autocorrect-node``) and zhlint when
  they are installed in ``bench/.node`` (``--install-peers`` installs them with npm).

Timings use hyperfine when it is on PATH, else a Python loop; both report medians.
Results are printed and written into ``docs/benchmarks.md`` between the
``<!-- bench:results -->`` markers (``--no-write`` to skip).  The corpus is built
deterministically in ``bench/.corpus/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "reports"
CORPUS = ROOT / "bench" / ".corpus"
NODE_PREFIX = ROOT / "bench" / ".node"
NODE_BIN = NODE_PREFIX / "node_modules" / ".bin"
DOC = ROOT / "docs" / "benchmarks.md"
MARK_START, MARK_END = "<!-- bench:results -->", "<!-- /bench:results -->"
CORPUS_FILES = 1000
COLD_REPORT = "004_de61297b1667e9da.txt"
PEER_PACKAGES = ("autocorrect-node", "zhlint")

# Bytecode caching as in a normal install (some sandboxes set PYTHONDONTWRITEBYTECODE=1,
# which makes every process recompile reportlint's sources).
BENCH_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# Targets from issue 6 (full default rule pack, 2 cores).
TARGET_COLD_S = 0.2
TARGET_WARM_MS = 5.0
TARGET_RSS_MB = 150.0
TARGET_AUTOCORRECT_RATIO = 5.0


# -- corpus ---------------------------------------------------------------------------------


def build_corpus(directory: Path = CORPUS, count: int = CORPUS_FILES) -> Path:
    """``count`` files, the fixture reports copied round-robin; rebuilt only when stale."""
    sources = sorted(FIXTURES.glob("*.txt"))
    if not sources:
        sys.exit(f"bench: no fixture reports in {FIXTURES}")
    wanted = {f"{i:04d}_{sources[i % len(sources)].name}": sources[i % len(sources)] for i in range(count)}
    stamp = directory / ".stamp"
    signature = json.dumps({name: src.stat().st_size for name, src in wanted.items()}, sort_keys=True)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == signature:
        return directory
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for name, src in wanted.items():
        shutil.copyfile(src, directory / name)
    stamp.write_text(signature, encoding="utf-8")
    return directory


def corpus_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.glob("*.txt"))


# -- running commands -----------------------------------------------------------------------


@dataclass
class Timing:
    name: str
    command: list[str]
    cwd: Path
    times: list[float] = field(default_factory=list)
    rss_mb: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> str:
        if len(self.times) < 2:
            return ""
        return f"{min(self.times):.3f}–{max(self.times):.3f}"


def hyperfine_times(command: list[str], cwd: Path, runs: int, warmup: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "out.json"
        subprocess.run(
            [
                "hyperfine",
                "--shell=none",
                "--ignore-failure",
                "--style=none",
                f"--runs={runs}",
                f"--warmup={warmup}",
                f"--export-json={export}",
                subprocess.list2cmdline(command),
            ],
            cwd=cwd,
            check=True,
            stdout=subprocess.DEVNULL,
            env=BENCH_ENV,
        )
        data = json.loads(export.read_text(encoding="utf-8"))
    return list(data["results"][0]["times"])


def loop_times(command: list[str], cwd: Path, runs: int, warmup: int, env: dict[str, str] | None = None) -> list[float]:
    times = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or BENCH_ENV)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return times


_RSS_PROBE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peak_rss_mb(command: list[str], cwd: Path) -> float:
    """Largest resident set of the command or any of its child processes (Linux: KB)."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, *command], cwd=cwd, capture_output=True, text=True, check=True, env=BENCH_ENV
    )
    return int(out.stdout.strip()) / 1024


def measure(timing: Timing, runs: int, warmup: int, use_hyperfine: bool, rss: bool = True) -> Timing:
    runner = hyperfine_times if use_hyperfine else loop_times
    timing.times = runner(timing.command, timing.cwd, runs, warmup)
    if rss:
        timing.rss_mb = peak_rss_mb(timing.command, timing.cwd)
    print(
        f"  {timing.name:<34} median {timing.median:8.3f} s  ({timing.spread})"
        + (f"  peak RSS {timing.rss_mb:.0f} MB" if timing.rss_mb else ""),
        flush=True,
    )
    return timing


# -- reportlint -----------------------------------------------------------------------------


def reportlint_cmd() -> list[str]:
    exe = shutil.which("reportlint")
    return [exe] if exe else [sys.executable, "-m", "reportlint"]


def has_jobs_option() -> bool:
    out = subprocess.run([*reportlint_cmd(), "check", "--help"], capture_output=True, text=True)
    return "--jobs" in out.stdout


@contextlib.contextmanager
def pinned_to_one_cpu() -> Iterator[None]:
    """Keep this process on one CPU while timing in-process (as pyperf advises): a move to
    the other core in the middle of a 5 ms measurement costs more than what is measured."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {max(allowed)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


def warm_lint(rounds: int) -> dict[str, float]:
    """Median in-process lint time per 10k characters over the five fixture reports."""
    sys.path.insert(0, str(ROOT / "src"))
    from reportlint.core.document import Document
    from reportlint.engine.config import Config
    from reportlint.engine.lint import lint_document, load_ruleset

    config = Config()
    rules = load_ruleset(config).select(config, "report.txt")
    sources = [(p.read_text(encoding="utf-8"), p.name) for p in sorted(FIXTURES.glob("*.txt"))]
    chars = sum(len(Document.from_text(text).text) for text, _ in sources)
    largest = max(sources, key=lambda s: len(s[0]))
    # A 10,000-character report: the five reports one after the other, cut at the last line
    # break before 10,000 characters.
    joined = "\n\n".join(Document.from_text(text).text for text, _ in sources)
    long_report = (joined[: joined.rfind("\n", 0, 10_000)], "long-report.txt")

    def once(items: list[tuple[str, str]], clock=time.perf_counter) -> float:  # type: ignore[no-untyped-def]
        start = clock()
        for text, name in items:
            lint_document(Document.from_text(text, path=name), rules, config)
        return clock() - start

    with pinned_to_one_cpu():
        for _ in range(3):
            once(sources)  # warm up: every pattern compiled, every lazy table built
        per_round = [once(sources) for _ in range(rounds)]
        per_round_cpu = [once(sources, time.process_time) for _ in range(rounds)]
        per_largest = [once([largest]) for _ in range(rounds)]
        per_long = [once([long_report]) for _ in range(rounds)]
        per_long_cpu = [once([long_report], time.process_time) for _ in range(rounds)]
        # What any report costs, however short: a title and one sentence.
        minimal = ("某局2024年法治政府建设情况报告\n\n全年开展培训10次。\n", "minimal-report.txt")
        per_minimal = [once([minimal]) for _ in range(rounds)]
    median = statistics.median(per_round)
    return {
        "long_chars": len(long_report[0]),
        "ms_long": statistics.median(per_long) * 1e3,
        "cpu_ms_long": statistics.median(per_long_cpu) * 1e3,
        "chars": chars,
        "ms_per_10k": median / chars * 1e4 * 1e3,
        "cpu_ms_per_10k": statistics.median(per_round_cpu) / chars * 1e4 * 1e3,
        "ms_all_five": median * 1e3,
        "largest_chars": len(Document.from_text(largest[0]).text),
        "ms_largest": statistics.median(per_largest) * 1e3,
        "ms_floor": statistics.median(per_minimal) * 1e3,
    }


def warm_in_processes(processes: int, rounds: int) -> dict[str, Any]:
    """``warm_lint`` in fresh processes, one after the other (as pyperf runs its workers):
    each figure is the median of the processes' medians.  On a shared virtual machine one
    process now and then runs 10-15 % slower throughout; the spread shows it."""
    runs: list[dict[str, float]] = []
    for _ in range(max(1, processes)):
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--warm-worker", f"--warm-rounds={rounds}"],
            capture_output=True,
            text=True,
            check=True,
            env=BENCH_ENV,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    warm: dict[str, Any] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    longs = sorted(run["ms_long"] for run in runs)
    warm["ms_long_spread"] = f"{longs[0]:.2f}–{longs[-1]:.2f} ms over {len(runs)} processes"
    return warm


def print_rule_times(rounds: int) -> None:
    """Each rule's median warm time on the 10k-character report (what a rule costs every user)."""
    sys.path.insert(0, str(ROOT / "src"))
    from reportlint.checks.context import LintContext
    from reportlint.core.document import Document
    from reportlint.engine.config import Config
    from reportlint.engine.lint import effective_profile, literal_scanner, load_ruleset
    from reportlint.support import watchdog

    config = Config()
    rules = load_ruleset(config).select(config, "report.txt")
    sources = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    joined = "\n\n".join(Document.from_text(text).text for text in sources)
    doc = Document.from_text(joined[: joined.rfind("\n", 0, 10_000)], path="long-report.txt")
    scanner = literal_scanner(rules)
    times: dict[str, list[float]] = {rule.code: [] for rule in rules}
    with pinned_to_one_cpu(), watchdog.RuleWatch() as watch:
        for round_ in range(rounds + 3):
            ctx = LintContext(doc, scanner=scanner)
            ctx.regex_timeout = None if watch.active else watchdog.RULE_TIMEOUT  # as the engine runs them
            ctx.profile = effective_profile(ctx, config, [rules[0].pack])
            ctx.outline  # noqa: B018 - built before the clock starts: shared by all rules
            ctx.literals.any_in(frozenset(scanner.literals))  # the one literal pass, shared too
            for rule in rules:
                start = time.perf_counter()
                list(rule.check.run(ctx))
                if round_ >= 3:
                    times[rule.code].append(time.perf_counter() - start)
    medians = sorted(((statistics.median(v) * 1e3, code) for code, v in times.items()), reverse=True)
    print(f"warm time per rule on a {len(doc.text):,}-character report (median of {rounds} rounds, ms):")
    for ms, code in medians:
        print(f"  {code}  {ms:6.3f}")
    print(f"  total {sum(ms for ms, _ in medians):6.3f}")


# -- peers ----------------------------------------------------------------------------------


def install_peers() -> None:
    if not shutil.which("npm"):
        print("bench: npm not found; peers not installed", file=sys.stderr)
        return
    NODE_PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund", *PEER_PACKAGES], check=False
    )


def peer_version(name: str) -> str:
    package = NODE_PREFIX / "node_modules" / name / "package.json"
    try:
        return json.loads(package.read_text(encoding="utf-8")).get("version", "?")
    except (OSError, ValueError):
        return "?"


def peer_commands(corpus: Path) -> dict[str, dict[str, object]]:
    """Cold and batch commands of each installed peer (name -> {cold, batch, cwd, version})."""
    peers: dict[str, dict[str, object]] = {}
    autocorrect = NODE_BIN / "autocorrect"
    if autocorrect.exists():
        peers["autocorrect"] = {
            "version": "autocorrect-node " + peer_version("autocorrect-node"),
            "cold": ([str(autocorrect), "--lint", str(FIXTURES / COLD_REPORT)], ROOT),
            "batch": ([str(autocorrect), "--lint", "--threads", "2", "."], corpus),
        }
    zhlint = NODE_BIN / "zhlint"
    if zhlint.exists():
        # zhlint wants patterns relative to the working directory.
        peers["zhlint"] = {
            "version": "zhlint " + peer_version("zhlint"),
            "cold": ([str(zhlint), f"fixtures/reports/{COLD_REPORT}"], ROOT),
            "batch": ([str(zhlint), "*.txt"], corpus),
        }
    return peers


# -- report ---------------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load": " ".join(f"{x:.2f}" for x in load),
        "hyperfine": shutil.which("hyperfine") or "no (Python loop)",
        "node": (
            subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
            if shutil.which("node")
            else "—"
        ),
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render(results: dict[str, object]) -> str:
    t: dict[str, Timing] = results["timings"]  # type: ignore[assignment]
    warm: dict[str, Any] = results["warm"]  # type: ignore[assignment]
    info: dict[str, str] = results["machine"]  # type: ignore[assignment]
    lines = [
        MARK_START,
        "",
        f"Produced by `{results['command']}` on {results['date']}.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['system']}; Python {info['python']}, "
        f"node {info['node']}; hyperfine: {info['hyperfine']}. "
        f"Load average before the timed runs: {results['load_before']}, after: {info['load']}.",
        "",
        f"Corpus: {CORPUS_FILES} files, {results['corpus_mb']:.1f} MB (the five fixture reports round-robin). "
        f"Cold: one report, `{COLD_REPORT}` ({(FIXTURES / COLD_REPORT).stat().st_size} bytes). "
        f"Whole-process medians over {results['runs']} runs (batch: {results['batch_runs']}).",
        "",
        "| measurement | reportlint | " + " | ".join(results["peers"]) + " |",  # type: ignore[arg-type]
        "|---|---|" + "---|" * len(results["peers"]),  # type: ignore[arg-type]
    ]

    def row(label: str, key: str, peer_key: str | None) -> None:
        ours = t.get(key)
        cells = [f"{ours.median:.3f} s" if ours else "—"]
        for peer in results["peers"]:  # type: ignore[attr-defined]
            theirs = t.get(f"{peer}:{peer_key}") if peer_key else None
            if theirs and ours:
                cells.append(f"{theirs.median:.3f} s (ratio {ours.median / theirs.median:.2f})")
            elif theirs:
                cells.append(f"{theirs.median:.3f} s")
            else:
                cells.append("—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("python -c pass (interpreter start, reference)", "python", None)
    row("cold: one report", "cold", "cold")
    row("cold: one report, empty cache (first run only)", "first", None)
    row(f"batch: {CORPUS_FILES} files, serial", "batch1", "batch")
    row(f"batch: {CORPUS_FILES} files, --jobs 2", "batch2", "batch")
    lines.append("")
    lines.append(
        "Ratios are reportlint / peer (below 1: reportlint is faster); peers' batch runs use their "
        "own defaults for threads (autocorrect `--threads 2`, zhlint single-threaded)."
    )
    lines.append("")
    rss = [
        f"{name} {t[key].rss_mb:.0f} MB"
        for key, name in (("cold", "cold"), ("batch1", "batch serial"), ("batch2", "batch --jobs 2 (largest process)"))
        if key in t and t[key].rss_mb
    ]
    lines.append("Peak RSS (largest single process): " + ", ".join(rss) + ".")
    lines.append("")
    lines.append(
        f"Warm, in-process, one {warm['long_chars']:.0f}-character report: {warm['ms_long']:.2f} ms "
        f"median wall time ({warm['cpu_ms_long']:.2f} ms CPU time; {warm['ms_long_spread']})."
    )
    lines.append("")
    lines.append(
        f"Warm, in-process, normalised: {warm['ms_per_10k']:.2f} ms per 10,000 characters, median wall time "
        f"({warm['cpu_ms_per_10k']:.2f} ms CPU time; five reports, {warm['chars']:.0f} characters, "
        f"{warm['ms_all_five']:.1f} ms a round; the largest report alone, {warm['largest_chars']:.0f} "
        f"characters: {warm['ms_largest']:.2f} ms)."
    )
    lines.append("")
    lines.append("| target (issue 6) | figure | verdict |")
    lines.append("|---|---|---|")
    batch = t.get("batch2") or t.get("batch1")
    for peer in results["peers"]:  # type: ignore[attr-defined]
        theirs = t.get(f"{peer}:batch")
        if batch and theirs:
            ratio = batch.median / theirs.median
            limit = TARGET_AUTOCORRECT_RATIO if peer == "autocorrect" else 1.0
            lines.append(f"| batch vs {peer}: ratio ≤ {limit:g} | {ratio:.2f} | {verdict(ratio <= limit)} |")
    if batch:
        for name, seconds in (("textlint (issue's figure, not run here)", 6.5),):
            ratio = batch.median / seconds
            lines.append(f"| batch vs {name}: ratio < 1 | {ratio:.2f} | {verdict(ratio < 1)} |")
    if "cold" in t:
        lines.append(
            f"| cold single report ≤ {TARGET_COLD_S} s | {t['cold'].median:.3f} s | "
            f"{verdict(t['cold'].median <= TARGET_COLD_S)} |"
        )
    lines.append(
        f"| warm lint of a 10k-character report ≤ {TARGET_WARM_MS:g} ms | {warm['ms_long']:.2f} ms | "
        f"{verdict(warm['ms_long'] <= TARGET_WARM_MS)} |"
    )
    lines.append(
        f"| (not a target, for comparison: the five shorter reports, per 10k characters; any report, however "
        f"short, costs {warm['ms_floor']:.2f} ms) | {warm['ms_per_10k']:.2f} ms | — |"
    )
    peak = max((x.rss_mb or 0) for k, x in t.items() if ":" not in k and k not in ("python", "first")) if t else 0
    lines.append(f"| peak RSS ≤ {TARGET_RSS_MB:g} MB | {peak:.0f} MB | {verdict(peak <= TARGET_RSS_MB)} |")
    notes = [x for x in t.values() if x.note]
    if notes:
        lines.append("")
        lines += [f"- {x.name}: {x.note}" for x in notes]
    lines += ["", "Versions: " + "; ".join(results["versions"]) + ".", "", MARK_END]  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def write_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n" + MARK_START + "\n" + MARK_END + "\n"
    if MARK_START in text and MARK_END in text:
        head, rest = text.split(MARK_START, 1)
        _, tail = rest.split(MARK_END, 1)
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per cold measurement (default 20)")
    parser.add_argument("--batch-runs", type=int, default=5, help="runs per batch measurement (default 5)")
    parser.add_argument("--warm-rounds", type=int, default=200, help="rounds of the warm in-process loop")
    parser.add_argument("--no-peers", action="store_true", help="skip autocorrect and zhlint")
    parser.add_argument("--install-peers", action="store_true", help="npm install the peers into bench/.node first")
    parser.add_argument("--no-hyperfine", action="store_true", help="time with the Python loop")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument(
        "--rule-times", action="store_true", help="only print each rule's warm time on the 10k-character report"
    )
    parser.add_argument(
        "--warm-processes", type=int, default=5, help="fresh processes the warm measurement runs in (default 5)"
    )
    parser.add_argument(
        "--warm-worker", action="store_true", help="only measure warm linting in this process; print JSON"
    )
    args = parser.parse_args(argv)
    if args.rule_times:
        print_rule_times(args.warm_rounds)
        return 0
    if args.warm_worker:
        print(json.dumps(warm_lint(args.warm_rounds)))
        return 0

    if args.install_peers:
        install_peers()
    use_hyperfine = bool(shutil.which("hyperfine")) and not args.no_hyperfine
    corpus = build_corpus()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"corpus: {corpus} ({CORPUS_FILES} files, {corpus_bytes(corpus) / 1e6:.1f} MB); load {load_before}")

    rl = reportlint_cmd()
    check = [*rl, "check", "--exit-zero"]
    timings: dict[str, Timing] = {}
    jobs = has_jobs_option()
    plan = [
        ("python", Timing("python -c pass", [sys.executable, "-c", "pass"], ROOT), args.runs, False),
        ("cold", Timing("reportlint cold", [*check, str(FIXTURES / COLD_REPORT)], ROOT), args.runs, True),
    ]
    if jobs:
        plan.append(
            ("batch1", Timing("reportlint batch --jobs 1", [*check, "--jobs", "1", "."], corpus), args.batch_runs, True)
        )
        plan.append(
            ("batch2", Timing("reportlint batch --jobs 2", [*check, "--jobs", "2", "."], corpus), args.batch_runs, True)
        )
    else:
        print("  (reportlint check has no --jobs yet: the --jobs 2 batch is skipped)")
        plan.append(("batch1", Timing("reportlint batch (serial)", [*check, "."], corpus), args.batch_runs, True))
    peers = {} if args.no_peers else peer_commands(corpus)
    for name, spec in peers.items():
        cold_cmd, cold_cwd = spec["cold"]  # type: ignore[misc]
        batch_cmd, batch_cwd = spec["batch"]  # type: ignore[misc]
        plan.append((f"{name}:cold", Timing(f"{name} cold", cold_cmd, cold_cwd), args.runs, True))
        plan.append((f"{name}:batch", Timing(f"{name} batch", batch_cmd, batch_cwd), args.batch_runs, True))

    for key, timing, runs, rss in plan:
        timings[key] = measure(timing, runs, 1 if runs < 10 else 3, use_hyperfine, rss)
    print("  cold with an empty cache (first run after install or a rule change) ...", flush=True)
    first_runs = []
    for _ in range(max(3, args.runs // 4)):
        with tempfile.TemporaryDirectory() as empty:
            env = {**BENCH_ENV, "REPORTLINT_CACHE_DIR": empty}
            first_runs += loop_times([*check, str(FIXTURES / COLD_REPORT)], ROOT, 1, 0, env)
    timings["first"] = Timing("reportlint cold, empty cache", [], ROOT, first_runs)
    print(f"  {'reportlint cold, empty cache':<34} median {timings['first'].median:8.3f} s", flush=True)
    print(f"  warm in-process lint, in {args.warm_processes} fresh processes ...", flush=True)
    warm = warm_in_processes(args.warm_processes, args.warm_rounds)
    print(f"  warm: {warm['ms_long']:.2f} ms for the 10k-character report ({warm['ms_long_spread']})")

    from importlib.metadata import version

    versions = [f"reportlint {version('reportlint')}", f"regex {version('regex')}", f"lark {version('lark')}"]
    versions += [str(spec["version"]) for spec in peers.values()]
    results = {
        "command": "python bench/run.py" + ("" if argv is None else " " + " ".join(argv)),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine_info(),
        "load_before": load_before,
        "corpus_mb": corpus_bytes(corpus) / 1e6,
        "runs": args.runs,
        "batch_runs": args.batch_runs,
        "timings": timings,
        "warm": warm,
        "peers": list(peers),
        "versions": versions,
    }
    section = render(results)
    print()
    print(section)
    if not args.no_write:
        write_doc(section)
        print(f"written to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] if len(sys.argv) > 1 else None))
