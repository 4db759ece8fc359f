"""tunewise benchmark: every figure as a ratio against a baseline measured in the same run.

    python3 benchmarks/run.py            # full run (a few minutes on 2 cores)
    python3 benchmarks/run.py --quick    # fewer repetitions and files; checks it all still works

Medians of repeated runs. Goals (issue 7) are printed beside each ratio; nothing
here fails on a missed goal, it reports it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "regulated-clinic.yaml"
PY = sys.executable
ROWS: list[tuple[str, str, str, str]] = []


def median_seconds(command: list[str], repeat: int, cwd: Path = ROOT, env=None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name: str, value: str, ratio: str, goal: str) -> None:
    ROWS.append((name, value, ratio, goal))
    print(f"{name:58} {value:>14} {ratio:>10}   goal {goal}", flush=True)


def tunewise_command() -> list[str]:
    found = shutil.which("tunewise")
    return [found] if found else [PY, "-m", "tunewise"]


def bench_startup(repeat: int) -> None:
    base = median_seconds([PY, "-c", "pass"], repeat)
    row("baseline: python -c pass", f"{base * 1000:.0f} ms", "1.00x", "-")
    for label, args in (("tunewise --help", ["--help"]),
                        ("tunewise validate (one file)", ["validate", str(EXAMPLE)])):
        seconds = median_seconds(tunewise_command() + args, repeat)
        ratio = seconds / base
        row(label, f"{seconds * 1000:.0f} ms", f"{ratio:.2f}x", f"<= 8x  {'met' if ratio <= 8 else 'MISSED'}")


def bench_engine(repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tunewise.engine.answers import load_answer_path, require
    from tunewise.engine.assess import assess, quick_decision

    answer_file = require(load_answer_path(EXAMPLE))
    assess(answer_file)

    def timed(function, count):
        samples = []
        for _ in range(count):
            start = time.perf_counter()
            function()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    baseline = timed(lambda: json.loads(json.dumps(answer_file.model_dump(mode="json"))), repeat * 20)
    row("baseline: JSON round trip of the answer file", f"{baseline * 1e6:.0f} us", "1.00x", "-")
    # The live panel reruns the decision after every answer: time one answer changing at a time.
    answers = dict(answer_file.answers)
    volumes = iter(range(10**9))

    def one_answer() -> None:
        answers["monthly_queries"] = 40_000 + next(volumes) % 20_000
        quick_decision(answers, answer_file.currency)

    quick = timed(one_answer, repeat * 20)
    row("engine: live panel, per answer (gates, costs, net value)", f"{quick * 1e6:.0f} us",
        f"{quick / baseline:.0f}x", f"<= 2 ms  {'met' if quick <= 0.002 else 'MISSED'}")
    bare = timed(lambda: assess(answer_file, with_sensitivity=False), max(3, repeat))
    row("engine: assessment, gates + costs + Monte Carlo (2,000 draws)", f"{bare * 1e3:.1f} ms",
        f"{bare / baseline:.0f}x", f"<= 20 ms  {'met' if bare <= 0.020 else 'MISSED'}")
    full = timed(lambda: assess(answer_file), max(3, repeat))
    row("engine: full assessment (gates, costs, Monte Carlo, sensitivity)", f"{full * 1e3:.1f} ms",
        f"{full / baseline:.0f}x", f"<= 20 ms  {'met' if full <= 0.020 else 'MISSED'}")


def bench_pdf(repeat: int, work: Path, quick: bool) -> None:
    out = work / "pdf"
    out.mkdir()
    subprocess.run(tunewise_command() + ["report", str(EXAMPLE), "--format", "html,pdf", "--out",
                                         str(out)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    html = out / "regulated-clinic.html"
    ours = median_seconds(tunewise_command() + ["report", str(EXAMPLE), "--format", "pdf", "--out",
                                                str(out)], repeat)
    theirs = median_seconds([PY, "-m", "weasyprint", str(html), str(work / "weasy.pdf")], repeat)
    row("baseline: WeasyPrint CLI on the same HTML", f"{theirs * 1000:.0f} ms", "1.00x", "-")
    ratio = ours / theirs
    row("tunewise report --format pdf (whole process)", f"{ours * 1000:.0f} ms", f"{ratio:.2f}x",
        f"<= 1.3x  {'met' if ratio <= 1.3 else 'MISSED'}")
    chromium = shutil.which("chromium")
    if chromium and not quick:
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={work / 'chrome'}", "--no-pdf-header-footer",
                   f"--print-to-pdf={work / 'chrome.pdf'}", html.as_uri()]
        chrome = median_seconds(command, repeat)
        row("  for comparison: chromium --headless --print-to-pdf", f"{chrome * 1000:.0f} ms",
            f"{ours / chrome:.2f}x", "(ours / chromium)")


def bench_batch(files: int, work: Path) -> None:
    folder = work / "batch"
    folder.mkdir()
    text = EXAMPLE.read_text()
    for index in range(files):
        (folder / f"client-{index:03d}.yaml").write_text(
            text.replace("monthly_queries: 50000", f"monthly_queries: {1000 + 997 * index}"))
    paths = sorted(folder.iterdir())
    formats = "html,pdf"

    peaks = []

    def run(args):
        # Through a small wrapper whose RUSAGE_CHILDREN covers just this batch (its main
        # process and workers), not the browser or anything else this script started.
        wrapper = ("import resource, subprocess, sys\n"
                   "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
                   "stderr=subprocess.DEVNULL)\n"
                   "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
        start = time.perf_counter()
        done = subprocess.run([PY, "-c", wrapper, *tunewise_command(), *args], check=True, cwd=ROOT,
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        peaks.append(int(done.stdout.split()[-1]) / 1024)
        return elapsed

    start = time.perf_counter()
    for path in paths:
        subprocess.run(tunewise_command() + ["report", str(path), "--format", formats, "--out",
                                             str(work / "single")], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    single = time.perf_counter() - start
    row(f"baseline: {files} files, one process per file", f"{single:.1f} s", "1.00x", "-")
    one = run(["report", str(folder), "--format", formats, "--out", str(work / "j1"), "--jobs", "1"])
    two = run(["report", str(folder), "--format", formats, "--out", str(work / "j2"), "--jobs", "2"])
    row(f"batch of {files}, --jobs 2: speed-up over one process per file", f"{two:.1f} s",
        f"{single / two:.2f}x", f">= 3x  {'met' if single / two >= 3 else 'MISSED'}")
    row(f"batch of {files}, --jobs 2: speed-up over --jobs 1 ({one:.1f} s)", f"{two:.1f} s",
        f"{one / two:.2f}x", f">= 1.7x  {'met' if one / two >= 1.7 else 'MISSED'}")
    peak = max(peaks)
    row("peak memory of a batch process (main or worker)", f"{peak:.0f} MB", "-",
        f"<= 200 MB  {'met' if peak <= 200 else 'MISSED'}")


TUI_PROBE = r"""
import asyncio, resource, sys, time
start = time.perf_counter()
from benchmarks.probe import first_question_seconds
seconds = asyncio.run(first_question_seconds(start))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds} {peak}")
"""


ADVISOR_PROBE = r"""
import asyncio
from benchmarks.probe import answer_to_advisor_seconds
answers, idle = asyncio.run(answer_to_advisor_seconds())
print(" ".join(map(str, answers)))
print(" ".join(map(str, idle)))
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_advisor(env: dict) -> None:
    done = subprocess.run([PY, "-c", ADVISOR_PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)
    answers_line, idle_line = done.stdout.strip().splitlines()[-2:]
    answers = [float(x) for x in answers_line.split()]
    idle = statistics.median(float(x) for x in idle_line.split())
    p95 = percentile(answers, 0.95)
    row(f"TUI: answer to advisor updated, p95 of {len(answers)}", f"{p95 * 1000:.0f} ms",
        f"{p95 / idle:.1f}x", f"<= 50 ms  {'met' if p95 <= 0.05 else 'MISSED'}"
        " (ratio: a key press that changes nothing)")


def bench_tui(repeat: int) -> None:
    if not (ROOT / "benchmarks" / "probe.py").exists():
        row("TUI: launch to first question", "n/a", "-", "benchmarks/probe.py missing")
        return
    base = median_seconds([PY, "-c", "pass"], repeat)
    samples, peaks = [], []
    env = dict(os.environ, TEXTUAL_ANIMATIONS="none")
    with tempfile.TemporaryDirectory() as data:
        env["TUNEWISE_DATA_DIR"] = data
        for _ in range(repeat):
            start = time.perf_counter()
            done = subprocess.run([PY, "-c", TUI_PROBE], cwd=ROOT, env=env, capture_output=True,
                                  text=True, check=True)
            elapsed = time.perf_counter() - start
            inside, peak = (float(x) for x in done.stdout.split()[-2:])
            samples.append(elapsed - (elapsed - inside) + base)   # process start + in-process time
            peaks.append(peak)
    seconds = statistics.median(samples)
    row("TUI: launch to first question on screen (Pilot)", f"{seconds * 1000:.0f} ms",
        f"{seconds / base:.1f}x", f"<= 1 s  {'met' if seconds <= 1 else 'MISSED'}")
    row("TUI: peak memory", f"{max(peaks):.0f} MB", "-",
        f"<= 200 MB  {'met' if max(peaks) <= 200 else 'MISSED'}")
    with tempfile.TemporaryDirectory() as data:
        env["TUNEWISE_DATA_DIR"] = data
        bench_advisor(env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions; checks it works")
    parser.add_argument("--only", choices=("tui",), help="run only these rows (and start-up)")
    args = parser.parse_args()
    repeat = 2 if args.quick else 7
    print(f"tunewise benchmark on {platform.node()}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.platform()}")
    print(f"{'measure':58} {'value':>14} {'ratio':>10}")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        bench_startup(repeat)
        if args.only != "tui":
            bench_engine(repeat)
            bench_pdf(2 if args.quick else 5, work, args.quick)
            bench_batch(6 if args.quick else 100, work)
        bench_tui(2 if args.quick else 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
