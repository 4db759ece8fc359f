"""Hostile and broken input: always exit 0 or 2 with a readable line, never a traceback."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, ROOT
from tunewise.cli.batch import BatchJob, run_batch
from tunewise.cli.main import main
from tunewise.cli.render_one import RenderOptions

VALID = (EXAMPLES / "regulated-clinic.yaml").read_text()

HOSTILE = {
    "empty": (b"", "the file is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    "latin1": ("version: 1\nclient: {name: Caf\xe9, project: x}\n".encode("latin-1"),
               "not UTF-8"),
    "syntax": (b"version: 1\nclient: {name: a\nanswers: [\n", "YAML syntax error"),
    "top-list": (b"- a\n- b\n", "expected a mapping at the top of the file, got a list"),
    "top-scalar": (b"hello\n", "expected a mapping at the top of the file"),
    "wrong-types": (VALID.replace("monthly_queries: 50000", "monthly_queries: lots").encode(),
                    "monthly_queries: expected a number"),
    "negative": (VALID.replace("budget_upfront: 150000", "budget_upfront: -1").encode(),
                 "budget_upfront: -1 is below the minimum"),
    "absurd": (VALID.replace("monthly_queries: 50000", "monthly_queries: 1e400").encode(),
               "monthly_queries: expected a number"),
    "huge-int": (VALID.replace("monthly_queries: 50000", "monthly_queries: " + "9" * 400).encode(),
                 "above the maximum"),
    "nan": (re.sub(r"cost_per_error: .*", "cost_per_error: .nan", VALID).encode(),
            "cost_per_error: expected a number"),
    "unknown-key": (VALID.replace("latency:", "latncy:").encode(), 'did you mean "latency"'),
    "unknown-choice": (VALID.replace("ml_team: engineers", "ml_team: wizards").encode(),
                       "'wizards' is not one of the choices"),
    "no-client": (b"version: 1\nanswers: {}\n", "client: missing"),
    "version": (VALID.replace("version: 1", "version: 7").encode(), "unsupported version 7"),
    "alias-bomb": (b"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n",
                   "anchors (&name) are not allowed"),
    "too-big": (b"# " + b"x" * (1024 * 1024 + 10) + b"\n", "the limit is 1,048,576 bytes"),
    "deep": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "nesting deeper than"),
    "deep-map": (("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40))).encode(),
                 "nesting deeper than"),
    "python-tag": (b"version: !!python/object/apply:os.system ['true']\n",
                   "unsupported YAML tag"),
    "bad-date": (VALID.replace("date: 2026-11-02", "date: 2026-13-45").encode(),
                 "unreadable YAML value"),
    "duplicate-key": (VALID.replace("latency: interactive", "latency: interactive\n  latency: relaxed")
                      .encode(), "appears twice"),
    "complex-key": (b"? [a, b]\n: c\n", "mapping keys must be plain words"),
}


def run_cli(*argv, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tunewise", *argv], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_answer_file(tmp_path, case, capsys):
    content, expected = HOSTILE[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(content)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith(f"{path}:"), first
    assert expected in err
    assert "Traceback" not in err
    assert len(first) < 400


def test_missing_file_empty_folder_and_unwritable_output(tmp_path):
    run = run_cli("report", str(tmp_path / "nope.yaml"), "--format", "json", "--out", str(tmp_path))
    assert run.returncode == 2 and f"{tmp_path / 'nope.yaml'}:1:1: file: cannot read: does not exist" \
        in run.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    run = run_cli("validate", str(empty))
    assert run.returncode == 2 and "folder holds no answer files" in run.stderr
    locked = tmp_path / "locked"
    locked.write_text("a file where a folder should be")
    run = run_cli("report", str(EXAMPLES / "small-faq.yaml"), "--format", "json",
                  "--out", str(locked / "sub"))
    assert run.returncode == 2 and "cannot create the output folder" in run.stderr
    assert "Traceback" not in run.stderr


def test_unexpected_failure_is_one_line_unless_debug(tmp_path, monkeypatch, capsys):
    import tunewise.cli.commands.validate as validate

    def boom(args):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(validate, "run_validate", boom)
    assert main(["validate", "x.yaml"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "simulated bug" in err and "--debug" in err
    with pytest.raises(RuntimeError):
        main(["--debug", "validate", "x.yaml"])


def test_bad_assumptions_file_is_reported_with_position(tmp_path, capsys):
    overrides = tmp_path / "over.yaml"
    overrides.write_text("gpu_hour_usd: 2\nbase_eror_rate: 0.1\n")
    assert main(["validate", str(EXAMPLES / "small-faq.yaml"), "--assumptions", str(overrides)]) == 2
    err = capsys.readouterr().err
    assert f'{overrides}:2:1: base_eror_rate: unknown assumption; did you mean "base_error_rate"?' in err


@given(st.data())
def test_mutated_answer_files_never_crash(tmp_path_factory, data):
    text = VALID.encode()
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["delete", "insert", "replace_line", "duplicate"]))
        if action == "delete":
            text = text[:position] + text[position + data.draw(st.integers(1, 20)):]
        elif action == "insert":
            text = text[:position] + data.draw(st.binary(min_size=1, max_size=8)) + text[position:]
        elif action == "replace_line":
            lines = text.split(b"\n")
            index = data.draw(st.integers(0, len(lines) - 1))
            lines[index] = data.draw(st.sampled_from(
                [b"  monthly_queries: -1", b"  accuracy: [1, 2]", b"answers: 3", b"  : x",
                 b"client: null", b"  privacy: {a: b}", b"  timeline_weeks: 0", b"&a x: *a",
                 b"  domain: \"\\u0000\"", b"version: 1.5", b"\t- bad"]))
            text = b"\n".join(lines)
        else:
            text = text + text[position:]
    path = tmp_path_factory.mktemp("m") / "mutant.yaml"
    path.write_bytes(text)
    from tunewise.engine.answers import load_answer_path
    result = load_answer_path(path)        # never raises
    for problem in result.problems:
        assert str(problem).startswith(f"{path}:")
        assert "\n" not in problem.message
    if result.ok:
        from tunewise.engine.assess import assess
        assess(result.answer_file, with_sensitivity=False)


def _batch_folder(tmp_path: Path, count: int, bad: int | None = None) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir()
    for index in range(count):
        text = VALID.replace("monthly_queries: 50000", f"monthly_queries: {1000 + index * 997}")
        if index == bad:
            text = text.replace("accuracy: high", "accuracy: perfect")
        (folder / f"client-{index:03d}.yaml").write_text(text)
    return folder


def test_batch_of_200_with_one_bad_file(tmp_path):
    folder = _batch_folder(tmp_path, 200, bad=137)
    out = tmp_path / "out"
    run = run_cli("report", str(folder), "--format", "json", "--out", str(out), "--jobs", "2")
    assert run.returncode == 2
    assert "199 of 200 answer files rendered, 1 failed" in run.stderr
    assert "client-137.yaml:" in run.stderr and "'perfect' is not one of the choices" in run.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 199 and "client-137.json" not in written
    assert "Traceback" not in run.stderr
    json.loads((out / "client-000.json").read_text())


def test_same_stem_in_two_folders_does_not_overwrite(tmp_path):
    for name in ("north", "south"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "acme.yaml").write_text(VALID)
    out = tmp_path / "out"
    assert main(["report", str(tmp_path / "north"), str(tmp_path / "south"), "--format", "json",
                 "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and names[0] != names[1]


SLOW_FOR = ('{% extends "report.html.j2" %}\n{% block extra_head %}{% if a.client.name == "Stuck" %}\n'
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
            "{% endif %}{% endblock %}\n")


def _slow_templates(tmp_path: Path) -> Path:
    """Templates that loop for ~forever on the answer file whose client is called Stuck."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text(SLOW_FOR)
    return templates


def _stuck(path: Path) -> None:
    path.write_text(VALID.replace("name: Acme Health", "name: Stuck"))


def test_report_past_the_timeout_is_stopped_and_the_batch_goes_on(tmp_path):
    folder = _batch_folder(tmp_path, 3)
    _stuck(folder / "client-001.yaml")
    jobs = [BatchJob(str(p), p.stem) for p in sorted(folder.iterdir())]
    options = RenderOptions(formats=["html"], out=str(tmp_path), templates=str(_slow_templates(tmp_path)))
    started = time.monotonic()
    summary = run_batch(jobs, options, workers=2, timeout=30)
    assert time.monotonic() - started < 150
    assert summary.rendered == 2
    assert "ran past the time limit" in summary.failed[str(folder / "client-001.yaml")]
    [problem] = [p for p in summary.problems if p.severity == "error"]
    assert problem.file.endswith("report.html.j2") and problem.line == 3   # the loops


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _start_stuck_batch(tmp_path: Path, count: int, stuck_at: int, jobs: int, out: Path):
    folder = _batch_folder(tmp_path, count)
    _stuck(folder / f"client-{stuck_at:03d}.yaml")
    return folder, subprocess.Popen(
        [sys.executable, "-m", "tunewise", "report", str(folder), "--format", "json,html", "--out", str(out),
         "--jobs", str(jobs), "--templates", str(_slow_templates(tmp_path)), "--timeout", "300"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_killed_batch_leaves_no_partial_files_and_earlier_reports_intact(tmp_path):
    folder = _batch_folder(tmp_path, 8)
    out = tmp_path / "out"
    first = run_cli("report", str(folder), "--format", "json,html", "--out", str(out), "--jobs", "2")
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for path in folder.iterdir():       # change every input so the rerun rewrites every report
        path.write_text(re.sub(r"cost_per_error: .*", "cost_per_error: 41", path.read_text()))
    # One worker, and the fifth file never finishes: the kill lands mid-batch however fast the machine.
    _stuck(folder / "client-004.yaml")
    templates = _slow_templates(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "tunewise", "report", str(folder), "--format",
                                "json,html", "--out", str(out), "--jobs", "1", "--templates", str(templates),
                                "--timeout", "300"], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    earlier = [f"client-{i:03d}.{ext}" for i in range(4) for ext in ("json", "html")]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:      # wait until the four files before the stuck one are done
        if all((out / n).read_bytes() != before[n] for n in earlier):
            break
        time.sleep(0.1)
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(before), "no temporary or partial files are left behind"
    for name in names:
        data = (out / name).read_bytes()
        if name.endswith(".json"):
            json.loads(data)            # complete, either the earlier or the new version
        assert (data != before[name]) == (name in earlier), name


def test_workers_exit_when_the_batch_is_killed(tmp_path):
    """Issue 14, item 8: after SIGKILL of the parent, workers stayed blocked for over a minute."""
    out = tmp_path / "out"
    _, process = _start_stuck_batch(tmp_path, 4, stuck_at=0, jobs=2, out=out)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and not (out.exists() and any(out.iterdir())):
        workers = _children(process.pid) or workers
        time.sleep(0.1)
    workers = [pid for pid in _children(process.pid) if pid]
    assert workers, "the batch started its workers"
    os.kill(process.pid, signal.SIGKILL)       # the parent only, not its process group
    process.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "Z" not in (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:1])]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "workers outlived their parent"


# --- issue 14: one regression test per numbered item (item 1 is in test_report_safety.py) ---------

def _validate(path: Path, capsys, *extra: str) -> tuple[int, str]:
    status = main(["validate", str(path), *extra])
    return status, capsys.readouterr().err


def test_item_2_a_symlink_at_the_old_probe_name_stays_untouched(tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".tunewise-write-test").symlink_to(victim)
    assert main(["report", str(EXAMPLES / "small-faq.yaml"), "--format", "json", "--out", str(out)]) == 0
    assert victim.read_text() == "precious"
    assert (out / ".tunewise-write-test").is_symlink()


@pytest.mark.parametrize("case", ["quote-hides-brackets", "block-dashes", "many-keys"])
def test_item_3_nesting_and_key_floods_fail_fast(tmp_path, capsys, case):
    text = {
        "quote-hides-brackets": 'note: a "b\nx: ' + "[" * 100_000 + "]" * 100_000 + '\nnote2: c"\n',
        "block-dashes": "- " * 400_000 + "x\n",
        "many-keys": "".join(f"k{i}: 1\n" for i in range(60_000)),
    }[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text)
    started = time.monotonic()
    status, err = _validate(path, capsys)
    assert time.monotonic() - started < 2
    assert status == 2 and err.startswith(f"{path}:") and len(err.splitlines()[0]) < 200
    assert ("nesting deeper than" in err) if case != "many-keys" else ("more than 2,000 keys" in err)


@pytest.mark.parametrize("body, words", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "ran past the time limit"),
    ("{{ 'x' * 10**9 }}", "MemoryError"),
])
def test_item_4_a_single_report_stops_at_the_time_and_memory_limits(tmp_path, body, words):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% extends "report.html.j2" %}\n{% block extra_head %}\n' + body + "{% endblock %}\n")
    started = time.monotonic()
    run = run_cli("report", str(EXAMPLES / "small-faq.yaml"), "--templates", str(templates), "--format",
                  "html", "--out", str(tmp_path / "out"), "--timeout", "20")
    assert time.monotonic() - started < 150     # start-up is not counted; the loop alone would take hours
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"{templates / 'report.html.j2'}:3:" in run.stderr and words in run.stderr
    assert not (tmp_path / "out" / "small-faq.html").exists()


@pytest.mark.parametrize("line, needle", [
    ("version: !!float\n", "version: 1\n"),
    ("version: !!int\n", "version: 1\n"),
    ("  ip_ownership: !!bool maybe\n", "  ip_ownership: false\n"),
])
def test_item_5_bad_tagged_values_are_input_errors_with_a_position(tmp_path, capsys, line, needle):
    text = VALID.replace(needle, line)
    where = f"{text.splitlines().index(line.rstrip()) + 1}:{line.index('!!') + 1}"
    path = tmp_path / "tagged.yaml"
    path.write_text(text)
    status, err = _validate(path, capsys)
    assert status == 2 and f"{path}:{where}: file: unreadable YAML value" in err
    assert main(["report", str(path), "--format", "json", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unexpected failure" not in err and f"{path}:{where}:" in err


def test_item_5_an_integer_beyond_float_range_is_out_of_range(tmp_path, capsys):
    overrides = tmp_path / "over.yaml"
    overrides.write_text("gpu_hour_usd: 1" + "0" * 400 + "\n")
    status, err = _validate(EXAMPLES / "small-faq.yaml", capsys, "--assumptions", str(overrides))
    assert status == 2 and f"{overrides}:1:1: gpu_hour_usd: a number of 401 digits" in err
    assert "unexpected failure" not in err


@pytest.mark.parametrize("override", [
    "gpu_peak_flops: 0", "gpu_utilisation: 0", "min_retrain_interval_months: 0",
    "talk_retrain_interval_months: 0", "rag_chunk_tokens: 1.0e+308", "gpu_hour_usd: 1.0e+308",
])
def test_items_6_and_7_validate_and_report_agree_on_every_override(tmp_path, capsys, override):
    """Whatever validate accepts, report computes (with strict JSON); whatever it refuses is
    named at the override, and report refuses it the same way. Which of these values still
    break the sums depends on the cost model; the agreement does not."""
    key = override.split(":")[0]
    overrides = tmp_path / "over.yaml"
    overrides.write_text(f"# tuned\n{override}\n")
    validated, err = _validate(EXAMPLES / "regulated-clinic.yaml", capsys, "--assumptions", str(overrides))
    if validated == 2:
        assert err.startswith(f"{overrides}:2:1: {key}: "), err
        assert "division by zero" in err or "infinite or undefined" in err or "cannot be computed" in err
    reported = main(["report", str(EXAMPLES / "regulated-clinic.yaml"), "--format", "json",
                     "--assumptions", str(overrides), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert reported == validated, err
    assert "unexpected failure" not in err
    written = tmp_path / "out" / "regulated-clinic.json"
    if reported == 2:
        assert f"{overrides}:2:1: {key}:" in err and not written.exists()
    else:
        json.loads(written.read_text(), parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


def test_item_7_an_override_that_overflows_is_refused_by_validate(tmp_path, capsys):
    overrides = tmp_path / "over.yaml"
    overrides.write_text("gpu_hour_usd: 1.0e+308\n")
    status, err = _validate(EXAMPLES / "regulated-clinic.yaml", capsys, "--assumptions", str(overrides))
    assert status == 2 and err.startswith(f"{overrides}:1:1: gpu_hour_usd: it makes a figure infinite")


def test_item_6_a_breaking_override_inside_the_answer_file_is_named_there(tmp_path, capsys):
    path = tmp_path / "own.yaml"
    path.write_text(VALID + "assumptions:\n  gpu_hour_usd: 2.5\n  gpu_utilisation: 0\n")
    status, err = _validate(path, capsys)
    assert status == 2 and err.startswith(f"{path}:29:3: gpu_utilisation: ")


def test_item_7_json_output_is_strict(tmp_path):
    from tunewise.cli.render_one import assessment_json
    from tunewise.engine.answers import load_answer_path, require
    from tunewise.engine.assess import assess
    assessment = assess(require(load_answer_path(EXAMPLES / "small-faq.yaml")), with_sensitivity=False)
    json.loads(assessment_json(assessment), parse_constant=lambda name: pytest.fail(name))
    broken = type(assessment).model_construct(**dict(assessment))
    object.__setattr__(broken, "to_json_dict", lambda: {"total": float("inf")})
    with pytest.raises(ValueError):
        assessment_json(broken)


def test_item_9_concurrent_runs_into_one_folder_all_succeed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    runs = [subprocess.Popen([sys.executable, "-m", "tunewise", "report", str(EXAMPLES / "small-faq.yaml"),
                              "--format", "json", "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(6)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert all(status == 0 for status, _ in results), results
    assert os.listdir(out) == ["small-faq.json"]


@pytest.mark.parametrize("key", ["x\n/etc/passwd:1:1: version: forged line", "\x1b]0;pwned\x07\x1b[2J"])
def test_item_10_echoed_input_cannot_forge_lines_or_drive_the_terminal(tmp_path, capsys, key):
    path = tmp_path / "forged.yaml"
    path.write_text(VALID.replace("answers:\n", f"answers:\n  {json.dumps(key)}: 1\n"))
    status, err = _validate(path, capsys)
    assert status == 2
    assert not any(line.startswith("/etc/passwd") for line in err.splitlines())
    assert "\x1b" not in err and "\x07" not in err
    assert all(line.startswith(f"{path}:") for line in err.splitlines()[:-1])
    name = tmp_path / "evil\x1b[2J\nname.yaml"
    name.write_text("version: 1\n")
    status, err = _validate(name, capsys)
    assert status == 2 and "\x1b" not in err and "evil\\x1b[2J\\x0aname.yaml:" in err


def test_item_11_a_lone_surrogate_is_refused_by_validate(tmp_path, capsys):
    path = tmp_path / "surrogate.yaml"
    path.write_text(VALID.replace("name: Acme Health", 'name: "\\ud800"'))
    status, err = _validate(path, capsys)
    assert status == 2 and err.startswith(f"{path}:4:") and "Unicode" in err


def test_item_12_a_template_symlinked_outside_its_folder_is_refused(tmp_path):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% extends "report.html.j2" %}\n{% block extra_head %}\n{% include "p.j2" %}{% endblock %}\n')
    (templates / "p.j2").symlink_to("/etc/passwd")
    run = run_cli("report", str(EXAMPLES / "small-faq.yaml"), "--templates", str(templates), "--format",
                  "html", "--out", str(tmp_path / "out"))
    assert run.returncode == 2 and "resolves outside the template folder" in run.stderr
    assert f"{templates / 'report.html.j2'}:3:" in run.stderr
    assert not (tmp_path / "out" / "small-faq.html").exists()


@pytest.mark.parametrize("files, where, words", [
    ({"report.html.j2": '{% extends "report.html.j2" %}\n{% block extra_head %}\n'
                        '{% include "report.html.j2" %}{% endblock %}\n'},
     ("report.html.j2", 3), "RecursionError"),
    ({"report.html.j2": '{% extends "report.html.j2" %}\n{% block extra_head %}\n{% include "self.j2" %}'
                        "{% endblock %}\n", "self.j2": 'x\n{% include "self.j2" %}\n'}, ("self.j2", 2),
     "RecursionError"),
    ({"report.html.j2": '{% extends "report.html.j2" %}\n{% block extra_head %}\n{{ range(10**20) }}'
                        "{% endblock %}\n"}, ("report.html.j2", 3), "OverflowError"),
])
def test_item_13_template_failures_are_reported_at_the_template(tmp_path, capsys, files, where, words):
    templates = tmp_path / "t"
    templates.mkdir()
    for name, text in files.items():
        (templates / name).write_text(text)
    status = main(["report", str(EXAMPLES / "small-faq.yaml"), "--templates", str(templates), "--format",
                   "html", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2 and f"{templates / where[0]}:{where[1]}:1: template:" in err and words in err
    assert "small-faq.yaml:1:1" not in err


def test_item_14_valid_files_are_accepted_and_a_fifo_is_named_for_what_it_is(tmp_path, capsys):
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text(VALID.replace("date: 2026-11-02", 'date: "2026-11-02"')
                      .replace("monthly_queries: 50000", "monthly_queries: 4000\t"))
    status, err = _validate(quoted, capsys)
    assert status == 0, err
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    status, err = _validate(fifo, capsys)
    assert status == 2 and f"{fifo}:1:1: file: cannot read: not a regular file" in err


def test_item_15_a_full_disk_mid_report_leaves_no_mixed_set_and_says_so(tmp_path, capsys,
                                                                         disk_full_on_second_file):
    out = tmp_path / "out"
    status = main(["report", str(EXAMPLES / "small-faq.yaml"), "--format", "json,text", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    assert "0 of 1 answer files rendered, 1 failed" in err
    assert "No space left on device; none of its files was written or changed" in err
    assert os.listdir(out) == []


def test_unexpected_failure_names_no_invented_address(monkeypatch, capsys):
    import tunewise.cli.commands.validate as validate
    from tunewise.cli import main as main_module

    monkeypatch.setattr(validate, "run_validate", lambda args: 1 / 0)
    assert main(["validate", "x.yaml"]) == 1
    err = capsys.readouterr().err
    assert "http" not in err and "--debug" in err and "keep its output" in err

    class Metadata:
        def get_all(self, name):
            return ["Homepage, https://example.org/home", "Issues, https://example.org/tracker"]

    from importlib import metadata
    monkeypatch.setattr(metadata, "metadata", lambda name: Metadata())
    assert "report it at https://example.org/tracker" in main_module.where_to_report()
