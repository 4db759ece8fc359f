"""What an installed tunewise looks like: one import name, its data files, the usual CLI manners."""

import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Build from a copy: setuptools writes build/ and *.egg-info into the tree it builds, and two
    # test workers building the same checkout at once trip over each other's files.
    source = tmp_path_factory.mktemp("source") / "tunewise"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "*.egg-info", "__pycache__", "sample_reports", "tests", "out", ".venv"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, text=True)
    [path] = out.glob("tunewise-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_installs_one_top_level_package(wheel):
    names = wheel.namelist()
    [top_level] = [n for n in names if n.endswith(".dist-info/top_level.txt")]
    assert wheel.read(top_level).decode().split() == ["tunewise"]
    ours = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert ours == {"tunewise"}


def test_the_wheel_carries_data_templates_styles_and_licences(wheel):
    names = set(wheel.namelist())
    assert "tunewise/engine/data/questions.yaml" in names
    assert "tunewise/templates/report/report.html.j2" in names
    assert "tunewise/templates/assets/fonts/Inter-Regular.woff2" in names
    assert "tunewise/tui/tunewise.tcss" in names
    licences = {name.rsplit("/", 1)[-1] for name in names if "/licenses/" in name}
    assert {"LICENSE", "LICENSE-Inter.txt", "LICENSE-EBGaramond.txt"} <= licences
    assert not any(name.startswith("tunewise/scripts") or name.endswith("probe.py") for name in names)


def run(*argv):
    return subprocess.run([sys.executable, "-m", "tunewise", *argv], capture_output=True, text=True, cwd=ROOT)


def test_version_help_and_module_entry_point():
    from importlib.metadata import version

    shown = run("--version")
    assert shown.returncode == 0 and shown.stdout.strip() == f"tunewise {version('tunewise')}"
    helped = run("--help")
    assert helped.returncode == 0 and "usage: tunewise" in helped.stdout


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o"), ("zsh", "#compdef tunewise"),
                                           ("fish", "complete -c tunewise")])
def test_completion_scripts_name_the_commands_and_complete_files(shell, marker):
    script = run("completion", shell)
    assert script.returncode == 0, script.stderr
    assert marker in script.stdout
    assert "validate" in script.stdout and "report" in script.stdout


def test_bash_completion_offers_files_for_answer_files():
    script = run("completion", "bash").stdout
    assert "_shtab_compgen_files" in script and "_shtab_compgen_dirs" in script


def test_an_unknown_shell_is_a_usage_error():
    refused = run("completion", "powershell")
    assert refused.returncode == 2 and "invalid choice" in refused.stderr
