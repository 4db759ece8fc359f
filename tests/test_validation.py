"""Answer-file problems: every one reported, with file, line, column and question."""

import subprocess
import sys
import textwrap

from tests.conftest import EXAMPLES, write
from tunewise.cli.main import main
from tunewise.engine.answers import load_answer_path, load_answer_text

FULL = (EXAMPLES / "regulated-clinic.yaml").read_text()


def messages(text, use_defaults=False):
    return [str(p) for p in load_answer_text(textwrap.dedent(text), "a.yaml", use_defaults).problems]


def test_valid_example_has_no_problems():
    assert load_answer_text(FULL, "a.yaml").problems == []


def test_every_problem_in_one_pass_with_positions_and_suggestions():
    text = FULL.replace("privacy: regulated", "privcy: regulated") \
               .replace("accuracy: high", "accuracy: hgh") \
               .replace("monthly_queries: 50000", "monthly_queries: -5")
    found = messages(text)
    lines = text.splitlines()
    privcy_line = next(i for i, line in enumerate(lines, 1) if "privcy" in line)
    assert f"a.yaml:{privcy_line}:3: privcy: unknown question; did you mean \"privacy\"?" in found[0] \
        or any(m.startswith(f"a.yaml:{privcy_line}:3: privcy: unknown question; did you mean \"privacy\"?")
               for m in found)
    assert any("accuracy: 'hgh' is not one of the choices; did you mean \"high\"? "
               "(allowed: standard | high | critical)" in m for m in found)
    assert any("monthly_queries: -5 is below the minimum" in m for m in found)
    # the misspelt key also leaves privacy unanswered
    assert any(": privacy: missing answer" in m for m in found)


def test_line_and_column_point_at_the_bad_value():
    found = messages("""\
        version: 1
        client: {name: A, project: B}
        answers:
          needs_private_data: maybe
        """, use_defaults=True)
    assert found == ["a.yaml:4:3: needs_private_data: expected true or false, got 'maybe' "
                     "(allowed: true | false)"]


def test_answers_that_do_not_apply_are_warnings_not_errors():
    result = load_answer_text(textwrap.dedent("""\
        version: 1
        client: {name: A, project: B}
        answers:
          needs_private_data: false
          data_volume: massive
        """), "a.yaml", use_defaults=True)
    assert result.ok
    [warning] = result.problems
    assert warning.severity == "warning" and warning.question == "data_volume"
    assert "ignored" in warning.message and "needs_private_data is false" in warning.message
    assert "data_volume" not in result.answer_file.answers


def test_missing_answers_are_errors_without_defaults():
    found = messages("""\
        version: 1
        client: {name: A, project: B}
        answers:
          needs_private_data: true
        """)
    assert any("a.yaml:3:1: privacy: missing answer (required; use --defaults to take the default "
               "confidential)" in m for m in found)
    assert not any("cost_per_error" in m for m in found), "optional questions are not required"


def test_defaults_fill_only_missing_answers_and_still_validate_given_ones():
    text = """\
        version: 1
        client: {name: A, project: B}
        answers:
          monthly_queries: 12.5
        """
    found = messages(text, use_defaults=True)
    assert found == ["a.yaml:4:3: monthly_queries: expected a whole number, got 12.5 "
                     "(allowed: a whole number from 0 to 10_000_000_000)"]
    result = load_answer_text(textwrap.dedent(text.replace("12.5", "12")), "a.yaml", True)
    assert result.ok
    assert result.answer_file.answers["monthly_queries"] == 12
    assert result.answer_file.answers["privacy"] == "confidential"
    assert "privacy" in result.answer_file.defaulted and "monthly_queries" not in result.answer_file.defaulted


def test_client_version_currency_and_assumption_problems():
    found = messages("""\
        version: 2
        client:
          nme: A
        currency: EURO
        answers: {}
        assumptions:
          gpu_hour_usdd: 3
          base_error_rate: 4
        """, use_defaults=True)
    joined = "\n".join(found)
    assert "a.yaml:1:1: version: unsupported version 2 (allowed: 1)" in joined
    assert 'a.yaml:3:3: nme: unknown client key; did you mean "name"?' in joined
    assert "client.project: missing (required)" in joined
    assert "a.yaml:4:1: currency: unsupported currency 'EURO'" in joined
    assert 'a.yaml:7:3: gpu_hour_usdd: unknown assumption; did you mean "gpu_hour_usd"?' in joined
    assert "a.yaml:8:3: base_error_rate: 4.0 is out of range" in joined or \
        "a.yaml:8:3: base_error_rate: 4 is out of range" in joined


def test_broken_yaml_is_one_clear_problem(tmp_path):
    path = write(tmp_path, "bad.yaml", "version: 1\nclient: [\n")
    [problem] = load_answer_path(path).problems
    assert str(problem).startswith(f"{path}:3:1: file: YAML syntax error")


def test_cli_validate_reports_all_and_exits_2(tmp_path, capsys):
    good = write(tmp_path, "good.yaml", FULL)
    bad = write(tmp_path, "bad.yaml", FULL.replace("accuracy: high", "accuracy: hgh"))
    assert main(["validate", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "did you mean \"high\"" in err and "1 of 2 answer files are valid" in err
    assert main(["validate", str(good)]) == 0
    assert list(tmp_path.iterdir()) == [bad, good] or sorted(tmp_path.iterdir()) == sorted([bad, good])


def test_cli_bad_input_never_shows_a_traceback(tmp_path):
    bad = write(tmp_path, "bad.yaml", "- just\n- a list\n")
    run = subprocess.run([sys.executable, "-m", "tunewise", "report", str(bad), "--format", "json",
                          "--out", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert f"{bad}:1:1: file: expected a mapping at the top of the file, got a list" in run.stderr


def test_init_template_validates_once_filled(tmp_path):
    target = tmp_path / "answers.yaml"
    assert main(["init", str(target)]) == 0
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert main(["validate", str(target)]) == 2, "an unfilled template is not yet valid"
    filled = text.replace('name: ""', 'name: "Acme"').replace('project: ""', 'project: "Bot"')
    target.write_text(filled)
    assert main(["validate", "--defaults", str(target)]) == 0
    assert main(["init", str(target)]) == 2, "init never overwrites without --force"
    assert target.read_text() == filled
