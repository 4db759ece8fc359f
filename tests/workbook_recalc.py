"""Recalculate workbooks with LibreOffice headless and read the results back.

One `soffice` process converts every file given to it, so a test pays the
start-up cost once. A private user profile tells LibreOffice to recalculate
every formula on load: by default it trusts the values cached in a file that
says it was written by Excel, which XlsxWriter's files do.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""
ERRORS = ("#REF!", "#NAME?", "#DIV/0!", "#VALUE!", "#NUM!", "#N/A", "#NULL!", "Err:")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(files: list[Path], out_dir: Path, target: str, profile: Path,
            timeout: float = 300) -> list[Path]:
    """Convert ``files`` to ``target`` (xlsx, pdf, png, ...) in one LibreOffice run."""
    settings = profile / "user" / "registrymodifications.xcu"
    if not settings.exists():
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(PROFILE_SETTINGS, encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
               "--norestore", "--convert-to", target, "--outdir", str(out_dir),
               *[str(f) for f in files]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    extension = target.split(":")[0]
    results = [out_dir / f"{Path(f).stem}.{extension}" for f in files]
    missing = [r for r in results if not r.exists()]
    if done.returncode or missing:
        raise RuntimeError(f"LibreOffice failed ({done.returncode}) for {missing}: "
                           f"{done.stderr.strip() or done.stdout.strip()}")
    return results


@dataclass
class Recalculated:
    """Values of a recalculated workbook, found by defined name or by scanning."""

    path: Path

    def __post_init__(self) -> None:
        import openpyxl
        self.book = openpyxl.load_workbook(self.path, data_only=True)

    def value(self, name: str):
        defined = self.book.defined_names[name]
        ((sheet, cell),) = list(defined.destinations)
        return self.book[sheet][cell.replace("$", "")].value

    def errors(self) -> list[str]:
        """Every cell holding a formula error, as 'Sheet!A1: #NAME?'."""
        found = []
        for sheet in self.book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(ERRORS):
                        found.append(f"{sheet.title}!{cell.coordinate}: {cell.value}")
        return found
