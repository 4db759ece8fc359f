"""Rendering many answer files: a small process pool with a timeout per report.

Each worker process imports the heavy libraries once and then renders report
after report. A report that runs past the timeout has its worker killed and
replaced; bad files are reported and the batch carries on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from tunewise.engine.problems import Problem


@dataclass(frozen=True)
class BatchJob:
    path: str
    stem: str


@dataclass
class BatchSummary:
    total: int = 0
    rendered: int = 0
    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        lines = [f"{self.rendered} of {self.total} answer files rendered"
                 + (f", {len(self.failed)} failed" if self.failed else "")]
        lines += [f"  failed: {path}: {why}" for path, why in self.failed.items()]
        return "\n".join(lines)


def _run_job(job: BatchJob, options: dict) -> tuple[list[str], list[Problem], str | None]:
    from tunewise.cli.commands.report import render_one
    from tunewise.engine.problems import InputError

    try:
        written, problems = render_one(job.path, job.stem, options)
    except InputError as exc:
        return [], exc.problems, exc.problems[0].message if exc.problems else "bad input"
    except OSError as exc:
        problem = Problem(file=job.path, question="output",
                          message=f"cannot write the report: {exc.strerror or exc}")
        return [], [problem], problem.message
    except Exception as exc:  # one broken report must not stop the batch
        if options.get("debug"):
            raise
        problem = Problem(file=job.path, question="report",
                          message=f"unexpected failure: {type(exc).__name__}: {exc}")
        return [], [problem], problem.message
    failure = None
    if not written and any(p.severity == "error" for p in problems):
        failure = next(p.message for p in problems if p.severity == "error")
    return written, problems, failure


def _warm_up(formats: list[str]) -> None:
    """Import what rendering needs once per worker, not once per report."""
    import tunewise.engine.assess  # noqa: F401
    if "pdf" in formats or "html" in formats:
        from tunewise.report import render as report_render
        if "pdf" in formats:
            report_render.warm_up()


def _worker(connection: Connection, options: dict) -> None:
    _warm_up(options["formats"])
    while True:
        job = connection.recv()
        if job is None:
            return
        connection.send(_run_job(job, options))


class _Progress:
    """A progress bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.bar = None
        if sys.stderr.isatty() and total > 1:
            from rich.progress import Progress
            self.bar = Progress(transient=True)
            self.task = self.bar.add_task("rendering", total=total)
            self.bar.start()

    def step(self, job: BatchJob, failure: str | None) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(self.task, advance=1)
        elif self.total > 1:
            status = "failed" if failure else "ok"
            print(f"[{self.done}/{self.total}] {job.path}: {status}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_batch(jobs: list[BatchJob], options: dict, workers: int | None = None,
              timeout: float = 120.0) -> BatchSummary:
    summary = BatchSummary(total=len(jobs))
    progress = _Progress(len(jobs))
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    try:
        if workers == 1 and len(jobs) <= 1:
            for job in jobs:
                _record(summary, job, _run_job(job, options), progress)
        else:
            _pool(jobs, options, workers, timeout, summary, progress)
    finally:
        progress.close()
    return summary


def _record(summary: BatchSummary, job: BatchJob, outcome, progress: _Progress) -> None:
    written, problems, failure = outcome
    summary.written += written
    summary.problems += problems
    if failure:
        summary.failed[job.path] = failure
    else:
        summary.rendered += 1
    progress.step(job, failure)


def _pool(jobs: list[BatchJob], options: dict, workers: int, timeout: float,
          summary: BatchSummary, progress: _Progress) -> None:
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    pending = list(reversed(jobs))
    idle: list[tuple] = []
    busy: dict[Connection, tuple] = {}

    def start():
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, options), daemon=True)
        process.start()
        child.close()
        return process, parent

    try:
        idle = [start() for _ in range(workers)]
        while pending or busy:
            while pending and idle:
                process, connection = idle.pop()
                job = pending.pop()
                connection.send(job)
                busy[connection] = (process, job, time.monotonic())
            ready = wait(list(busy), timeout=1.0)
            for connection in ready:
                process, job, _ = busy.pop(connection)
                try:
                    outcome = connection.recv()
                except (EOFError, OSError):
                    outcome = ([], [Problem(file=job.path, question="report",
                                            message="the worker rendering it stopped")],
                               "the worker rendering it stopped")
                    process, connection = start()
                _record(summary, job, outcome, progress)
                idle.append((process, connection))
            now = time.monotonic()
            for connection, (process, job, began) in list(busy.items()):
                if now - began > timeout:
                    process.kill()
                    process.join()
                    busy.pop(connection)
                    message = f"took longer than {timeout:g} s and was stopped"
                    _record(summary, job, ([], [Problem(file=job.path, question="report",
                                                        message=message)], message), progress)
                    idle.append(start())
    finally:
        for _, connection in idle + [(p, c) for c, (p, _, _) in busy.items()]:
            with contextlib.suppress(OSError):
                connection.send(None)
        for process, _ in idle:
            process.join(timeout=5)
        for process, _ in idle + [(p, c) for c, (p, _, _) in busy.items()]:
            if process.is_alive():
                process.kill()
