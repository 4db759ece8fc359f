"""A timing probe for benchmarks/run.py: launch the app and wait for the first question.

It opens a fresh answer file that names only the client, as a consultant would
at the start of a session, and returns the seconds from ``start`` (taken by
the caller before any import) until a question is on screen.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

CLIENT_ONLY = "version: 1\nclient: {name: Probe Ltd, project: Timing}\nanswers: {}\n"


async def first_question_seconds(start: float) -> float:
    from tunewise.tui.app import TunewiseApp
    from tunewise.tui.session import Session

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "probe.yaml"
        path.write_text(CLIENT_ONLY)
        app = TunewiseApp(session=Session.open(path))
        async with app.run_test(size=(100, 32)) as pilot:
            while type(app.screen).__name__ != "InterviewScreen" or not app.screen.query("QuestionForm"):
                await pilot.pause(0.005)
            await pilot.pause()
            return time.perf_counter() - start


async def answer_to_advisor_seconds(rounds: int = 2) -> tuple[list[float], list[float]]:
    """Seconds from an answer's key press until the advisor shows its effect, per answer.

    Also returns, as a baseline measured in the same run, the seconds a key press that
    changes nothing takes to go through the app (the Pilot's own round trip).
    """
    from tunewise.tui.app import TunewiseApp
    from tunewise.tui.screen_interview import InterviewScreen
    from tunewise.tui.session import Session

    answers: list[float] = []
    idle: list[float] = []
    updated: list[float] = []
    original = InterviewScreen.refresh_advisor

    def timed_refresh(screen: InterviewScreen) -> None:
        # The moment the advisor holds the new answer's effect (before the next question
        # is built, which the Pilot's press would otherwise wait for too).
        before = screen.advisor_updates
        original(screen)
        if screen.advisor_updates != before:
            updated.append(time.perf_counter())

    InterviewScreen.refresh_advisor = timed_refresh  # type: ignore[method-assign]
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "probe.yaml"
            path.write_text(CLIENT_ONLY)
            app = TunewiseApp(session=Session.open(path))
            async with app.run_test(size=(100, 32)) as pilot:
                while type(app.screen).__name__ != "InterviewScreen" \
                        or not app.screen.query("QuestionForm"):
                    await pilot.pause(0.005)
                await pilot.pause()
                for _ in range(40):
                    screen = app.screen
                    if type(screen).__name__ != "InterviewScreen":
                        break
                    begin = time.perf_counter()
                    await pilot.press("f24")                # bound to nothing
                    idle.append(time.perf_counter() - begin)
                    updated.clear()
                    begin = time.perf_counter()
                    await pilot.press("enter")              # the shown answer
                    if updated:
                        answers.append(updated[0] - begin)
    InterviewScreen.refresh_advisor = original  # type: ignore[method-assign]
    return answers, idle
