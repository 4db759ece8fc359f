import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

settings.register_profile("ci", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=120, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def disk_full_on_second_file(monkeypatch):
    """The disk fills up while the second file of a set is being written."""
    import errno

    from tunewise.storage import atomic
    real_fill, calls = atomic._fill, []

    def full_on_second(handle, data):
        calls.append(handle)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fill(handle, data)

    monkeypatch.setattr(atomic, "_fill", full_on_second)


@pytest.fixture
def anyio_backend() -> str:
    """The Textual tests run on asyncio."""
    return "asyncio"


@pytest.fixture
def tui_data_dir(tmp_path, monkeypatch) -> Path:
    """Sessions, clients and exports of a TUI test in a folder of its own, the test's folder current."""
    monkeypatch.setenv("TUNEWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"
