"""Bounded fuzz campaign: run the property checks of tests/test_properties.py with many
random examples for a fixed time, and save every failing input (minimised) to
tests/fuzz/regressions/, which the test suite replays on every run.

    python tests/fuzz/run.py --minutes 2            # all properties, round robin
    python tests/fuzz/run.py --minutes 10 --only lint,fix-relint --seed 7

Exit status: 0 nothing failed, 1 a property failed (its input is saved; commit it with the
fix), 2 bad arguments.  Rounds use fresh random seeds (printed) unless --seed is given.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException, HypothesisWarning

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
# A campaign lints thousands of odd inputs with odd rule sets: keep its caches out of the
# user's real cache directory (as tests/conftest.py does for the test suite).
if "REPORTLINT_CACHE_DIR" not in os.environ:
    os.environ["REPORTLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="reportlint-fuzz-cache-")
    atexit.register(shutil.rmtree, os.environ["REPORTLINT_CACHE_DIR"], ignore_errors=True)

import test_properties as props  # noqa: E402

REGRESSIONS = props.REGRESSIONS
MAX_SAVED_PER_PROPERTY = 3  # after this many distinct failures a property is left alone


@dataclass
class Property:
    name: str
    strategy: st.SearchStrategy[Any]
    check: Callable[[Any], object]
    save: Callable[[Any], Path]
    shrink: Callable[[Any, Callable[[Any], bool]], Any] | None = None


def _write(stem: str, suffix: str, data: bytes) -> Path:
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:12]
    path = REGRESSIONS / f"{stem}-{digest}{suffix}"
    if not path.exists():
        path.write_bytes(data)
    return path


def _save_text(name: str) -> Callable[[tuple[str, str]], Path]:
    def save(case: tuple[str, str]) -> Path:
        text, lint_path = case
        suffix = ".md.txt" if lint_path.endswith(".md") else ".txt"
        return _write(name, suffix, props.encode_regression_text(text))

    return save


def _save_bytes(name: str) -> Callable[[Any], Path]:
    def save(case: Any) -> Path:
        data = case[0] if isinstance(case, tuple) else case
        return _write(name, ".bin", data)

    return save


def _save_round_trip(case: tuple[str, str, bool, str]) -> Path:
    text, encoding, bom, newline = case
    record = {"text": text, "encoding": encoding, "bom": bom, "newline": newline}
    data = json.dumps(record, ensure_ascii=True, indent=1).encode("ascii") + b"\n"
    return _write("round-trip", ".json", data)


def _ddmin_text(case: tuple[str, str], fails: Callable[[Any], bool], budget: float = 90.0) -> tuple[str, str]:
    """Delta-debug a failing text (lines, then characters) while it still fails the same way."""
    text, lint_path = case
    deadline = time.monotonic() + budget
    for split in (lambda s: s.splitlines(keepends=True), list):
        units = split(text)
        chunk = max(1, len(units) // 2)
        while chunk >= 1 and time.monotonic() < deadline:
            index, changed = 0, False
            while index < len(units) and time.monotonic() < deadline:
                candidate = units[:index] + units[index + chunk :]
                if candidate and fails(("".join(candidate), lint_path)):
                    units, changed = candidate, True
                else:
                    index += chunk
            if not changed:
                chunk //= 2
        text = "".join(units)
    return text, lint_path


def _text_property(name: str, check: Callable[[str, str], object], strategy: st.SearchStrategy[Any]) -> Property:
    return Property(name, st.tuples(strategy, props.lint_paths), lambda case: check(*case), _save_text(name), _ddmin_text)


def _unsafe_fixes(text: str, path: str) -> None:
    props.check_fix_relint(text, path, True)
    props.check_fix_converges(text, path, True)


PROPERTIES = [
    _text_property("lint", props.check_lint, props.any_text),
    _text_property("fix-relint", props.check_fix_relint, st.one_of(props.mutated_reports, props.report_like_texts, props.mixed_texts)),
    _text_property("fix-converge", props.check_fix_converges, st.one_of(props.mutated_reports, props.report_like_texts, props.mixed_texts)),
    _text_property("unsafe-fixes", _unsafe_fixes, st.one_of(props.mutated_reports, props.report_like_texts, props.mixed_texts)),
    Property("decode", props.file_bytes, props.check_decode, _save_bytes("decode")),
    Property(
        "read-path",
        st.tuples(props.file_bytes, st.sampled_from(props.SUFFIXES)),
        lambda case: props.check_read_path(*case),
        _save_bytes("read-path"),
    ),
    Property("round-trip", props.round_trip_cases, lambda case: props.check_encoding_round_trip(*case), _save_round_trip),
]  # fmt: skip


# Fuzzers of other inputs (configuration, rule files, baselines) live in modules of their
# own beside this file, each exposing FUZZ_PROPERTIES: (name, strategy, check, encode,
# suffix) tuples, where check(case) raises on a failure and encode(case) gives the bytes
# saved to regressions/ (replayed by that module's own tests).
FUZZ_MODULES = ("fuzz_config", "fuzz_rules", "fuzz_baseline")


def _module_properties() -> list[Property]:
    import importlib

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    found = []
    for name in FUZZ_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        for prop_name, strategy, check, encode, suffix in module.FUZZ_PROPERTIES:
            save = (lambda n, e, x: lambda case: _write(n, x, e(case)))(prop_name, encode, suffix)
            found.append(Property(prop_name, strategy, check, save))
    return found


PROPERTIES += _module_properties()


def _signature(exc: BaseException) -> str:
    """What kind of failure this is, ignoring numbers (used to keep minimising the same bug)."""
    first = (str(exc).splitlines() or [""])[0]
    return type(exc).__name__ + ":" + re.sub(r"\d+", "#", first)[:80]


def run_round(prop: Property, examples: int, round_seed: int) -> tuple[Any, BaseException] | None:
    """Run ``examples`` random examples; return the minimal failing case, if any."""
    failures: list[tuple[Any, BaseException]] = []

    @seed(round_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        report_multiple_bugs=False,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
    )
    @given(case=prop.strategy)
    def property_test(case: Any) -> None:
        try:
            prop.check(case)
        except Exception as exc:
            if props.is_open_bug(exc):
                return  # already saved and reported: keep looking for new ones
            failures.append((case, exc))  # the last one recorded is the shrunk example
            raise

    try:
        property_test()
    except HypothesisException:
        raise
    except Exception:
        if not failures:
            raise
        return failures[-1]
    return None


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore", category=HypothesisWarning)  # "overly large repr" of long texts
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, required=True, help="how long to fuzz (wall clock)")
    parser.add_argument("--examples", type=int, default=400, help="examples per property per round")
    parser.add_argument("--seed", type=int, help="seed of the first round (default: random)")
    parser.add_argument("--only", help="comma-separated property names: " + ", ".join(p.name for p in PROPERTIES))
    args = parser.parse_args(argv)
    chosen = PROPERTIES
    if args.only:
        names = set(args.only.split(","))
        unknown = names - {p.name for p in PROPERTIES}
        if unknown:
            parser.error(f"unknown properties: {', '.join(sorted(unknown))}")
        chosen = [p for p in PROPERTIES if p.name in names]

    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.minutes * 60
    examples: dict[str, int] = dict.fromkeys((p.name for p in chosen), 0)
    saved: dict[str, list[Path]] = {p.name: [] for p in chosen}
    rounds = 0
    while time.monotonic() < deadline:
        active = [p for p in chosen if len(saved[p.name]) < MAX_SAVED_PER_PROPERTY]
        if not active:
            break
        for prop in active:
            if time.monotonic() >= deadline:
                break
            round_seed = rng.randrange(2**32)
            started = time.monotonic()
            result = run_round(prop, args.examples, round_seed)
            examples[prop.name] += args.examples
            rounds += 1
            status = "ok"
            if result is not None:
                case, exc = result
                if prop.shrink is not None:
                    signature = _signature(exc)

                    def fails(candidate: Any, prop: Property = prop, signature: str = signature) -> bool:
                        try:
                            prop.check(candidate)
                        except Exception as again:
                            return _signature(again) == signature
                        return False

                    case = prop.shrink(case, fails)
                path = prop.save(case)
                if path not in saved[prop.name]:
                    saved[prop.name].append(path)
                status = f"FAILED -> {path.relative_to(TESTS.parent)}"
                print("".join(traceback.format_exception_only(exc)).strip()[:2000], flush=True)
                print(f"minimal input: {case!r}"[:4000], flush=True)
            elapsed = time.monotonic() - started
            print(f"[{prop.name}] seed={round_seed} examples={args.examples} {elapsed:.1f}s {status}", flush=True)

    total = sum(examples.values())
    found = [path for paths in saved.values() for path in paths]
    print(f"fuzz: {rounds} rounds, {total} examples ({', '.join(f'{k} {v}' for k, v in examples.items())})")
    for path in found:
        print(f"fuzz: failing input saved: {path.relative_to(TESTS.parent)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
