"""The guided interview (Textual): `tunewise`, `tunewise interview [FILE]`, `tunewise serve`.

Modules: ``app`` (TunewiseApp and the flow between screens), ``base`` (typed ``self.app``),
``session`` (answers, notes and autosave; no Textual import), ``advisor`` and
``results_text`` / ``verdict`` (the words shown, from engine decisions; no Textual),
``widgets`` (question form, client form, advisor panel), ``screen_start`` (sessions grouped
by client), ``client_book`` (a client's use cases, budgets and portfolio; no Textual),
``screen_portfolio`` and ``client_form`` (the portfolio summary, its export, the budgets form;
styled in ``portfolio.tcss``),
``screen_interview``, ``screen_review``, ``screen_results`` (with the what-if sandbox),
``screen_export``, ``screen_help`` / ``help_text``, ``modals`` (pickers that filter as
you type, edit one answer, a note), ``serve`` (textual-serve with a token and one data
folder per browser), ``theme`` (the light theme) and ``tunewise.tcss`` (all layout).

Keys: Enter answers and moves on; Esc back; ctrl+n next; ctrl+g jump to a section;
ctrl+r review; ctrl+o results; ctrl+s export; F2 note; F1 or ? help; F5 presentation;
ctrl+t light/dark; ctrl+p command palette; ctrl+q quit. Every answer is saved at once.
"""
