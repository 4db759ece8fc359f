"""Files tunewise writes: answer files that read back, written atomically."""

import datetime as dt
import os

import pytest

from tests.conftest import EXAMPLES
from tunewise.engine.answers import load_answer_text
from tunewise.storage.answer_writer import dump_answers, save_answers
from tunewise.storage.atomic import ExistsError, write_text


def test_written_answer_file_reads_back_identically(tmp_path):
    from tunewise.engine.answers import load_answer_path, require
    original = require(load_answer_path(EXAMPLES / "support-tickets.yaml"))
    path = save_answers(tmp_path / "copy.yaml", original.client.model_dump(), original.answers,
                        original.currency, {"gpu_hour_usd": 2.5})
    again = require(load_answer_path(path))
    assert again.answers == original.answers
    assert again.client == original.client and again.client.date == dt.date(2026, 11, 2)
    assert again.currency == "EUR" and again.assumptions == {"gpu_hour_usd": 2.5}


@pytest.mark.parametrize("date", [dt.date(2026, 1, 2), "2026-01-02"])
def test_dates_are_written_so_the_reader_accepts_them(date):
    text = dump_answers({"name": "A", "project": "B", "date": date}, {"privacy": "public"})
    result = load_answer_text(text, "x.yaml", use_defaults=True)
    assert result.ok, [str(p) for p in result.problems]
    assert result.answer_file.client.date == dt.date(2026, 1, 2)


def test_atomic_write_replaces_whole_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "report.json"
    write_text(target, "old")
    write_text(target, "new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["report.json"]
    with pytest.raises(ExistsError):
        write_text(target, "other", overwrite=False)
    assert target.read_text() == "new"


def test_failed_write_keeps_the_earlier_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    write_text(target, "earlier")

    def broken_replace(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_text(target, "later")
    assert target.read_text() == "earlier"
    assert os.listdir(tmp_path) == ["report.json"]


def _refuse_links(monkeypatch):
    import errno

    def refused(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refused)


def test_writes_still_work_where_linking_is_refused(tmp_path, monkeypatch):
    """Issue 12: on file systems that refuse link() (EPERM) every write used to fail."""
    _refuse_links(monkeypatch)
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda handle: synced.append(handle) or real_fsync(handle))
    target = tmp_path / "report.json"
    write_text(target, "first")
    write_text(target, "second")
    assert target.read_text() == "second"
    assert os.listdir(tmp_path) == ["report.json"]
    with pytest.raises(ExistsError):
        write_text(target, "third", overwrite=False)
    write_text(tmp_path / "new.json", "fresh", overwrite=False)
    assert (tmp_path / "new.json").read_text() == "fresh" and target.read_text() == "second"
    assert sorted(os.listdir(tmp_path)) == ["new.json", "report.json"]
    assert len(synced) >= 6, "each file and its folder are synced"


def test_named_temporary_path_when_unnamed_files_are_unavailable(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    _refuse_links(monkeypatch)
    target = tmp_path / "report.json"
    write_text(target, "old")
    write_text(target, "new")
    assert target.read_text() == "new" and os.listdir(tmp_path) == ["report.json"]


def test_a_set_that_cannot_be_staged_whole_leaves_the_earlier_set(tmp_path, request):
    """Issue 14, item 15: a full disk part-way through must not leave a mixed set."""
    from tunewise.storage import atomic
    write_all = atomic.write_all
    write_all([(tmp_path / "r.pdf", b"old pdf"), (tmp_path / "r.html", b"old html")])
    request.getfixturevalue("disk_full_on_second_file")
    with pytest.raises(OSError, match="No space"):
        write_all([(tmp_path / "r.pdf", b"new pdf"), (tmp_path / "r.html", b"new html")])
    assert (tmp_path / "r.pdf").read_bytes() == b"old pdf"
    assert (tmp_path / "r.html").read_bytes() == b"old html"
    assert sorted(os.listdir(tmp_path)) == ["r.html", "r.pdf"]
