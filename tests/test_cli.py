"""Scripted mode as a script sees it: files written, JSON shape, exit codes, start-up cost."""

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT
from tunewise.cli.main import main
from tunewise.engine.schema import answer_file_schema


def test_report_json_follows_the_contract(tmp_path, capsys):
    assert main(["report", str(EXAMPLES / "regulated-clinic.yaml"), "--format", "json",
                 "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "regulated-clinic.json")
    data = json.loads((tmp_path / "regulated-clinic.json").read_text())
    assert data["schema"] == "tunewise.assessment/1"
    assert data["client"]["name"] == "Acme Health" and data["client"]["project"] == "Triage assistant"
    rec = data["recommendation"]
    assert {"strategy", "model_source", "runner_up", "confidence", "summary"} <= set(rec)
    assert rec["strategy"] == "rag" and rec["model_source"] == "open_weights"
    assert sorted(s["id"] for s in data["strategies"]) == sorted(
        ["prompt", "rag", "peft", "full_fine_tune", "from_scratch", "hybrid"])
    for strategy in data["strategies"]:
        assert {"id", "score", "eligible", "excluded_because", "costs", "benefits", "roi",
                "payback_months"} <= set(strategy)
        assert {"upfront", "monthly", "horizon_total", "horizon_months"} <= set(strategy["costs"])
        assert strategy["costs"]["horizon_months"] == 36
        assert "monthly" in strategy["benefits"]
    assert all({"question", "strategy", "effect", "text"} <= set(r) for r in data["reasons"])
    assert isinstance(data["break_even_monthly_queries"], int)
    assert all({"key", "value", "unit", "source", "as_of"} <= set(a) for a in data["assumptions"])


def test_same_input_gives_identical_json(tmp_path):
    for folder in ("a", "b"):
        assert main(["report", str(EXAMPLES / "support-tickets.yaml"), "--format", "json",
                     "--out", str(tmp_path / folder)]) == 0
    assert (tmp_path / "a/support-tickets.json").read_bytes() == \
        (tmp_path / "b/support-tickets.json").read_bytes()


def test_assumption_overrides_file_and_horizon(tmp_path):
    overrides = tmp_path / "over.yaml"
    overrides.write_text("gpu_hour_usd: 9.5\nhorizon_months: 24\n")
    assert main(["report", str(EXAMPLES / "regulated-clinic.yaml"), "--format", "json",
                 "--assumptions", str(overrides), "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "regulated-clinic.json").read_text())
    gpu = next(a for a in data["assumptions"] if a["key"] == "gpu_hour_usd")
    assert gpu["value"] == 9.5 and gpu["overridden"] is True
    assert data["strategies"][0]["costs"]["horizon_months"] == 24
    overrides.write_text("gpu_hour_usd: -1\n")
    assert main(["report", str(EXAMPLES / "regulated-clinic.yaml"), "--format", "json",
                 "--assumptions", str(overrides), "--out", str(tmp_path)]) == 2


def test_examples_match_the_published_json_schema():
    schema = answer_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert len(examples) >= 6, "the examples are missing, so nothing would be checked"
    for path in examples:
        # editors read YAML 1.2, where an unquoted date is a string
        document = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        jsonschema.validate(document, schema)


def test_schema_questions_and_assumptions_commands(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "tunewise answer file"
    assert main(["questions"]) == 0
    out = capsys.readouterr().out
    assert "needs_private_data" in out and "Why it matters" in out
    assert main(["assumptions"]) == 0
    assert "talk_hallucination_reduction" in capsys.readouterr().out


def test_compare_names_the_difference(capsys):
    assert main(["compare", str(EXAMPLES / "regulated-clinic.yaml"),
                 str(EXAMPLES / "trading-news.yaml")]) == 0
    out = capsys.readouterr().out
    assert "rag (open_weights)" in out and "rag (closed_api)" in out


def test_text_summary(tmp_path):
    assert main(["report", str(EXAMPLES / "small-faq.yaml"), "--format", "text",
                 "--out", str(tmp_path)]) == 0
    text = (tmp_path / "small-faq.txt").read_text()
    assert "Recommendation: Prompt engineering" in text and "£" in text


@pytest.mark.parametrize("argv, banned", [
    (["--help"], ("textual", "weasyprint", "rich", "jinja2", "pydantic", "yaml", "numpy")),
    (["validate", "examples/small-faq.yaml"], ("textual", "weasyprint", "rich", "jinja2")),
])
def test_light_commands_import_no_heavy_library(argv, banned):
    code = ("import sys\nfrom tunewise.cli.main import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            f"print('LOADED:' + ','.join(m for m in sys.modules if m.split('.')[0] in {banned!r}))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "LOADED:", run.stdout
