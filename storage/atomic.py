"""Atomic file writes: the new content appears under its name all at once, or not at all.

The data is first staged in the target's folder: in an unnamed file (Linux O_TMPFILE,
which the kernel discards if the process dies) or else in a named temporary file. Then
it is given its name: linked (so nothing someone else wrote is replaced, when overwriting
is not allowed) or renamed over the target. Where linking is refused (EPERM on some
network and FUSE file systems), the named file is renamed instead. The folder is synced
after, so the new name survives a power cut. A reader never sees a half-written file,
and an earlier version survives an interrupted run.

`write_all` stages a whole set of files before naming any of them, so a disk that fills
up part-way leaves the earlier set, not a mixture.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

# link() refused by the file system rather than by a real problem with the target
LINK_REFUSED = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK, errno.EXDEV}


class ExistsError(FileExistsError):
    """The target exists and overwriting was not allowed."""


@dataclass
class _Staged:
    target: Path
    data: bytes
    handle: int = -1            # an open O_TMPFILE file, or -1
    temporary: str | None = None  # a named temporary file, or None


def _fill(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]
    os.fsync(handle)


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _stage_named(staged: _Staged) -> None:
    handle, staged.temporary = tempfile.mkstemp(prefix=f".{staged.target.name}.", suffix=".tmp",
                                                dir=_folder(staged.target))
    try:
        _fill(handle, staged.data)
        os.fchmod(handle, 0o644)
    finally:
        os.close(handle)


def _stage(path: Path, data: bytes) -> _Staged:
    staged = _Staged(target=path, data=data)
    if hasattr(os, "O_TMPFILE"):
        try:
            staged.handle = os.open(_folder(path), os.O_TMPFILE | os.O_WRONLY, 0o644)
        except OSError:
            staged.handle = -1
    try:
        if staged.handle >= 0:
            _fill(staged.handle, data)
        else:
            _stage_named(staged)
    except BaseException:
        _discard(staged)
        raise
    return staged


def _discard(staged: _Staged) -> None:
    if staged.handle >= 0:
        os.close(staged.handle)
        staged.handle = -1
    if staged.temporary:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staged.temporary)
        staged.temporary = None


def _link_unnamed(handle: int, target: Path) -> None:
    # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N gives an O_TMPFILE file a name.
    proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(handle), target, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _publish(staged: _Staged, overwrite: bool) -> None:
    """Give the staged file its final name."""
    path = staged.target
    if staged.handle >= 0:
        name = path if not overwrite else path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            _link_unnamed(staged.handle, name)
        except OSError as exc:
            if exc.errno not in LINK_REFUSED and not isinstance(exc, FileNotFoundError):
                raise
            # No way to name an unnamed file here: stage it again under a name.
            os.close(staged.handle)
            staged.handle = -1
            _stage_named(staged)
        else:
            os.close(staged.handle)
            staged.handle = -1
            if not overwrite:
                return
            staged.temporary = str(name)
    assert staged.temporary is not None
    if overwrite:
        os.replace(staged.temporary, path)
    else:
        try:
            # link() refuses an existing name, so nothing someone else wrote is replaced.
            os.link(staged.temporary, path, follow_symlinks=False)
        except FileExistsError:
            raise ExistsError(f"{path} already exists (use --force to replace it)") from None
        except OSError as exc:
            if exc.errno not in LINK_REFUSED:
                raise
            if os.path.lexists(path):
                raise ExistsError(f"{path} already exists (use --force to replace it)") from None
            os.replace(staged.temporary, path)
        else:
            os.unlink(staged.temporary)
    staged.temporary = None


def _sync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:     # some file systems cannot sync a folder; the rename itself still stands
        pass
    finally:
        os.close(handle)


def write_all(items: list[tuple[str | Path, bytes]], overwrite: bool = True) -> list[Path]:
    """Write several files as one set: all are staged before any is named.

    If staging fails (a full disk, say), nothing is named and the earlier files stay.
    """
    staged: list[_Staged] = []
    try:
        for path, data in items:
            path = Path(path)
            if not overwrite and os.path.lexists(path):
                raise ExistsError(f"{path} already exists (use --force to replace it)")
            staged.append(_stage(path, data))
        for each in staged:
            _publish(each, overwrite)
    finally:
        for each in staged:
            _discard(each)
    for folder in dict.fromkeys(_folder(each.target) for each in staged):
        _sync_folder(folder)
    return [each.target for each in staged]


def write_bytes(path: str | Path, data: bytes, overwrite: bool = True) -> Path:
    return write_all([(path, data)], overwrite=overwrite)[0]


def write_text(path: str | Path, text: str, overwrite: bool = True) -> Path:
    return write_bytes(path, text.encode("utf-8"), overwrite=overwrite)
