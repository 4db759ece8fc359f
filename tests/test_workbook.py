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
        variants: dict[str, dict[str, float | str | None]] = {"changed": {CHANGED: None}}
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
        for variant in (example.recalculated_changed, example.recalculated_horizon):
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
