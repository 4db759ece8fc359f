"""Text from input, made safe to print on one terminal line."""

from __future__ import annotations

import re

# Control characters (newlines, ESC, BEL...), format characters (bidirectional overrides)
# and line or paragraph separators: anything that could forge a line or drive a terminal.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """Text echoed from input made safe for one terminal line: every control or format
    character is shown as an escape (\\n, \\x1b, \\u202e), so a key or file name can
    neither start a forged problem line nor send escape codes to the terminal."""
    value = str(text)
    if _UNPRINTABLE.search(value):
        value = _UNPRINTABLE.sub(_escape, value)
    return value
