"""What the help screen (F1 or ?) says: each screen's keys and one legend for all."""

from __future__ import annotations

COMMON_KEYS = [
    ("F1 or ?", "this help (Esc closes it)"),
    ("ctrl+p", "command palette: jump anywhere by typing (the start screen, the client's portfolio)"),
    ("F3", "the portfolio of this session's client (funded, deferred, totals against the budgets)"),
    ("ctrl+t", "light or dark theme"),
    ("F5", "presentation mode on or off (more space, advisor hidden, no internal scores)"),
    ("ctrl+q", "quit (every answer is already saved)"),
]

SCREEN_KEYS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "StartScreen": ("Start", [
        ("n", "new assessment"),
        ("r", "resume the most recent one"),
        ("o", "open an answer file (Tab completes the path)"),
        ("↑ ↓ Enter", "open the highlighted saved session, or on a client's row its portfolio"),
        ("a", "add a use case to the highlighted client (a new interview for it)"),
        ("p", "the highlighted client's portfolio"),
        ("d / delete", "duplicate / delete the highlighted saved session"),
    ]),
    "PortfolioScreen": ("Client portfolio", [
        ("↑ ↓ Enter", "open the highlighted use case's interview"),
        ("a", "add a use case to this client"),
        ("b", "the client's budgets and people (the portfolio funds within them)"),
        ("m", "mark the highlighted use case must do, or not (always funded, or the plan "
              "is reported infeasible)"),
        ("e", "export the portfolio: its file, each use case's answer file and the reports"),
        ("Esc", "back to the start screen"),
    ]),
    "InterviewScreen": ("Interview", [
        ("Enter", "answer and move on"),
        ("Esc", "previous question"),
        ("ctrl+n", "confirm what is shown and move on"),
        ("ctrl+g", "jump to a section (type to filter)"),
        ("ctrl+r", "review every answer"),
        ("ctrl+o", "results"),
        ("ctrl+s", "export"),
        ("F2", "a note on this answer (stored in the answer file, shown in the report)"),
        ("ctrl+a", "in presentation mode: reveal or hide the advisor"),
    ]),
    "ReviewScreen": ("Review", [
        ("Enter", "change the selected answer"),
        ("Esc", "back to where you came from"),
        ("ctrl+g", "jump to a section"),
        ("ctrl+o", "results"),
        ("ctrl+s", "export"),
    ]),
    "ResultsScreen": ("Results", [
        ("Enter on a flip", "try it as a what-if beside the current answers"),
        ("w", "try any answer as a what-if"),
        ("k / x", "keep the what-if (saves it) / revert it"),
        ("Esc", "back to where you came from"),
        ("ctrl+r", "review"),
        ("ctrl+s", "export"),
    ]),
    "ExportScreen": ("Export", [
        ("ctrl+s", "export now"),
        ("ctrl+g", "client details and other sections"),
        ("Esc", "back to where you came from"),
    ]),
}

LEGEND = [
    ("Verdict", "Build: the pick fits every limit and is expected to pay. Do not build: no "
                "approach is expected to earn back its cost. Outside the limits: some would "
                "pay, but none fits the budget and deadline as answered."),
    ("Confidence", "How clearly the pick leads the runner-up on the answers given; 50 % means "
                   "it is a coin toss or nothing fits the limits. It is not a probability of "
                   "success."),
    ("Over budget", "The approach could work but costs more than the budget or takes longer "
                    "than the deadline. Raising the limit brings it back."),
    ("Ruled out", "An answer excludes the approach outright (for example regulated data on a "
                  "closed API without an agreement); no budget brings it back."),
    ("Closed API", "A provider's model used through its API: nothing to host, data leaves the "
                   "premises, pay per use."),
    ("Open weights", "A model the business runs on its own or rented machines: data stays in, "
                     "hosting and operating it cost money every month."),
    ("P10–P90", "Net value under uncertain assumptions: in 8 of 10 simulated cases it lies "
                "between these two figures; 1 in 10 falls below P10."),
    ("Net value", "Benefits minus costs over the horizon, discounted, allowing for the time to "
                  "go live and the chance the project fails."),
    ("Funded / deferred", "In a portfolio: funded use cases fit the budgets and people together; "
                          "a deferred one is worth building but does not fit as well; not worth "
                          "it means its own assessment says do not build."),
]
