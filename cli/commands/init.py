"""`tunewise init`: write a commented answer-file template."""

from __future__ import annotations

import json
import sys
import textwrap

from tunewise.cli.errors import UsageError
from tunewise.engine.questions import load_bank
from tunewise.engine.schema import SCHEMA_ID
from tunewise.storage.atomic import ExistsError, write_text


def _comment(text: str, indent: str, hang: str = "") -> list[str]:
    wrapped = textwrap.wrap(text, 76 - len(indent), subsequent_indent=hang)
    return [f"{indent}# {line}" for line in wrapped]


def template_text() -> str:
    bank = load_bank()
    lines = [
        f"# yaml-language-server: $schema={SCHEMA_ID}",
        "# tunewise answer file. Fill in every answer, then run:",
        "#   tunewise validate THIS_FILE      (checks it)",
        "#   tunewise report THIS_FILE        (writes the PDF and HTML report)",
        "# A blank answer counts as unanswered; 'tunewise validate --defaults' accepts",
        "# blanks and uses the default named beside each question.",
        "version: 1",
        "client:",
        '  name: ""            # required: the client\'s name',
        '  project: ""         # required: the project or use case',
        '  consultant: ""      # optional: who prepared the assessment',
        "  # date: 2026-01-31  # optional: the date printed on the report",
        "currency: USD         # one of USD, EUR, GBP, CHF, CAD, AUD, JPY, INR",
        "answers:",
    ]
    for section in bank.sections:
        lines += ["", f"  # ----- {section.title} -----", *_comment(section.intro, "  ")]
        for question in bank.in_section(section.id):
            lines += ["", *_comment(question.prompt, "  ")]
            lines += _comment("Why it matters: " + question.help, "  ")
            if question.when:
                condition = ", ".join(f"{k} is {json.dumps(v)}" for k, v in question.when.items())
                lines += _comment(f"Only asked when {condition}.", "  ")
            for choice in question.choices:
                lines += _comment(f"  {choice.value}: {choice.explain}", "  ", "      ")
            if question.type in ("integer", "money", "bool"):
                lines += _comment(f"Allowed: {question.allowed()}"
                                  + (f" ({question.unit})" if question.unit else ""), "  ")
            default = "" if question.default is None else json.dumps(question.default)
            note = f"default: {default}" if default else "optional"
            lines.append(f"  {question.id}:    # {note}")
    lines += ["", "# Optional: override any figure of the assumptions catalogue",
              "# ('tunewise assumptions' lists them with their sources), e.g.",
              "#   gpu_hour_usd: 2.49", "assumptions: {}", ""]
    return "\n".join(lines)


def run_init(path: str, force: bool) -> int:
    return write_template(path, template_text(), force,
                          f"fill in the answers, then run 'tunewise validate {path}'")


def write_template(path: str, text: str, force: bool, next_step: str) -> int:
    """A commented template to standard output ('-') or a new file (replaced only with --force)."""
    if path == "-":
        sys.stdout.write(text)
        return 0
    try:
        write_text(path, text, overwrite=force)
    except ExistsError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {path}: {next_step}")
    return 0
