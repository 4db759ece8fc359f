"""The `tunewise` command line: a thin layer that parses arguments and dispatches.

Heavy libraries (Textual, WeasyPrint, Rich) are imported only by the commands
that need them, so `--help` and `validate` start quickly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tunewise.cli.errors import UsageError
from tunewise.engine.escaping import printable


def _formats(text: str) -> list[str]:
    allowed = ("pdf", "html", "json", "text", "yaml", "xlsx")
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    bad = [part for part in chosen if part not in allowed]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(bad) or text!r} (allowed: {', '.join(allowed)})")
    return list(dict.fromkeys(chosen))


class _VersionAction(argparse.Action):
    """``--version``: the installed distribution's version, looked up only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version
        try:
            found = version("tunewise")
        except PackageNotFoundError:
            found = "unknown (not installed)"
        print(f"tunewise {found}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tunewise",
        description="Decide, with numbers you can defend, how to adapt a large language model: "
                    "prompting, retrieval (RAG), fine-tuning, training from scratch, or RAG "
                    "and fine-tuning together.",
        epilog="Run 'tunewise' with no command to start the guided interview.")
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback of unexpected failures")
    parser.add_argument("--theme", choices=("dark", "light"), help="TUI colour theme")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    interview = commands.add_parser("interview", help="the guided interview (Textual TUI)")
    interview.add_argument("answers", nargs="?", help="answer file to resume or pre-fill")
    interview.add_argument("--theme", choices=("dark", "light"), default=argparse.SUPPRESS)
    interview.add_argument("--present", action="store_true",
                           help="presentation mode: more space, advisor hidden until revealed, "
                                "no internal scores")
    # Set by `tunewise serve` for each browser session: its own data folder, downloads.
    interview.add_argument("--web-session", action="store_true", help=argparse.SUPPRESS)

    report = commands.add_parser("report", help="write reports for answer files (scripted mode)")
    report.add_argument("answers", nargs="+", help="answer files, or folders of *.yaml files")
    report.add_argument("--out", default=".", help="output folder (default: current folder)")
    report.add_argument("--format", type=_formats, default=["pdf", "html"],
                        help="comma-separated: pdf, html, json, text, yaml, xlsx (default: pdf,html)")
    report.add_argument("--brand", help="brand file (YAML) with logo, colours and footer")
    report.add_argument("--assumptions", help="YAML file of assumption overrides")
    report.add_argument("--defaults", action="store_true",
                        help="take the default for every unanswered question")
    report.add_argument("--paper", choices=("a4", "letter"), default="a4", help="PDF paper size")
    report.add_argument("--pdf-variant", choices=("pdf/a-3u", "pdf/ua-1"),
                        help="archival (pdf/a-3u) or tagged accessible (pdf/ua-1) PDF")
    report.add_argument("--templates", help="folder of templates overriding the report's blocks")
    report.add_argument("--detail", choices=("brief", "full"), default="brief",
                        help="PDF/HTML content: brief (memo, body, the assumptions used; default) or full "
                             "(every assumption and every approach's cost lines)")
    report.add_argument("--date", help="date printed on the report (YYYY-MM-DD); default: the "
                                       "answer file's client.date")
    report.add_argument("--horizon", type=int, help="months for totals and ROI (default 36)")
    report.add_argument("--jobs", type=int, default=None,
                        help="parallel workers for many files (default: number of cores)")
    report.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed per report in a batch (default 120)")

    validate = commands.add_parser("validate", help="check answer files; write nothing")
    validate.add_argument("answers", nargs="+", help="answer files or folders")
    validate.add_argument("--defaults", action="store_true",
                          help="accept unanswered questions (they take their defaults)")
    validate.add_argument("--assumptions", help="YAML file of assumption overrides to check too")

    init = commands.add_parser("init", help="write a commented answer-file template")
    init.add_argument("file", nargs="?", default="answers.yaml",
                      help="where to write it (default answers.yaml; '-' for standard output)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.add_argument("--portfolio", action="store_true",
                      help="write a portfolio-file template instead (default portfolio.yaml)")

    commands.add_parser("questions", help="list the question bank")
    schema = commands.add_parser("schema", help="print the JSON Schema of answer files")
    schema.add_argument("--portfolio", action="store_true", help="the schema of portfolio files instead")
    commands.add_parser("assumptions", help="list the assumptions catalogue with sources")

    compare = commands.add_parser("compare", help="how two answer files differ in outcome")
    compare.add_argument("first")
    compare.add_argument("second")
    compare.add_argument("--defaults", action="store_true")

    completion = commands.add_parser("completion", help="print a shell completion script")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"),
                            help="the shell: e.g. 'tunewise completion bash > ~/.local/share/"
                                 "bash-completion/completions/tunewise'")
    _portfolio_parser(commands)

    serve = commands.add_parser("serve", help="serve the interview in a browser (textual-serve)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only); "
                            "any other address needs a token")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--token", help="secret every browser must present (?token=...); "
                                       "generated and printed when --host is not loopback")
    _complete_paths(parser)
    return parser


# shtab's FILE and DIRECTORY markers, spelled out so that building the parser need not import shtab.
_FILES = {"bash": "_shtab_compgen_files", "zsh": "_files", "tcsh": "f"}
_FOLDERS = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/", "tcsh": "d"}
_FILE_ARGUMENTS = {"answers", "first", "second", "file", "brand", "assumptions", "portfolio"}
_FOLDER_ARGUMENTS = {"out", "templates"}


def _complete_paths(parser: argparse.ArgumentParser) -> None:
    """Let shell completion offer files and folders where an argument names one."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _complete_paths(sub)
        elif action.dest in _FILE_ARGUMENTS:
            action.complete = _FILES  # type: ignore[attr-defined]
        elif action.dest in _FOLDER_ARGUMENTS:
            action.complete = _FOLDERS  # type: ignore[attr-defined]


def _portfolio_parser(commands) -> None:
    from tunewise.cli.commands.portfolio import portfolio_formats

    portfolio = commands.add_parser(
        "portfolio", help="several use cases of one client, funded within one budget and team")
    portfolio.add_argument("portfolio", help="portfolio file (YAML); 'tunewise init --portfolio' writes one")
    portfolio.add_argument("--out", default=".", help="output folder (default: current folder)")
    portfolio.add_argument("--format", type=portfolio_formats, default=["pdf", "html"],
                           help="comma-separated: pdf, html, json, xlsx (default: pdf,html); each use "
                                "case's own report is written beside the portfolio's PDF or HTML; the "
                                "workbook holds every use case's live cost sheets")
    portfolio.add_argument("--brand", help="brand file (YAML) with logo, colours and footer")
    portfolio.add_argument("--assumptions", help="YAML file of assumption overrides for every use case")
    portfolio.add_argument("--defaults", action="store_true",
                           help="take the default for every unanswered question")
    portfolio.add_argument("--paper", choices=("a4", "letter"), default="a4", help="PDF paper size")
    portfolio.add_argument("--date", help="date printed on the reports (YYYY-MM-DD)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return dispatch(args)
    except UsageError as exc:
        print(f"tunewise: {printable(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tunewise: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # the last line of defence: no traceback without --debug
        if args.debug:
            raise
        print(f"tunewise: unexpected failure: {type(exc).__name__}: {printable(exc)}. "
              f"{where_to_report()}", file=sys.stderr)
        return 1


def where_to_report() -> str:
    """Where to send a bug: the tracker named in [project.urls] of the package, if it names one.

    Read only after a failure, so start-up pays nothing for it.
    """
    from importlib import metadata
    try:
        entries = metadata.metadata("tunewise").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        entries = []
    urls = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    url = next((urls[k] for k in ("issues", "bug tracker", "bugs", "tracker") if urls.get(k)), None)
    if url:
        return f"Run again with --debug for details and report it at {url}"
    return ("Run again with --debug and keep its output: it shows where the failure happened, "
            "for whoever looks into it")


def dispatch(args: argparse.Namespace) -> int:
    command = args.command or "interview"
    if command == "interview":
        from tunewise.cli.commands.interview import run_interview
        return run_interview(getattr(args, "answers", None), getattr(args, "theme", None),
                             present=getattr(args, "present", False),
                             web_session=getattr(args, "web_session", False))
    if command == "serve":
        from tunewise.cli.commands.interview import run_serve
        return run_serve(args.host, args.port, args.token)
    if command == "report":
        from tunewise.cli.commands.report import run_report
        return run_report(args)
    if command == "validate":
        from tunewise.cli.commands.validate import run_validate
        return run_validate(args)
    if command == "init" and args.portfolio:
        from tunewise.cli.commands.portfolio import run_init_portfolio
        return run_init_portfolio("portfolio.yaml" if args.file == "answers.yaml" else args.file, args.force)
    if command == "init":
        from tunewise.cli.commands.init import run_init
        return run_init(args.file, args.force)
    if command == "completion":
        return run_completion(args.shell)
    if command == "portfolio":
        from tunewise.cli.commands.portfolio import run_portfolio
        return run_portfolio(args)
    if command == "schema" and args.portfolio:
        from tunewise.cli.commands.portfolio import run_schema_portfolio
        return run_schema_portfolio()
    if command == "compare":
        from tunewise.cli.commands.compare import run_compare
        return run_compare(args)
    from tunewise.cli.commands import listing
    return {"questions": listing.run_questions, "schema": listing.run_schema,
            "assumptions": listing.run_assumptions}[command]()


def run_completion(shell: str) -> int:
    import shtab

    print(shtab.complete(build_parser(), shell=shell))
    return 0


if __name__ == "__main__":
    sys.exit(main())
