"""Brand files: who the report is from, in which colours, with which logo and font.

A brand file is untrusted input. It is parsed with the engine's safe YAML
loader, every problem is reported at once with its line and column, and the
logo may only be an SVG or PNG file inside the brand file's own folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tunewise.engine import yaml_source
from tunewise.engine.problems import InputError, Problem, did_you_mean

TEMPLATES_ROOT = Path(__file__).resolve().parent.parent / "templates"
ASSETS_DIR = TEMPLATES_ROOT / "assets"
DEFAULT_LOGO = ASSETS_DIR / "logo.svg"

FontId = Literal["inter", "garamond"]
# Family names are prefixed so that no installed system font can stand in for ours:
# the PDF must embed the bundled files on every machine, byte for byte.
FONTS: dict[str, dict[str, Any]] = {
    "inter": {
        "family": "tunewise Inter",
        "stack": '"tunewise Inter", Inter, "Helvetica Neue", Arial, "Liberation Sans", sans-serif',
        "files": {400: "Inter-Regular.woff2", 600: "Inter-SemiBold.woff2", 700: "Inter-Bold.woff2"},
    },
    "garamond": {
        "family": "tunewise EB Garamond",
        "stack": '"tunewise EB Garamond", "EB Garamond", Garamond, Georgia, "Times New Roman", serif',
        # Debian's EB Garamond 12 Bold covers only ASCII, so the regular face serves every weight
        # (a classic book look; and no installed font can slip in for the bold).
        "files": {400: "EBGaramond-Regular.woff2", 600: "EBGaramond-Regular.woff2",
                  700: "EBGaramond-Regular.woff2"},
    },
}

KEYS = ("name", "logo", "primary_color", "accent_color", "footer", "font")
TEXT_LIMIT = 200
LOGO_SUFFIXES = {".svg": "image/svg+xml", ".png": "image/png"}
MAX_LOGO_BYTES = 2 * 1024 * 1024
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


class Brand(BaseModel):
    """A validated brand. ``logo`` is an absolute, resolved path (or None)."""

    model_config = ConfigDict(frozen=True)
    name: str = "tunewise"
    logo: str | None = str(DEFAULT_LOGO)
    primary_color: str = "#1F3A5F"
    accent_color: str = "#1C7C7D"
    footer: str = "Prepared with tunewise. Figures are estimates; see the appendix for every assumption."
    font: FontId = "inter"
    folder: str | None = None

    @property
    def logo_mime(self) -> str | None:
        if not self.logo:
            return None
        return LOGO_SUFFIXES[Path(self.logo).suffix.lower()]

    @property
    def font_stack(self) -> str:
        return FONTS[self.font]["stack"]

    @property
    def font_family(self) -> str:
        return FONTS[self.font]["family"]

    @property
    def primary_text(self) -> str:
        """The primary colour, darkened until text in it is readable on white."""
        return readable_on_white(self.primary_color)

    @property
    def accent_text(self) -> str:
        return readable_on_white(self.accent_color)

    @property
    def on_primary(self) -> str:
        """White or near-black: whichever reads better on the primary colour."""
        return _best_text(self.primary_color)

    @property
    def on_accent(self) -> str:
        return _best_text(self.accent_color)


DEFAULT_BRAND = Brand()


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb)


def luminance(color: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on_white(color: str, ratio: float = 4.6) -> str:
    rgb = _rgb(color)
    for _ in range(40):
        if contrast(_hex(rgb), "#FFFFFF") >= ratio:
            return _hex(rgb)
        rgb = tuple(c * 0.92 for c in rgb)  # type: ignore[assignment]
    return "#000000"


def _best_text(background: str) -> str:
    return "#FFFFFF" if contrast(background, "#FFFFFF") >= contrast(background, "#111111") else "#111111"


def tint(color: str, amount: float) -> str:
    """Mix ``color`` with white; amount 0 gives the colour, 1 gives white."""
    return _hex(tuple(c + (1 - c) * amount for c in _rgb(color)))  # type: ignore[arg-type]


def load_brand(path: str) -> Brand:
    """Read and check a brand file; raise InputError carrying every problem."""
    try:
        located = yaml_source.read_file(path)
    except yaml_source.SourceError as exc:
        raise InputError([exc.problem(str(path))]) from None
    return _check(located, str(path), Path(path).resolve().parent)


def _check(located: yaml_source.Located, name: str, folder: Path) -> Brand:
    problems: list[Problem] = []

    def add(key: str, message: str, allowed: str | None = None) -> None:
        path = (key,) if key else ()
        line, column = located.where(path)
        problems.append(Problem(file=name, line=line, column=column, question=key or "file",
                                message=message, allowed=allowed))

    data = located.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        add("", "expected a mapping of brand keys to values", ", ".join(KEYS))
        raise InputError(problems)
    fields: dict[str, Any] = {"folder": str(folder)}
    for key in data:
        if key not in KEYS:
            add(str(key), f"unknown brand key{did_you_mean(key, KEYS)}", ", ".join(KEYS))
    for key in ("name", "footer"):
        if key in data:
            value = data[key]
            if not isinstance(value, str) or not value.strip() or len(value) > TEXT_LIMIT:
                add(key, f"expected text of 1 to {TEXT_LIMIT} characters", "text")
            else:
                fields[key] = " ".join(value.split())
    for key in ("primary_color", "accent_color"):
        if key in data:
            value = data[key]
            if not isinstance(value, str) or not HEX.fullmatch(value.strip()):
                add(key, f"expected a CSS hex colour, got {value!r}", '"#RRGGBB" or "#RGB"')
            else:
                fields[key] = value.strip().upper()
    if "font" in data:
        value = data["font"]
        if value not in FONTS:
            hint = did_you_mean(value, FONTS) if isinstance(value, str) else ""
            add("font", f"unknown font {value!r}{hint}", ", ".join(FONTS))
        else:
            fields["font"] = value
    if "logo" in data:
        value = data["logo"]
        if value is None or value == "":
            fields["logo"] = None
        else:
            logo, problem = check_logo(value, folder)
            if problem:
                add("logo", problem, "an .svg or .png file inside the brand file's folder")
            else:
                fields["logo"] = logo
    if problems:
        raise InputError(problems)
    return Brand(**fields)


def check_logo(value: Any, folder: Path) -> tuple[str | None, str | None]:
    """(resolved path, None) for an acceptable logo; (None, why not) otherwise."""
    if not isinstance(value, str):
        return None, f"expected a file name, got {value!r}"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) and not re.match(r"^[A-Za-z]:[\\/]", value):
        return None, f"{value!r} is a URL; name a file inside the brand file's folder"
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", value) or Path(value).is_absolute():
        return None, f"{value!r} is an absolute path; name a file inside the brand file's folder"
    if "\x00" in value:
        return None, "the file name holds a NUL byte"
    suffix = Path(value).suffix.lower()
    if suffix not in LOGO_SUFFIXES:
        return None, f"{value!r} is not an SVG or PNG file"
    root = folder.resolve()
    target = (root / value).resolve()
    if not target.is_relative_to(root):
        return None, f"{value!r} points outside the brand file's folder"
    if not target.is_file():
        return None, f"{value!r} does not exist in the brand file's folder"
    if target.suffix.lower() not in LOGO_SUFFIXES:
        return None, f"{value!r} links to a file that is not an SVG or PNG"
    size = target.stat().st_size
    if size > MAX_LOGO_BYTES:
        return None, f"{value!r} is {size:,} bytes; the limit is {MAX_LOGO_BYTES:,}"
    head = target.read_bytes()[:512]
    if suffix == ".png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        return None, f"{value!r} is not a PNG image"
    if suffix == ".svg" and b"<svg" not in target.read_bytes()[:4096].lower():
        return None, f"{value!r} is not an SVG image"
    return str(target), None
