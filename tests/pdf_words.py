"""Where the words of a PDF end on the page (poppler's pdftotext -bbox)."""

from __future__ import annotations

import re
import statistics
import subprocess
from pathlib import Path


def words_past_the_right_margin(pdf: bytes, folder: Path) -> list[tuple[int, str]]:
    """(page, word) for every word that ends right of the right margin. Most pages' rightmost
    word is the footer's page number, which ends at the margin, so the margin is the median of
    the pages' rightmost word ends."""
    path = folder / "checked.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                           text=True).stdout
    pages = re.findall(r"<page [^>]*>(.*?)</page>", boxes, re.S)
    words = [[(float(x), word) for x, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)<', page)]
             for page in pages]
    margin = statistics.median(max(x for x, _ in page) for page in words if page) + 1.0
    return [(number, word) for number, page in enumerate(words, start=1) for x, word in page if x > margin]
