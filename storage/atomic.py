"""Atomic file writes: the new content appears under its name all at once, or not at all.

The data is written to an unnamed file in the target's folder (Linux
O_TMPFILE), which the kernel discards if the process dies, then given a
name and renamed over the target. Where O_TMPFILE is missing, a named
temporary file in the same folder is used and removed on failure. Either way
a reader never sees a half-written file, and an earlier version survives an
interrupted run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path


class ExistsError(FileExistsError):
    """The target exists and overwriting was not allowed."""


def _fill(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]
    os.fsync(handle)


def _link(source: str, target: Path, source_dir: int | None) -> None:
    if source_dir is None:
        os.link(source, target, follow_symlinks=False)
    else:
        # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N names an O_TMPFILE file.
        os.link(source, target, src_dir_fd=source_dir, follow_symlinks=True)


def _publish(source: str, path: Path, overwrite: bool, source_dir: int | None) -> None:
    """Give the finished file its final name."""
    if not overwrite:
        # link() refuses an existing name, so nothing someone else wrote is replaced.
        _link(source, path, source_dir)
        return
    staging = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    _link(source, staging, source_dir)
    try:
        os.replace(staging, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staging)
        raise


def write_bytes(path: str | Path, data: bytes, overwrite: bool = True) -> Path:
    path = Path(path)
    if not overwrite and path.exists():
        raise ExistsError(f"{path} already exists (use --force to replace it)")
    folder = path.parent if str(path.parent) else Path(".")
    if hasattr(os, "O_TMPFILE"):
        try:
            handle = os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o644)
        except OSError:
            handle = -1
        if handle >= 0:
            proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
            try:
                _fill(handle, data)
                _publish(str(handle), path, overwrite, proc)
            finally:
                os.close(handle)
                os.close(proc)
            return path
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        _fill(handle, data)
        os.close(handle)
        handle = -1
        os.chmod(temporary, 0o644)
        _publish(temporary, path, overwrite, None)
    finally:
        if handle >= 0:
            os.close(handle)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return path


def write_text(path: str | Path, text: str, overwrite: bool = True) -> Path:
    return write_bytes(path, text.encode("utf-8"), overwrite=overwrite)
