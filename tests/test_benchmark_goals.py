"""The benchmark's verdict on a goal in milliseconds, at this run's speed and at the reference's."""

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "benchmark_run", Path(__file__).resolve().parent.parent / "benchmarks" / "run.py")
assert _SPEC and _SPEC.loader
run = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(run)


def test_a_goal_met_at_this_runs_speed_says_met_and_nothing_more():
    assert run.engine_goal(0.015, 750, 0.020) == "<= 20 ms  met"


def test_a_slow_run_whose_ratio_meets_the_goal_at_the_reference_speed_says_both():
    verdict = run.engine_goal(0.030, 750, 0.020)
    assert verdict.startswith("<= 20 ms  MISSED at this run's speed")
    assert "15 ms at the reference baseline of 20 us, met" in verdict


def test_a_ratio_too_high_for_the_reference_speed_is_missed_there_too():
    verdict = run.engine_goal(0.030, 1500, 0.020)
    assert verdict.endswith("30 ms at the reference baseline of 20 us, MISSED")


def test_paired_ratios_compare_each_call_with_the_baseline_timed_beside_it(monkeypatch):
    # The engine call takes five baseline calls' time. The machine runs at full speed, then
    # at a third, then slows in the middle of the last round: each round's ratio reads its own
    # speed, so the median ratio is 5 where the seconds alone (15) or a ratio of the medians
    # (15 / 1) would make the engine three times slower.
    clock = [0.0]
    speed = iter([1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 1.0, 1.0, 3.0])   # per round: baseline, baseline, engine

    def work(amount: float):
        def call() -> None:
            clock[0] += amount * next(speed)
        return call

    monkeypatch.setattr(run.time, "process_time", lambda: clock[0])
    seconds, ratio = run.paired(work(5.0), work(1.0), count=3, block=2)
    assert (seconds, ratio) == (15.0, 5.0)
