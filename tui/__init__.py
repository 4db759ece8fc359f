"""The guided interview (Textual): `tunewise`, `tunewise interview [FILE]`, `tunewise serve`.

Modules: ``app`` (TunewiseApp and the flow between screens), ``session`` (answers and
autosave; no Textual import), ``widgets`` (question form, client form, live advisor),
``screen_start``, ``screen_interview``, ``screen_review``, ``screen_results``,
``screen_export``, ``modals`` (section picker, question picker, change one answer),
``commands`` (command palette provider) and ``tunewise.tcss`` (all layout).

Keys: Enter answers and moves on; Esc back; ctrl+n next; ctrl+g jump to a section;
ctrl+r review; ctrl+o results; ctrl+s export; ctrl+t light/dark; ctrl+p command palette;
ctrl+q quit. Every answer is saved at once (see ``tui.session``).
"""
