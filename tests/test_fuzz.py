"""Fuzzing `tunewise report` with YAML text mutations of the shipped examples.

Every mutant must end in exit status 0 or 2, with no traceback and no "unexpected
failure", a first line naming the file, strict JSON when a report is written, and
within 2 s of CPU time (all mutants stay under the 1 MiB cap or are refused by it).

CI runs a few hundred mutants. For a longer campaign set TUNEWISE_FUZZ_EXAMPLES (see
SECURITY.md); TUNEWISE_FUZZ_LOG=FILE appends one JSON line per mutant for a tally.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES
from tunewise.cli.main import main

SEEDS = sorted(EXAMPLES.glob("*.yaml"))
TEXTS = [path.read_bytes() for path in SEEDS]
EXAMPLES_TO_RUN = int(os.environ.get("TUNEWISE_FUZZ_EXAMPLES", "200"))
LOG = os.environ.get("TUNEWISE_FUZZ_LOG")
TIME_LIMIT = 2.0


def _catalogue_keys() -> list[str]:
    from tunewise.engine.assumptions import load_catalogue
    return sorted(load_catalogue().entries)


KEYS = _catalogue_keys()

# Values that once broke something, or might: empty tags, overflow, NaN, zero, huge ints,
# surrogates, control characters, quoting tricks, tabs.
VALUES = [
    b"0", b"-1", b"1", b"0.0", b"1.0e+308", b"-1.0e+308", b"1e-308", b"1" + b"0" * 400, b".nan", b".inf",
    b"-.inf", b"!!float", b"!!int", b"!!bool maybe", b"!!str", b"!!binary x", b'"\\ud800"', b'"\\u0000"',
    b'"\\e]0;x\\a"', b"'2026-11-02'", b'"2026-13-45"', b"2026-02-30", b"~", b"[]", b"{}", b"[1, [2, [3]]]",
    b"yes", b"no", b"on", b"0x1F", b"0o17", b"1_000", b"4000\t", b"&a 1", b"*a", b'"a', b"'b",
    b"!!python/name:os.system", b"|\n  block", b">-\n  folded", b"- - - x", b"? a", b"!!timestamp x",
    b"!!timestamp 2026-99-99", b"!!set {a}", b"!!omap [a: 1]", b"!!pairs [a: 1]", b"!!null x", b"!!merge x",
]
LINES = [
    b"version: !!float", b"version: !!int", b"  ip_ownership: !!bool maybe", b"  name: \"\\ud800\"",
    b"  date: \"2026-11-02\"", b"  monthly_queries: 4000\t", b"note: a \"b", b"x: " + b"[" * 60 + b"]" * 60,
    b"- " * 50 + b"x", b"answers: 3", b"  : x", b"client: null", b"\t- bad", b"assumptions:",
    b"assumptions: {gpu_peak_flops: 0}", b"assumptions: {gpu_hour_usd: 1.0e+308}", b"currency: XXX",
    b"  \"x\\n/etc/passwd:1:1: version: forged\": 1", b"  \"\\e[2J\": 1", b"%YAML 1.1", b"---", b"...",
]


# Byte-level damage mostly ends at the YAML parser; weigh the mutations that keep the file
# readable, so the checks and the assessment behind them are reached too.
ACTIONS = ["delete", "insert", "duplicate"] + ["line", "value", "override"] * 2


@st.composite
def mutants(draw) -> bytes:
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(ACTIONS))
        position = draw(st.integers(0, len(text)))
        if action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)):]
        elif action == "insert":
            text = text[:position] + draw(st.binary(min_size=1, max_size=12)) + text[position:]
        elif action == "line":
            lines = text.split(b"\n")
            lines[draw(st.integers(0, len(lines) - 1))] = draw(st.sampled_from(LINES))
            text = b"\n".join(lines)
        elif action == "value":
            lines = text.split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            if b": " in lines[index]:
                key = lines[index].split(b": ", 1)[0]
                lines[index] = key + b": " + draw(st.sampled_from(VALUES))
            text = b"\n".join(lines)
        elif action == "override":
            key = draw(st.sampled_from(KEYS)).encode()
            section = b"" if b"\nassumptions:" in text else b"\nassumptions:"
            value = draw(st.sampled_from(VALUES))
            text = text.rstrip(b"\n") + section + b"\n  " + key + b": " + value + b"\n"
        else:
            text = text + text[position:]
    return text


def _strict(data: str) -> None:
    def refuse(name):
        raise ValueError(f"non-strict JSON token {name}")
    json.loads(data, parse_constant=refuse)


def check_mutant(folder: Path, text: bytes, capsys) -> dict:
    """Run `tunewise report` on one mutant; return what happened (asserted by the caller)."""
    path = folder / "mutant.yaml"
    path.write_bytes(text)
    out = folder / "out"
    target = out / "mutant.json"
    if target.exists():
        target.unlink()
    capsys.readouterr()
    started, cpu = time.perf_counter(), time.process_time()
    status = main(["report", str(path), "--format", "json", "--out", str(out)])
    # CPU time, not wall time: on a shared machine the wall clock measures the neighbours.
    elapsed = time.process_time() - cpu
    wall = time.perf_counter() - started
    err = capsys.readouterr().err
    outcome = {"status": status, "seconds": round(elapsed, 3), "wall": round(wall, 3), "bytes": len(text),
               "traceback": "Traceback" in err, "unexpected": "unexpected failure" in err,
               "names_file": status == 0 or err.startswith(f"{path}:"), "strict_json": True}
    if status == 0:
        try:
            _strict(target.read_text(encoding="utf-8"))
        except ValueError:
            outcome["strict_json"] = False
    if LOG:
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps(outcome | {"first_line": err.splitlines()[0][:200] if err else ""}) + "\n")
    outcome["stderr"] = err
    return outcome


_warm: list[bool] = []


def _warm_up(folder: Path, capsys) -> None:
    """Render one seed untimed, so the first mutant is not charged for loading the engine."""
    if not _warm:
        check_mutant(folder, TEXTS[0], capsys)
        _warm.append(True)


@settings(max_examples=EXAMPLES_TO_RUN, deadline=None, derandomize=False, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(text=mutants())
def test_report_on_mutated_examples_never_crashes(tmp_path, capsys, text):
    _warm_up(tmp_path, capsys)
    outcome = check_mutant(tmp_path, text, capsys)
    message = f"{outcome}\n{text[:400]!r}"
    assert outcome["status"] in (0, 2), message
    assert not outcome["traceback"] and not outcome["unexpected"], message
    assert outcome["names_file"], message
    assert outcome["strict_json"], message
    if outcome["bytes"] < 1024 * 1024:
        assert outcome["seconds"] < TIME_LIMIT, message


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_the_seeds_themselves_render(tmp_path, capsys, seed):
    outcome = check_mutant(tmp_path, seed.read_bytes(), capsys)
    assert outcome["status"] == 0 and outcome["strict_json"], outcome["stderr"]
