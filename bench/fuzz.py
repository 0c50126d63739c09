"""A mutation fuzzer for carbonlint: mutate the test suite's cards and look for what breaks.

Every mutant goes through the whole pipeline as a user's card would: read from bytes, checked
with every rule enabled, and written by every output format. What counts as a failure:

- an exception escaping the reader, the checker or a formatter (a traceback for the user);
- a report with ``internal_error`` set (a bug in carbonlint, not in the card);
- machine output (json, sarif, gitlab) that does not parse as one JSON document;
- one input taking more than ``--slow`` seconds of CPU (a superlinear path).

Failures are written to ``bench/out/fuzz/`` with their kind and traceback, one file each,
deduplicated by where they failed. Keep each real crasher as a regression card in
``tests/fuzz_regressions/`` (tests/test_fuzz.py runs every file there).

    python bench/fuzz.py --seconds 600              # ten minutes, seed 0
    python bench/fuzz.py --seconds 60 --seed 7 --out /tmp/fuzz
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import carbonlint  # noqa: F401 - the installed one, as the tests use it
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from carbonlint.card import parse_bytes  # noqa: E402
from carbonlint.checker import check_card  # noqa: E402
from carbonlint.config import Config  # noqa: E402
from carbonlint.formatters import REPORTER_BY_NAME, Summary, reporter_for  # noqa: E402

MACHINE_FORMATS = ("json", "sarif", "gitlab")

# Pieces that reach the corners of the reader and the rules: YAML syntax and tags, extreme
# numbers, Unicode that formatters must neutralise, and the words the prose reader looks for.
TOKENS = [
    "---\n", "\n---\n", "- ", ": ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: *a\n", "!!",
    "!!timestamp ", "!!bool ", "!!int ", "!!float ", "!!set ", "!!map ", "!!seq ", "!!omap ",
    "!!binary ", "!!python/object:os.system ", "!!str ", "%YAML 1.1\n", "|\n  ", ">-\n  ", "'", '"',
    "\t", "\r", "\r\n", "\x00", "\ufeff", "\u2028", "\u202e", "\u2066", "\x1b[31m", "\x85", "\x7f",
    "::warning::", "##[error]", "%0A", "[link](https://example.com)", "<img src=x>", "www.example.com",
    "1" + "0" * 400, "9" * 4400, "5e-324", "1.0e+308", "-1.0e+308", ".inf", "-.inf", ".nan", "0x1F",
    "0o17", "1_000", "1:30:00", "2023-02-30", "~", "null", "yes", "NaN", "-0", "1e3", "0.0000001",
    "co2_eq_emissions:", "co2_eq_emissions:\n  emissions: ", "\n  hardware_used: ",
    "\n  hours_used: ", "\n  energy_consumed: ", "\n  geographical_location: ", "\n  source: ",
    "\n  training_type: ", "model-index:\n- name: m\n  results:\n  - metrics:\n    - value: ",
    "pipeline_tag: text-classification\n", "tags:\n- autotrain\n", "# carbonlint: ignore\n",
    "# carbonlint: ignore[CL1]", "<!-- carbonlint: disable-file -->", "Hardware Type:",
    "Hours used:", "Carbon Emitted:", "Compute Region:", "kg CO2", "tCO2eq", "kWh", "g of CO2",
    "8 x A100", "TPUv3-8", "x", " x ", "GPU", "hours", "days", "minutes", "us-east-1", "France",
    "trained for ", "emitted ", "<td>", "| --- |", "```\n", "<!--", "-->",
]


def seeds() -> list[bytes]:
    found = sorted({*ROOT.glob("tests/cards/**/*.md"), *ROOT.glob("tests/fixtures/**/*.md"),
                    *ROOT.glob("tests/fuzz_regressions/*"), *ROOT.glob("examples/*.md")})
    return [p.read_bytes() for p in found if p.is_file()]


def mutate(data: bytes, pool: list[bytes], rng: random.Random) -> bytes:
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
        where = rng.randrange(len(data) + 1)
        kind = rng.randrange(9)
        if kind == 0 and data:  # flip a byte
            data = data[:where] + bytes([rng.randrange(256)]) + data[where + 1:]
        elif kind == 1:  # a dictionary token
            data = data[:where] + rng.choice(TOKENS).encode("utf-8") + data[where:]
        elif kind == 2 and data:  # delete a span
            data = data[:where] + data[where + rng.randrange(1, 64):]
        elif kind == 3 and data:  # duplicate a span
            span = data[where:where + rng.randrange(1, 128)]
            data = data[:where] + span * rng.randrange(2, 50) + data[where:]
        elif kind == 4:  # a long run of one character class
            run = rng.choice((b"9", b" ", b"[", b"- ", b"x", b"a,", b"\n", b"1 ", b"#", b"\t"))
            data = data[:where] + run * rng.choice((100, 1000, 20_000)) + data[where:]
        elif kind == 5:  # splice another card
            other = rng.choice(pool)
            cut = rng.randrange(len(other) + 1)
            data = data[:where] + other[cut:cut + rng.randrange(1, 2000)]
        elif kind == 6 and data:  # change a digit
            digits = [i for i, b in enumerate(data) if 48 <= b <= 57]
            if digits:
                i = rng.choice(digits)
                data = data[:i] + rng.choice(TOKENS[60:80]).encode() + data[i + 1:]
        elif kind == 7:  # indentation
            data = data[:where] + b" " * rng.randrange(1, 12) + data[where:]
        else:  # a random printable or Unicode character
            data = data[:where] + chr(rng.choice((rng.randrange(32, 127), rng.randrange(0x80, 0x3000)))
                                      ).encode("utf-8", "surrogatepass") + data[where:]
    return data[:12_000_000]


class Slow(Exception):
    pass


def run_one(data: bytes, config: Config) -> tuple[str, str] | None:
    """(kind, detail) of a failure, or None."""
    try:
        report = check_card(parse_bytes(data, "fuzz/README.md"), config)
        if report.internal_error:
            return "internal-error", report.error or ""
        for name in REPORTER_BY_NAME:
            stream = io.StringIO()
            reporter = reporter_for(name, stream, color=False)
            summary = Summary()
            summary.add(report, below_min_class=False)
            reporter.report(report)
            reporter.close(summary)
            if name in MACHINE_FORMATS:
                json.loads(stream.getvalue())
    except Slow:
        raise
    except json.JSONDecodeError as exc:
        return "broken-json", repr(exc)
    except Exception:  # noqa: BLE001 - that is what we are looking for
        return "exception", traceback.format_exc()
    return None


def signature(kind: str, detail: str) -> str:
    # Deduplicate by the last frame in carbonlint (or the message for internal errors).
    lines = [line for line in detail.splitlines() if "carbonlint" in line and "File" in line]
    key = lines[-1] if lines else detail.split(":")[0][:120]
    return hashlib.sha1(f"{kind}|{key}".encode()).hexdigest()[:10]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=1.0, help="CPU seconds that make an input slow")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "fuzz"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    pool = seeds()
    config = Config()  # every rule (select = ALL by default)

    def expire(signum, frame):
        raise Slow

    signal.signal(signal.SIGALRM, expire)
    start, runs, found, slow_inputs = time.monotonic(), 0, {}, 0
    while time.monotonic() - start < args.seconds:
        data = mutate(rng.choice(pool), pool, rng)
        before = resource.getrusage(resource.RUSAGE_SELF)
        signal.alarm(30)
        try:
            failure = run_one(data, config)
        except Slow:
            failure = ("hang", "more than 30 s")
        finally:
            signal.alarm(0)
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if failure is None and cpu > args.slow:
            failure = ("slow", f"{cpu:.2f} s CPU for {len(data):,} bytes")
            slow_inputs += 1
        runs += 1
        if failure is not None:
            kind, detail = failure
            key = signature(kind, detail)
            if key not in found:
                found[key] = (kind, detail.strip().splitlines()[-1][:200] if detail.strip() else "")
                (out / f"{kind}-{key}.md").write_bytes(data)
                (out / f"{kind}-{key}.txt").write_text(detail)
                print(f"[{runs}] {kind} {key}: {found[key][1]}", flush=True)
        if len(pool) < 400 and rng.random() < 0.02 and failure is None:
            pool.append(data[:200_000])  # keep some mutants as seeds: deeper mutations
    elapsed = time.monotonic() - start
    print(f"{runs:,} inputs in {elapsed:.0f} s ({runs / elapsed:.0f}/s), seed {args.seed}: "
          f"{len(found)} distinct failures ({slow_inputs} slow inputs), written to {out}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
