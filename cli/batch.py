"""Rendering answer files in worker processes, with a time limit per report.

Workers are started with `spawn` (no fork with threads alive), import the heavy
libraries once, then render report after report. Each worker:

- dies with its parent (Linux parent-death signal, plus a watch on the parent's id and
  end-of-file on its pipe elsewhere), so a killed batch leaves no orphan behind;
- stops a report that runs past the time limit itself (an alarm, so a template stuck in
  a loop is reported at its file and line), and is killed by the parent shortly after if
  that does not work;
- when consultant templates are in use, runs under a memory limit (RLIMIT_AS).

A single answer file without templates is rendered in this process: nothing untrusted
runs, and starting a worker would only cost time.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from tunewise.cli.render_one import RenderOptions
from tunewise.engine.escaping import printable
from tunewise.engine.problems import Problem

READY = "ready"
START_SECONDS = 300.0          # for a worker to import its libraries, on a very busy machine
GRACE_SECONDS = 3.0            # after the worker's own alarm, before the parent kills it
MEMORY_HEADROOM = 768 * 1024 ** 2   # address space a templates worker may add to its loaded size


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
        lines += [f"  failed: {printable(path)}: {printable(why)}" for path, why in self.failed.items()]
        return "\n".join(lines)


@dataclass
class Outcome:
    written: list[str]
    problems: list[Problem]
    failure: str | None = None
    retire: bool = False        # the worker should not be trusted with another report


def _failed(job: BatchJob, question: str, message: str, retire: bool = False) -> Outcome:
    return Outcome([], [Problem(file=job.path, question=question, message=message)], message, retire)


def _run_job(job: BatchJob, options: RenderOptions, timeout: float) -> Outcome:
    from tunewise.cli.render_one import render_one
    from tunewise.engine.problems import InputError

    try:
        written, problems = render_one(job.path, job.stem, options)
    except InputError as exc:
        message = exc.problems[0].message if exc.problems else "bad input"
        return Outcome([], exc.problems, message)
    except TimeoutError:
        return _failed(job, "report", f"took longer than {timeout:g} s and was stopped", retire=True)
    except MemoryError:
        return _failed(job, "report", "ran out of memory and was stopped", retire=True)
    except OSError as exc:
        return _failed(job, "output", f"cannot write the report: {exc.strerror or exc}; "
                                      "none of its files was written or changed")
    except Exception as exc:  # one broken report must not stop the batch
        if options.debug:
            raise
        return _failed(job, "report", f"unexpected failure: {type(exc).__name__}: {exc}")
    failure = None
    if not written and any(p.severity == "error" for p in problems):
        failure = next(p.message for p in problems if p.severity == "error")
    return Outcome(written, problems, failure)


# --- inside a worker -------------------------------------------------------------------------

def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes
            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    if os.getppid() != parent_pid:      # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _limit_memory() -> None:
    """Cap the address space at what the loaded worker uses plus MEMORY_HEADROOM."""
    try:
        import resource
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    limit = size + MEMORY_HEADROOM
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _alarm(signum, frame):
    raise TimeoutError("the report ran past its time limit")


def _warm_up(formats: list[str]) -> None:
    """Import what rendering needs once per worker, not once per report."""
    import tunewise.engine.assess  # noqa: F401
    if "pdf" in formats or "html" in formats:
        from tunewise.report import render as report_render
        if "pdf" in formats:
            report_render.warm_up()


def _worker(connection: Connection, options: RenderOptions, timeout: float, parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the parent handles Ctrl-C and stops us
    _warm_up(options.formats)
    if options.templates:
        _limit_memory()
    alarm = hasattr(signal, "setitimer")       # not on Windows: the parent's kill still applies
    if alarm:
        signal.signal(signal.SIGALRM, _alarm)
    connection.send(READY)      # the time limit counts from here, not from a slow start
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):     # the parent is gone
            return
        if job is None:
            return
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            outcome = _run_job(job, options, timeout)
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        connection.send(outcome)
        if outcome.retire:
            return


# --- in the parent ---------------------------------------------------------------------------

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
            print(f"[{self.done}/{self.total}] {printable(job.path)}: {status}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_batch(jobs: list[BatchJob], options: RenderOptions, workers: int | None = None,
              timeout: float = 120.0) -> BatchSummary:
    summary = BatchSummary(total=len(jobs))
    progress = _Progress(len(jobs))
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    try:
        if len(jobs) <= 1 and not options.templates:
            for job in jobs:
                _record(summary, job, _run_job(job, options, timeout), progress)
        else:
            _Pool(options, workers, timeout).run(jobs, summary, progress)
    finally:
        progress.close()
    return summary


def _record(summary: BatchSummary, job: BatchJob, outcome: Outcome, progress: _Progress) -> None:
    summary.written += outcome.written
    summary.problems += outcome.problems
    if outcome.failure:
        summary.failed[job.path] = outcome.failure
    else:
        summary.rendered += 1
    progress.step(job, outcome.failure)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    job: BatchJob | None = None
    began: float = 0.0
    ready: bool = False
    started: float = field(default_factory=time.monotonic)


class _Pool:
    def __init__(self, options: RenderOptions, size: int, timeout: float):
        self.options, self.size, self.timeout = options, size, timeout
        self.context = multiprocessing.get_context("spawn")

    def start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.options, self.timeout, os.getpid()),
                                       daemon=True, name="tunewise-render")
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, jobs: list[BatchJob], summary: BatchSummary, progress: _Progress) -> None:
        pending = list(reversed(jobs))
        workers = [self.start() for _ in range(self.size)]
        try:
            while pending or any(w.job for w in workers):
                for worker in workers:
                    if worker.ready and worker.job is None and pending:
                        worker.job, worker.began = pending.pop(), time.monotonic()
                        worker.connection.send(worker.job)
                waiting = {w.connection: w for w in workers if w.job or not w.ready}
                for connection in wait(list(waiting), timeout=0.5):
                    worker = waiting[connection]
                    if worker.ready:
                        self._collect(worker, workers, summary, progress)
                    else:
                        self._greet(worker)
                self._stop_overdue(workers, summary, progress)
        finally:
            self._close(workers)

    def _greet(self, worker: _Worker) -> None:
        try:
            worker.ready = worker.connection.recv() == READY
        except (EOFError, OSError):
            worker.ready = False
        if not worker.ready:
            worker.process.join(timeout=5)
            raise RuntimeError(f"a rendering worker failed to start (exit status {worker.process.exitcode})")

    def _replace(self, worker: _Worker, workers: list[_Worker]) -> None:
        with contextlib.suppress(OSError):
            worker.connection.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        workers[workers.index(worker)] = self.start()

    def _collect(self, worker: _Worker, workers, summary, progress) -> None:
        job = worker.job
        assert job is not None
        try:
            outcome = worker.connection.recv()
        except (EOFError, OSError):
            outcome = _failed(job, "report", "the worker rendering it stopped", retire=True)
        worker.job = None
        _record(summary, job, outcome, progress)
        if outcome.retire:
            self._replace(worker, workers)

    def _stop_overdue(self, workers, summary, progress) -> None:
        now = time.monotonic()
        for worker in workers:
            if not worker.ready and now - worker.started > START_SECONDS:
                raise RuntimeError(f"a rendering worker did not start within {START_SECONDS:g} s")
        for worker in list(workers):
            if worker.job and now - worker.began > self.timeout + GRACE_SECONDS:
                job = worker.job
                worker.job = None
                message = f"took longer than {self.timeout:g} s and was stopped"
                if self.options.templates:
                    message += f" (templates: {self.options.templates})"
                _record(summary, job, _failed(job, "report", message), progress)
                self._replace(worker, workers)

    def _close(self, workers: list[_Worker]) -> None:
        for worker in workers:
            with contextlib.suppress(OSError):
                if worker.job is None and worker.ready:
                    worker.connection.send(None)
        deadline = time.monotonic() + 5
        for worker in workers:
            if worker.job is None and worker.ready:
                worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
