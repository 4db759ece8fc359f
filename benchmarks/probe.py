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
