"""The portfolio file, the portfolio command and a one-use-case portfolio against its own report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tunewise.cli.main import main
from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.engine.portfolio import assess_portfolio
from tunewise.engine.portfolio_file import load_portfolio_path, portfolio_file_schema, require_portfolio

PORTFOLIO = EXAMPLES / "portfolio" / "portfolio.yaml"
STEMS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def write_portfolio(folder: Path, body: str) -> Path:
    path = folder / "portfolio.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def one_use_case(folder: Path, stem: str, budget: float = 1e9, people: float = 10_000) -> Path:
    shutil.copy(EXAMPLES / f"{stem}.yaml", folder / f"{stem}.yaml")
    return write_portfolio(folder, f"""version: 1
client: {{name: Test client}}
budget_upfront: {budget}
budget_monthly: {budget}
people: {{ml_experts: {people}, engineers: {people}}}
use_cases:
  - file: {stem}.yaml
""")


def test_every_problem_is_reported_at_once_with_its_position(tmp_path):
    (tmp_path / "ok.yaml").write_text((EXAMPLES / "small-faq.yaml").read_text(), encoding="utf-8")
    path = write_portfolio(tmp_path, """version: 1
client: {name: Acme, consultant: 12}
currency: XYZ
budget_upfront: -5
people:
  ml_expert: 3
  engineers: lots
use_cases:
  - file: ok.yaml
    must_do: maybe
  - file: /etc/passwd.yaml
  - file: missing.yaml
    priority: 0
  - file: ok.yaml
""")
    result = load_portfolio_path(path)
    text = [str(p) for p in result.problems]
    assert not result.ok
    expected = [
        "portfolio.yaml:2:22: client.consultant: expected text",
        "portfolio.yaml:3:1: currency: unsupported currency 'XYZ'",
        "portfolio.yaml:4:1: budget_upfront: expected an amount of money, got -5",
        "portfolio.yaml:1:1: budget_monthly: missing (required)",
        "portfolio.yaml:6:3: ml_expert: unknown role; did you mean \"ml_experts\"?",
        "portfolio.yaml:5:1: people.ml_experts: missing (required; write 0 when there are none)",
        "portfolio.yaml:7:3: people.engineers: expected person-weeks, got 'lots'",
        "portfolio.yaml:10:5: use_cases[0].must_do: expected true or false, got 'maybe'",
        "portfolio.yaml:11:5: use_cases[1].file: '/etc/passwd.yaml' is not a relative path",
        "portfolio.yaml:12:5: use_cases[2].file: 'missing.yaml' does not exist",
        "portfolio.yaml:13:5: use_cases[2].priority: expected a whole number, got 0",
        "portfolio.yaml:14:5: use_cases[3].file: the same answer file as entry 1",
    ]
    relative = [t.replace(f"{tmp_path}/", "") for t in text]
    for start in expected:
        assert any(t.startswith(start) for t in relative), (start, relative)
    assert len(relative) == len(expected)


def test_problems_inside_a_use_cases_answer_file_are_reported_too(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "version: 1\nclient: {name: A, project: B}\nanswers:\n  privacy: secret\n", encoding="utf-8")
    path = write_portfolio(tmp_path, "version: 1\nclient: {name: A}\nbudget_upfront: 1\nbudget_monthly: 1\n"
                           "people: {ml_experts: 0, engineers: 0}\nuse_cases:\n  - file: bad.yaml\n")
    problems = [str(p) for p in load_portfolio_path(path).problems]
    assert any(p.startswith(f"{tmp_path / 'bad.yaml'}:4:3: privacy: 'secret' is not one of the choices")
               for p in problems), problems


def test_portfolio_command_exits_2_on_a_bad_file_without_a_traceback(tmp_path, capsys):
    path = write_portfolio(tmp_path, "version: 2\n")
    assert main(["portfolio", str(path), "--format", "json", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1:1: version: unsupported version 2 (allowed: 1)" in err
    assert "Traceback" not in err


def test_bundled_example_portfolio_json(tmp_path, capsys):
    assert main(["portfolio", str(PORTFOLIO), "--format", "json", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "portfolio.json").read_text())
    assert data["schema"] == "tunewise.portfolio/1"
    ids = {f["id"] for f in data["funded"]} | {d["id"] for d in data["deferred"]} \
        | {n["id"] for n in data["not_worth_building"]}
    assert ids == set(STEMS)
    assert "regulated-clinic" in {f["id"] for f in data["funded"]}      # marked must-do
    assert data["totals"]["upfront"] <= data["totals"]["budget_upfront"]
    assert data["totals"]["monthly"] <= data["totals"]["budget_monthly"]
    assert all(d["reason"] for d in data["deferred"] + data["not_worth_building"])
    assert [u["schema"] for u in data["use_cases"]] == ["tunewise.assessment/1"] * 6
    assert data["next_unfunded"]["needs"]["upfront"] > 0
    assert any(s["newly_funded"] for s in data["budget_sensitivity"])


@pytest.mark.parametrize("stem", STEMS)
def test_a_portfolio_of_one_agrees_with_that_use_cases_own_report(tmp_path, stem):
    result = assess_portfolio(*require_portfolio(load_portfolio_path(one_use_case(tmp_path, stem))))
    own = assess(require(load_answer_path(EXAMPLES / f"{stem}.yaml")))
    rec = own.recommended
    worth = own.recommendation.verdict == "build" and rec.net_value > 0
    assert [f.id for f in result.funded] == ([stem] if worth else [])
    entry = result.entry(stem)
    rate = 1.0
    if own.currency != "USD":
        from tunewise.engine.assumptions import load_catalogue
        rate = 1.0 / load_catalogue().fx(own.currency)
    assert entry.figures.strategy == rec.id and entry.figures.model_source == rec.model_source
    assert entry.verdict == own.recommendation.verdict
    assert entry.figures.upfront == pytest.approx(rec.costs.upfront * rate, abs=0.01)
    assert entry.figures.monthly == pytest.approx(rec.costs.monthly * rate, abs=0.01)
    assert entry.figures.net_value == pytest.approx(rec.net_value * rate, abs=0.01)
    if worth:
        assert result.totals.net_value == pytest.approx(rec.net_value * rate, abs=0.01)
        assert result.totals.upfront == pytest.approx(rec.costs.upfront * rate, abs=0.01)


def test_must_do_beyond_the_budget_is_reported_infeasible(tmp_path, capsys):
    path = one_use_case(tmp_path, "regulated-clinic", budget=1_000)
    path.write_text(path.read_text().replace("file: regulated-clinic.yaml",
                                             "file: regulated-clinic.yaml\n    must_do: true"))
    assert main(["portfolio", str(path), "--format", "json", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "portfolio.json").read_text())
    assert data["status"] == "infeasible" and data["funded"] == []
    assert "upfront budget is $1,000" in data["status_reason"]
    assert "infeasible" in capsys.readouterr().err


def test_init_portfolio_template_validates_once_filled(tmp_path):
    target = tmp_path / "portfolio.yaml"
    assert main(["init", "--portfolio", str(target)]) == 0
    shutil.copy(EXAMPLES / "small-faq.yaml", tmp_path / "first-use-case.yaml")
    text = target.read_text()
    assert load_portfolio_path(target).problems      # blanks are missing answers, not zeros
    filled = (text.replace('name: ""', "name: Acme").replace("budget_upfront:   ", "budget_upfront: 1000")
              .replace("budget_monthly:   ", "budget_monthly: 100").replace("ml_experts:   ", "ml_experts: 1")
              .replace("engineers:    ", "engineers: 2"))
    target.write_text(filled)
    assert load_portfolio_path(target).ok, [str(p) for p in load_portfolio_path(target).problems]


def test_example_portfolio_matches_the_published_schema(capsys):
    import jsonschema
    import yaml

    assert main(["schema", "--portfolio"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == json.loads(json.dumps(portfolio_file_schema()))
    data = yaml.safe_load(PORTFOLIO.read_text())
    data["client"]["date"] = str(data["client"]["date"])
    data["start"] = str(data["start"])
    jsonschema.validate(data, schema)
