"""One interview session: client details and answers, autosaved on every change.

Kept free of Textual so it can be tested and reused on its own. Every change is
written at once, atomically, to an answer file:

* beside an opened file ``FOO.yaml`` as ``FOO.autosave.yaml`` (the consultant's
  own file, comments and all, is never rewritten), or
* for a new assessment, ``<data dir>/sessions/<slug>.yaml`` where the data dir is
  ``$TUNEWISE_DATA_DIR`` or ``platformdirs.user_data_dir("tunewise", appauthor=False)``.

``<data dir>/last-session`` names the most recent autosave so "resume" finds it
after a clean exit, Ctrl-C, a crash or a killed terminal alike. A partial
autosave (no client name yet, questions unanswered) may fail validation but
keeps every answer; a complete one is a valid answer file for scripted mode.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tunewise.engine.answers import (
    NOTE_LIMIT,
    TEXT_LIMIT,
    AnswerFile,
    check_value,
    load_answer_text,
    normalise,
    require,
)
from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.questions import Question, QuestionBank, load_bank
from tunewise.storage.answer_writer import dump_answers, save_answers
from tunewise.storage.atomic import write_text

AUTOSAVE_SUFFIX = ".autosave.yaml"
LAST_SESSION = "last-session"
CLIENT_FIELDS = ("name", "project", "consultant")
NO_CLIENT = "—"    # how a saved session without a client name is listed


def data_dir() -> Path:
    override = os.environ.get("TUNEWISE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("tunewise", appauthor=False))


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def slugify(text: str, fallback: str = "assessment") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def currencies() -> list[str]:
    return load_catalogue().currencies


THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?[kKmMbB]?")


def parse_number(text: str) -> float | None:
    """A number as a consultant types it: 50000, 50,000, 50_000, $50k, 1.5M.

    A comma only separates thousands (50,000); "1,2" is refused rather than read as 12,
    since a European consultant may mean 1.2.
    """
    stripped = re.sub(r"[\s_$€£¥₹]", "", text.strip())
    stripped = re.sub(r"^(USD|EUR|GBP|JPY|INR|CHF|CAD|AUD)", "", stripped, flags=re.IGNORECASE)
    if "," in stripped and not THOUSANDS.fullmatch(stripped):
        return None
    cleaned = stripped.replace(",", "")
    factor = 1.0
    match = re.fullmatch(r"(.*?)([kKmMbB])", cleaned)
    if match:
        cleaned = match.group(1)
        factor = {"k": 1e3, "m": 1e6, "b": 1e9}[match.group(2).lower()]
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cleaned):
        return None
    value = float(cleaned) * factor
    return value if math.isfinite(value) else math.inf


def number_problem(question: Question, text: str) -> tuple[Any, str | None]:
    """(value, None) for valid input, or (None, message) to show beside the field."""
    value = parse_number(text)
    allowed = question.allowed().replace("_", ",")
    if not text.strip():
        return None, f"This question needs an answer. Enter {allowed}."
    if value is None:
        if "," in text:
            return None, (f"“{text.strip()}” is ambiguous: a comma only separates thousands "
                          f"(50,000). Use a point for decimals. Enter {allowed}.")
        return None, f"“{text.strip()}” is not a number. Enter {allowed}."
    if math.isinf(value):
        return None, f"“{text.strip()}” is far too large. Enter {allowed}."
    if float(value).is_integer():
        value = int(value)
    problem = check_value(question, value)
    if problem:
        return None, f"{problem[0]}. Enter {allowed}."
    return normalise(question, value), None


def format_value(question: Question, value: Any, currency: str = "USD") -> str:
    """An answer in words, as shown in the review table."""
    if value is None:
        return "—"
    if question.type == "choice":
        choice = question.choice(value)
        return choice.label if choice else str(value)
    if question.type == "bool":
        return "Yes" if value else "No"
    if question.type == "money":
        from tunewise.engine.money import fmt

        return fmt(value, currency)
    if question.type == "integer":
        return f"{value:,}" + (f" {question.unit}" if question.unit else "")
    return str(value)


@dataclass
class Session:
    """The state of one interview and where it autosaves."""

    path: Path
    client: dict[str, Any] = field(default_factory=dict)
    currency: str = "USD"
    answers: dict[str, Any] = field(default_factory=dict)
    assumptions: dict[str, float] = field(default_factory=dict)
    opened: Path | None = None
    warnings: list[str] = field(default_factory=list)   # about the opened file, shown until dismissed
    answer_notes: dict[str, str] = field(default_factory=dict)   # question id -> note
    last_question: str | None = None

    # ----- creating and loading -------------------------------------------------
    @classmethod
    def new(cls) -> Session:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        return cls(path=_unique(sessions_dir() / f"untitled-{stamp}.yaml"))

    @classmethod
    def open(cls, path: str | Path) -> Session:
        """Open an answer file; its autosave beside it wins when it is newer."""
        path = Path(path).expanduser()
        if path.name.endswith(AUTOSAVE_SUFFIX) or _inside(path, sessions_dir()):
            target = path
        else:
            target = path.with_name(path.name.removesuffix(".yaml").removesuffix(".yml")
                                    + AUTOSAVE_SUFFIX)
        source = path
        warnings = []
        if target != path and target.is_file() and (
                not path.is_file() or target.stat().st_mtime >= path.stat().st_mtime):
            source = target
            warnings.append(f"Restored the newer autosave {target.name}.")
        session = cls(path=target, opened=path)
        session._read(source)
        session.warnings = warnings + session.warnings
        return session

    @classmethod
    def resume_last(cls) -> Session | None:
        path = last_session_path()
        if path is None:
            return None
        opened = None
        if path.name.endswith(AUTOSAVE_SUFFIX):
            # The autosave beside an opened file: exports keep that file's name and folder.
            opened = path.with_name(path.name.removesuffix(AUTOSAVE_SUFFIX) + ".yaml")
        session = cls(path=path, opened=opened)
        session._read(path)
        return session

    def _read(self, path: Path) -> None:
        from tunewise.engine.yaml_source import SourceError, read_file

        if not path.exists():
            raise FileNotFoundError(path)
        try:
            data = read_file(path).data
        except SourceError as exc:
            # One line naming the file and the place, never the parser's raw text.
            raise ValueError(f"{path.name}:{exc.line}:{exc.column}: not an answer file: "
                             f"{_first_line(exc.message)}") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ValueError(f"{path.name}: not an answer file (expected client, currency "
                             "and answers)")
        if not ({"client", "answers", "version"} & set(data)) and data:
            raise ValueError(f"{path.name}: not an answer file (it has none of version, client "
                             "or answers)")
        client = data.get("client") or {}
        if isinstance(client, dict):
            for key in (*CLIENT_FIELDS, "date"):
                value = client.get(key)
                if isinstance(value, str) and value.strip():
                    self.client[key] = value.strip()[:TEXT_LIMIT]
                elif isinstance(value, dt.date):
                    self.client[key] = value.isoformat()
        currency = data.get("currency", "USD")
        if isinstance(currency, str) and currency in currencies():
            self.currency = currency
        elif currency is not None:
            self.warnings.append(f"Unknown currency {currency!r}; using USD.")
        bank = load_bank()
        raw = data.get("answers") or {}
        if isinstance(raw, dict):
            for key, value in raw.items():
                if key not in bank.by_id:
                    self.warnings.append(f"Ignored unknown question {key!r}.")
                    continue
                if value is None:
                    continue
                question = bank.get(key)
                if check_value(question, value):
                    self.warnings.append(f"Ignored an invalid answer to “{bank.get(key).prompt}”: "
                                         f"{value!r}.")
                    continue
                self.answers[key] = normalise(question, value)
        notes = data.get("notes") or {}
        if isinstance(notes, dict):
            for key, value in notes.items():
                if key in bank.by_id and isinstance(value, str) and value.strip():
                    self.answer_notes[key] = value.strip()[:NOTE_LIMIT]
        overrides = data.get("assumptions") or {}
        if isinstance(overrides, dict):
            catalogue = load_catalogue()
            for key, value in overrides.items():
                if key in catalogue.entries and not catalogue.override_problem(key, value):
                    self.assumptions[key] = float(value)

    # ----- questions ---------------------------------------------------------
    @property
    def bank(self) -> QuestionBank:
        return load_bank()

    def merged(self) -> dict[str, Any]:
        return self.bank.defaults() | self.answers

    def applicable(self, overrides: dict[str, Any] | None = None) -> list[Question]:
        return self.bank.applicable(self.answers | (overrides or {}))

    def applicable_in(self, section_id: str) -> list[Question]:
        return [q for q in self.applicable() if q.section == section_id]

    def missing(self) -> list[Question]:
        """Applicable required questions not answered yet."""
        return [q for q in self.applicable() if q.required and q.id not in self.answers]

    def client_ready(self) -> bool:
        return bool(self.client.get("name")) and bool(self.client.get("project"))

    def complete(self) -> bool:
        return self.client_ready() and not self.missing()

    def first_unanswered(self) -> Question | None:
        missing = self.missing()
        return missing[0] if missing else None

    def next_after(self, question_id: str | None) -> Question | None:
        """The applicable question after ``question_id`` (None: the first one)."""
        applicable = self.applicable()
        if question_id is None:
            return applicable[0] if applicable else None
        order = self.bank.ids.index(question_id)
        return next((q for q in applicable if self.bank.ids.index(q.id) > order), None)

    def previous_before(self, question_id: str) -> Question | None:
        order = self.bank.ids.index(question_id)
        earlier = [q for q in self.applicable() if self.bank.ids.index(q.id) < order]
        return earlier[-1] if earlier else None

    def effective(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answers that apply (what the engine sees)."""
        answers = self.answers | (overrides or {})
        ids = {q.id for q in self.applicable(overrides)}
        return {k: v for k, v in answers.items() if k in ids and v is not None}

    # ----- changing and saving --------------------------------------------------
    def set_answer(self, question_id: str, value: Any) -> None:
        question = self.bank.get(question_id)
        if value is None:
            self.answers.pop(question_id, None)
        else:
            problem = check_value(question, value)
            if problem:
                raise ValueError(problem[0])
            self.answers[question_id] = normalise(question, value)
        self.last_question = question_id
        self.save()

    def set_note(self, question_id: str, text: str) -> None:
        """The consultant's note on one answer (empty removes it); saved at once."""
        text = text.strip()[:NOTE_LIMIT]
        if text:
            self.answer_notes[question_id] = text
        else:
            self.answer_notes.pop(question_id, None)
        self.save()

    def set_client(self, **fields: Any) -> None:
        before = (dict(self.client), self.currency)
        for key, value in fields.items():
            if key == "currency":
                if value in currencies():
                    self.currency = value
                continue
            text = (value or "").strip()[:TEXT_LIMIT]
            if text:
                self.client[key] = text
            else:
                self.client.pop(key, None)
        if (self.client, self.currency) != before or not self.path.exists():
            if self.client or self.path.exists():
                self.save()

    def save(self) -> Path:
        try:
            self._write()
        except OSError as exc:
            if _inside(self.path, sessions_dir()):
                raise
            # The opened file's folder is not writable: keep the answers in the data dir.
            failed = self.path
            self.path = _unique(sessions_dir() / f"{slugify(self.stem)}.yaml")
            self._write()
            self.warn(f"Cannot write {failed} ({exc.strerror or exc}); "
                      f"saving to {self.path} instead.")
        _remember(self.path)
        return self.path

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        save_answers(self.path, self.client, self.answers, self.currency,
                     self.assumptions or None, self.answer_notes or None)

    def warn(self, message: str) -> None:
        """Tell the consultant something went sideways (the app replaces this)."""
        self.warnings.append(message)

    def dump(self, answers: dict[str, Any], client: dict[str, Any] | None = None) -> str:
        """An answer file's text, as scripted mode reads it."""
        client = dict(self.client if client is None else client)
        notes = {k: v for k, v in self.answer_notes.items() if k in answers}
        return dump_answers(client, answers, self.currency, self.assumptions or None,
                            notes or None)

    def settle_name(self) -> None:
        """Give a new session's autosave its project's name (once the project is known)."""
        if self.opened is not None or not self.path.name.startswith("untitled-"):
            return
        project = self.client.get("project") or self.client.get("name")
        if not project:
            return
        old = self.path
        self.path = _unique(sessions_dir() / f"{slugify(project)}.yaml")
        self.save()
        if old != self.path and old.exists():
            old.unlink()

    # ----- what the engine and the exports get -------------------------------------
    @property
    def stem(self) -> str:
        if self.opened is not None:
            return self.opened.name.removesuffix(AUTOSAVE_SUFFIX).removesuffix(".yaml") \
                .removesuffix(".yml")
        return slugify(self.client.get("project") or self.client.get("name") or "assessment")

    def export_text(self, overrides: dict[str, Any] | None = None) -> str:
        """The answer file exports write: applicable answers, gaps filled with defaults.

        ``overrides`` (a what-if scenario) replace answers in the text only; the
        session's own answers stay as they are.
        """
        answers = dict(self.effective(overrides))
        for question in self.applicable(overrides):
            if question.id not in answers and question.required and question.default is not None:
                answers[question.id] = question.default
        client = dict(self.client)
        client.setdefault("name", "Unnamed client")
        client.setdefault("project", "Unnamed project")
        return self.dump(answers, client)

    def answer_file(self, overrides: dict[str, Any] | None = None) -> AnswerFile:
        """A validated answer file exactly as scripted mode would read the export."""
        return require(load_answer_text(self.export_text(overrides), str(self.path)))


def _first_line(text: str, limit: int = 120) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for index in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{index}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path


def _remember(path: Path) -> None:
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        pointer = folder / LAST_SESSION
        text = str(path.resolve())
        if not pointer.is_file() or pointer.read_text(encoding="utf-8").strip() != text:
            write_text(pointer, text + "\n")
    except OSError:
        pass


def last_session_path() -> Path | None:
    pointer = data_dir() / LAST_SESSION
    try:
        path = Path(pointer.read_text(encoding="utf-8").strip())
        if path.is_file():
            return path
    except OSError:
        pass
    folder = sessions_dir()
    candidates = sorted(folder.glob("*.yaml"), key=lambda p: p.stat().st_mtime) \
        if folder.is_dir() else []
    return candidates[-1] if candidates else None


@dataclass(frozen=True)
class SavedSession:
    """One autosave in the data dir, as the start screen lists it."""

    path: Path
    client: str
    project: str
    date: str
    answered: int
    saved: float


def saved_sessions() -> list[SavedSession]:
    """Every autosave of this data dir, newest first (unreadable files still listed)."""
    folder = sessions_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.yaml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            mtime = path.stat().st_mtime
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        data = data if isinstance(data, dict) else {}
        client = data.get("client") if isinstance(data.get("client"), dict) else {}
        answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
        found.append(SavedSession(path, str(client.get("name") or NO_CLIENT),
                                  str(client.get("project") or "untitled"),
                                  str(client.get("date") or ""), len(answers), mtime))
    return sorted(found, key=lambda s: -s.saved)


def duplicate_session(path: Path) -> Path:
    """A copy of an autosave beside it ("… (copy)" in the project name)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    client = data.get("client") if isinstance(data.get("client"), dict) else {}
    project = f"{client.get('project') or 'untitled'} (copy)"
    client["project"] = project
    data["client"] = client
    target = _unique(path.with_name(f"{slugify(project)}.yaml"))
    write_text(target, "# tunewise answer file\n" + yaml.safe_dump(data, sort_keys=False,
                                                                    allow_unicode=True))
    return target


def delete_session(path: Path) -> None:
    """Delete an autosave; only files inside this data dir's sessions folder."""
    if not _inside(path, sessions_dir()):
        raise ValueError(f"{path} is not a saved session")
    path.unlink(missing_ok=True)


def describe(path: Path) -> str:
    """One line about an autosave."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        client = data.get("client") or {}
        answers = data.get("answers") or {}
        when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%d %b %H:%M")
    except (OSError, yaml.YAMLError, AttributeError):
        return path.name
    who = " · ".join(str(client[k]) for k in ("name", "project") if client.get(k)) or "untitled"
    return f"{who} — {len(answers)} answers, {when}"
