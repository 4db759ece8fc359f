"""`--format xlsx`: a workbook whose formulas recompute tunewise's numbers.

Every example is written once, a copy of each gets its GPU hour price doubled
in the input cell (as a reader would), and one LibreOffice run recalculates
them all; the tests then read the recalculated values by defined name.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.workbook_recalc import Recalculated, convert, soffice
from tunewise.cli.main import main
from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.engine.assessment import Assessment
from tunewise.report.workbook import render_xlsx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CHANGED = "gpu_hour_usd"
TOTALS = ("upfront", "monthly", "horizon_total")
HORIZON_EXAMPLES = ("legal-high-volume", "small-faq")
# Per example, choice answers (and yes/no answers that gate a priced effect) a reader changes
# in the Answers sheet; the same changes are made to the answer file for tunewise.
CHOICE_EDITS: dict[str, dict[str, str | bool]] = {
    "legal-high-volume": {"data_change": "monthly", "ml_team": "engineers", "behaviour_change": False},
    "massive-corpus": {"data_volume": "large", "domain": "legal", "ip_ownership": False},
    "regulated-clinic": {"data_change": "static", "ml_team": "ml_experts", "domain": "general"},
    "small-faq": {"data_volume": "moderate", "ml_team": "engineers", "latency": "realtime"},
    "support-tickets": {"data_change": "daily", "domain": "legal", "behaviour_change": False},
    "trading-news": {"data_volume": "moderate", "ml_team": "none", "latency": "realtime"},
}
SHORTER = 24
needs_libreoffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (libreoffice-calc-nogui) is not installed")


@dataclass
class Example:
    stem: str
    assessment: Assessment
    changed: Assessment  # tunewise's own result with the changed figure as an override
    workbook: bytes
    recalculated: Recalculated | None = None
    recalculated_changed: Recalculated | None = None
    recalculated_horizon: Recalculated | None = None
    recalculated_choices: Recalculated | None = None


def _assess(path: Path, overrides: dict[str, float] | None = None) -> Assessment:
    return assess(require(load_answer_path(path)), extra_overrides=overrides,
                  with_sensitivity=overrides is None)


def _edit_inputs(source: Path, target: Path, edits: dict[str, float | str | None]) -> None:
    """Set named input cells (None: double it), the way a reader would edit them."""
    import openpyxl

    book = openpyxl.load_workbook(source)
    for name, value in edits.items():
        ((sheet, cell),) = list(book.defined_names[name].destinations)
        target_cell = book[sheet][cell.replace("$", "")]
        target_cell.value = 2 * target_cell.value if value is None else value
    book.save(target)


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> dict[str, Example]:
    found = {}
    for path in EXAMPLES:
        base = _assess(path)
        price = next(a.value for a in base.assumptions if a.key == CHANGED)
        found[path.stem] = Example(path.stem, base, _assess(path, {CHANGED: 2 * price}),
                                   render_xlsx(base))
    return found


@pytest.fixture(scope="module")
def recalculated(examples, tmp_path_factory) -> dict[str, Example]:
    if soffice() is None:
        pytest.skip("LibreOffice (libreoffice-calc-nogui) is not installed")
    folder = tmp_path_factory.mktemp("workbooks")
    files = []
    for stem, example in examples.items():
        original = folder / f"{stem}.xlsx"
        original.write_bytes(example.workbook)
        variants: dict[str, dict[str, float | str | None]] = {
            "changed": {CHANGED: None},
            "choices": {k: int(v) if isinstance(v, bool) else v for k, v in CHOICE_EDITS[stem].items()}}
        if stem in HORIZON_EXAMPLES:
            variants["horizon"] = {"horizon_months": SHORTER}
        files.append(original)
        for suffix, edits in variants.items():
            files.append(folder / f"{stem}-{suffix}.xlsx")
            _edit_inputs(original, files[-1], edits)
    out = convert(files, folder / "recalculated", "xlsx", folder / "profile")
    by_stem = {path.stem: path for path in out}
    for stem, example in examples.items():
        example.recalculated = Recalculated(by_stem[stem])
        example.recalculated_changed = Recalculated(by_stem[f"{stem}-changed"])
        example.recalculated_choices = Recalculated(by_stem[f"{stem}-choices"])
        if stem in HORIZON_EXAMPLES:
            example.recalculated_horizon = Recalculated(by_stem[f"{stem}-horizon"])

    return examples


def _close(actual, expected, where: str) -> None:
    assert isinstance(actual, int | float), f"{where}: {actual!r}"
    assert actual == pytest.approx(expected, rel=0.005, abs=1.0), where


@needs_libreoffice
def test_recalculated_totals_match_tunewise(recalculated):
    for example in recalculated.values():
        for s in example.assessment.strategies:
            for total in TOTALS:
                _close(example.recalculated.value(f"{total}_{s.id}"), getattr(s.costs, total),
                       f"{example.stem}: {total}_{s.id}")
            _close(example.recalculated.value(f"net_value_{s.id}"), s.net_value,
                   f"{example.stem}: net_value_{s.id}")


@needs_libreoffice
def test_a_changed_input_cell_gives_what_tunewise_gives_with_that_override(recalculated):
    compared = 0
    for example in recalculated.values():
        for s in example.changed.strategies:
            before = example.assessment.strategy(s.id)
            if s.model_source != before.model_source:
                continue  # the workbook prices the source chosen at export time
            for total in TOTALS:
                _close(example.recalculated_changed.value(f"{total}_{s.id}"), getattr(s.costs, total),
                       f"{example.stem} with {CHANGED} doubled: {total}_{s.id}")
            compared += 1
    moved = [ex.stem for ex in recalculated.values() for s in ex.changed.strategies
             if s.costs.horizon_total != ex.assessment.strategy(s.id).costs.horizon_total]
    assert compared >= 4 * len(recalculated) and moved, "the doubled price must move some totals"


@pytest.fixture(scope="module")
def tunewise_with_changed_choices(tmp_path_factory) -> dict[str, dict]:
    """`tunewise report --format json` on each example with CHOICE_EDITS made to its answers."""
    import json

    import yaml

    folder = tmp_path_factory.mktemp("changed-answers")
    files = []
    for path in EXAMPLES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["answers"].update(CHOICE_EDITS[path.stem])
        files.append(folder / path.name)
        files[-1].write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert main(["report", *map(str, files), "--format", "json", "--out", str(folder / "out"),
                 "--jobs", "1"]) == 0
    return {f.stem: json.loads((folder / "out" / f"{f.stem}.json").read_text(encoding="utf-8"))
            for f in files}


@needs_libreoffice
def test_changed_choice_answers_give_what_tunewise_gives_for_them(recalculated,
                                                                  tunewise_with_changed_choices):
    compared, moved = 0, set()
    for example in recalculated.values():
        report = tunewise_with_changed_choices[example.stem]
        for s in report["strategies"]:
            before = example.assessment.strategy(s["id"])
            if s["model_source"] != before.model_source:
                continue  # the workbook prices the source chosen at export time
            for total in TOTALS:
                _close(example.recalculated_choices.value(f"{total}_{s['id']}"), s["costs"][total],
                       f"{example.stem} with {CHOICE_EDITS[example.stem]}: {total}_{s['id']}")
            _close(example.recalculated_choices.value(f"net_value_{s['id']}"), s["net_value"],
                   f"{example.stem} with {CHOICE_EDITS[example.stem]}: net_value_{s['id']}")
            compared += 1
            if abs(s["net_value"] - before.net_value) > 0.01 * max(1.0, abs(before.net_value)):
                moved.add(example.stem)
    assert compared >= 4 * len(recalculated), "most strategies keep their model source"
    assert len(moved) == len(recalculated), f"the changes must move every example: {moved}"


@needs_libreoffice
def test_a_shorter_horizon_in_the_sheet_gives_what_tunewise_gives_for_it(recalculated):
    for stem in HORIZON_EXAMPLES:
        example = recalculated[stem]
        shorter = _assess(ROOT / "examples" / f"{stem}.yaml", {"horizon_months": SHORTER})
        for s in shorter.strategies:
            if s.model_source != example.assessment.strategy(s.id).model_source:
                continue
            _close(example.recalculated_horizon.value(f"horizon_total_{s.id}"),
                   s.costs.horizon_total, f"{stem} over {SHORTER} months: horizon_total_{s.id}")
            _close(example.recalculated_horizon.value(f"net_value_{s.id}"), s.net_value,
                   f"{stem} over {SHORTER} months: net_value_{s.id}")


@needs_libreoffice
def test_no_formula_errors_after_recalculation(recalculated):
    for example in recalculated.values():
        assert example.recalculated.errors() == [], example.stem
        for variant in (example.recalculated_changed, example.recalculated_horizon,
                        example.recalculated_choices):
            assert variant is None or variant.errors() == [], example.stem


@needs_libreoffice
def test_libreoffice_turns_every_workbook_into_a_pdf(examples, tmp_path):
    files = []
    for stem, example in examples.items():
        files.append(tmp_path / f"{stem}.xlsx")
        files[-1].write_bytes(example.workbook)
    for pdf in convert(files, tmp_path / "pdf", "pdf", tmp_path / "profile"):
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_the_same_inputs_give_the_same_bytes(examples):
    for example in examples.values():
        assert render_xlsx(example.assessment) == example.workbook, example.stem
    assessment = examples["small-faq"].assessment
    dated = render_xlsx(assessment, report_date="2026-01-31")
    assert dated == render_xlsx(assessment, report_date="2026-01-31") != examples["small-faq"].workbook
    with zipfile.ZipFile(io.BytesIO(dated)) as archive:
        assert "2026-01-31T00:00:00Z" in archive.read("docProps/core.xml").decode()


def test_contract_names_and_sheets_are_there(examples):
    import openpyxl

    example = examples["support-tickets"]
    book = openpyxl.load_workbook(io.BytesIO(example.workbook))
    assert book.sheetnames == ["Summary", "Answers", "Assumptions", "Costs", "Cash flow",
                               "Sensitivity"]
    names = set(book.defined_names)
    assert {a.key for a in example.assessment.assumptions} <= names
    assert {a.question for a in example.assessment.answers} <= names
    for s in example.assessment.strategies:
        assert {f"upfront_{s.id}", f"monthly_{s.id}", f"horizon_total_{s.id}"} <= names


def test_report_command_writes_the_workbook(tmp_path, capsys):
    assert main(["report", str(EXAMPLES[0]), "--format", "xlsx", "--out", str(tmp_path),
                 "--jobs", "1"]) == 0
    written = tmp_path / f"{EXAMPLES[0].stem}.xlsx"
    assert written.read_bytes()[:2] == b"PK"
    assert str(written) in capsys.readouterr().out


def test_committed_sample_workbook_matches_a_fresh_render():
    from scripts import workbook_sample

    hint = "the sample workbook is stale: run `python3 scripts/workbook_sample.py` and commit it"
    assert workbook_sample.SAMPLE.read_bytes() == workbook_sample.render_sample(), hint
