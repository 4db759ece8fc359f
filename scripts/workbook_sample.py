"""Regenerate the sample workbook and the README's picture of its Summary sheet.

``python3 scripts/workbook_sample.py`` writes ``sample_reports/<stem>.xlsx`` and,
when LibreOffice and pdftoppm are installed, ``docs/workbook-summary.png``: the
workbook recalculated and printed by LibreOffice headless, first page (the
Summary sheet) as a PNG.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEM = "regulated-clinic"
SAMPLE = ROOT / "sample_reports" / f"{STEM}.xlsx"
PICTURE = ROOT / "docs" / "workbook-summary.png"


def render_sample() -> bytes:
    from tunewise.engine.answers import load_answer_path, require
    from tunewise.engine.assess import assess
    from tunewise.report.workbook import render_xlsx

    return render_xlsx(assess(require(load_answer_path(ROOT / "examples" / f"{STEM}.yaml"))))


def picture(workbook: Path, target: Path) -> None:
    """The Summary sheet as LibreOffice prints it, as a PNG."""
    sys.path.insert(0, str(ROOT))
    from tests.workbook_recalc import convert

    with tempfile.TemporaryDirectory() as folder:
        (pdf,) = convert([workbook], Path(folder), "pdf", Path(folder) / "profile")
        stem = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                        "-x", "60", "-y", "30", "-W", "1160", "-H", "560", str(pdf), str(stem)],
                       check=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(stem.with_suffix(".png").read_bytes())


def main() -> int:
    SAMPLE.write_bytes(render_sample())
    print(SAMPLE)
    picture(SAMPLE, PICTURE)
    print(PICTURE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
