"""The light theme: textual-light's layout with colours that pass WCAG AA for text.

textual-light draws orange (#ffa62b) headings and 60 % grey hints on a light grey
background, which falls well under the 4.5:1 contrast ratio text needs. Here the
background is near white and the accent and muted text are dark enough.
"""

from __future__ import annotations

from textual.theme import Theme

LIGHT = Theme(
    name="tunewise-light",
    primary="#004578",
    secondary="#0160A8",
    accent="#8A3B00",
    warning="#8A4B00",
    error="#A1263F",
    success="#1E6B35",
    foreground="#1A1A1A",
    surface="#FFFFFF",
    panel="#E4E8EE",
    background="#FAFAFA",
    boost="#F0F2F5",
    dark=False,
    variables={
        "footer-key-foreground": "#004578",
        "text-muted": "#4A4A4A",
        "foreground-muted": "#4A4A4A",
        "text-accent": "#8A3B00",
        "text-warning": "#7A4200",
        "text-error": "#A1263F",
        "text-primary": "#004578",
        "block-cursor-text-style": "bold",
    },
)


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """The WCAG 2 contrast ratio of two sRGB colours (1 to 21)."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
