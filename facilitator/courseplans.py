"""Course plans as data: one TOML file per plan, read and checked here.

A plan file gives the plan's ``key`` and ``label``, its ``[phases]`` lengths and, for every
session in order, a ``[[session]]`` table (``phase``, ``title``, ``purpose``) with its
``[[session.item]]`` tables (``title``, ``kind``, ``now``, ``steps``, ``words``,
``measures``, ``fidelity``). An item may name a shared script of the library
(``use = "middle.checkin"``, ``services.scripts``) and give only what differs.
The shipped plans are in ``facilitator/data/plans/``; a programme adds its own in
``COURSE_PLANS_DIR`` (docs/deployment.md). A broken file is refused with a ``PlanError``
naming the file, the line and the problem (docs/ipt.md, "Course plans").
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .services.vocabulary import FIDELITY_ITEMS, MEASURES

SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "plans"
PHASES = ("initial", "middle", "termination")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_SESSIONS = 52
TITLE_LENGTH = 120
TEXT_LENGTH = 600
MINUTES = (1, 120)


class PlanError(ValueError):
    """A plan file that cannot be used: ``file:line: problem``."""

    def __init__(self, file: str, line: int, problem: str):
        super().__init__(f"{file}:{line}: {problem}")
        self.file, self.line, self.problem = file, line, problem


@dataclass(frozen=True)
class ItemSpec:
    """One agenda item of a session as its plan specifies it."""

    title: str
    kind: str
    now: str
    steps: tuple[dict, ...]  # {"text", "minutes"}
    words: tuple[str, ...]
    measures: tuple[str, ...]
    fidelity: tuple[str, ...]


@dataclass(frozen=True)
class SessionSpec:
    """One session of a plan: its number, phase, title, purpose and agenda items."""

    number: int
    phase: str
    title: str
    purpose: str
    items: tuple[ItemSpec, ...]

    def item(self, kind: str) -> ItemSpec | None:
        """This session's item of ``kind``, if it has one."""
        return next((item for item in self.items if item.kind == kind), None)


@dataclass(frozen=True)
class CoursePlan:
    """A course plan: its key, label, phase lengths and every session's specification."""

    key: str
    label: str
    initial: int
    middle: int
    termination: int
    specs: tuple[SessionSpec, ...]
    source: str = ""

    @property
    def sessions(self) -> int:
        """How many sessions the course has."""
        return len(self.specs)

    def spec(self, number: int) -> SessionSpec | None:
        """Session ``number``'s specification (None after the course, e.g. maintenance)."""
        return self.specs[number - 1] if 1 <= number <= len(self.specs) else None

    def review_number(self) -> int:
        """The mid-course review's session: the middle session with a ``goal_review`` item,
        else the middle one of the middle phase."""
        middle = [s for s in self.specs if s.phase == "middle"]
        marked = [s.number for s in middle if s.item("goal_review")]
        if marked:
            return marked[0]
        return middle[(len(middle) - 1) // 2].number if middle else self.sessions


class Lines:
    """Where each table and key of a plan file is: tomllib gives no lines for its values.

    Places are ``("phases",)``, ``("session", i)``, ``("session", i, "item", j)``, each with
    an optional key after it; ``line`` falls back to the table's line, then to line 1.
    """

    HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\" -]+?)\s*\]\]?\s*(#.*)?$")
    KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    STEP = re.compile(r"\{\s*text\s*=")

    def __init__(self, text: str):
        self.places: dict[tuple, int] = {}
        self.text = text.splitlines()
        place: tuple = ()
        sessions = items = -1
        for number, line in enumerate(text.splitlines(), start=1):
            header = self.HEADER.match(line)
            if header:
                name = header.group(2).replace(" ", "")
                if name == "session":
                    sessions, items = sessions + 1, -1
                    place = ("session", sessions)
                elif name == "session.item":
                    items += 1
                    place = ("session", sessions, "item", items)
                else:
                    place = (name,)
                self.places.setdefault(place, number)
                continue
            key = self.KEY.match(line)
            if key:
                self.places.setdefault((*place, key.group(1)), number)

    def step_line(self, place: tuple, index: int) -> int:
        """The line of step ``index`` of ``place``'s ``steps`` (one ``{ text = ...`` a line),
        else the line of ``steps`` itself."""
        start = self.line(*place, "steps")
        found = -1
        for number in range(start, len(self.text) + 1):
            found += len(self.STEP.findall(self.text[number - 1]))
            if found >= index:
                return number
        return start

    def line(self, *place) -> int:
        """The line of ``place``, or of the nearest table holding it."""
        while place:
            if place in self.places:
                return self.places[place]
            place = place[:-1]
        return 1


class Reader:
    """Checks one plan file's data, raising ``PlanError`` at the first problem."""

    def __init__(self, name: str, text: str, library):
        self.name, self.lines, self.library = name, Lines(text), library

    def fail(self, problem: str, *place) -> None:
        """Refuse the file at ``place``'s line."""
        raise PlanError(self.name, self.lines.line(*place), problem)

    def fail_step(self, problem: str, place: tuple, index: int) -> None:
        """Refuse the file at the line of one script step."""
        raise PlanError(self.name, self.lines.step_line(place, index), problem)

    def text(self, table: dict, key: str, place: tuple, limit: int = TEXT_LENGTH) -> str:
        """A required non-empty string of at most ``limit`` characters."""
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"'{key}' must be a non-empty text", *place, key)
        if len(value.strip()) > limit:
            self.fail(f"'{key}' is longer than {limit} characters", *place, key)
        return " ".join(value.split())

    def plan(self, data: dict) -> CoursePlan:
        """The whole file as a ``CoursePlan``."""
        key = self.text(data, "key", ())
        if not KEY_PATTERN.match(key):
            self.fail("'key' must be 1 to 32 lowercase letters, digits, '-' or '_'", "key")
        label = self.text(data, "label", (), TITLE_LENGTH)
        lengths = self.phases(data.get("phases"))
        sessions = data.get("session")
        if not isinstance(sessions, list) or not sessions:
            self.fail("the plan has no [[session]] tables")
        if len(sessions) != sum(lengths.values()):
            self.fail(f"the phase lengths add up to {sum(lengths.values())} sessions "
                      f"but the file has {len(sessions)} [[session]] tables", "phases")
        expected = [phase for phase in PHASES for _ in range(lengths[phase])]
        specs = tuple(self.session(i, entry, expected[i]) for i, entry in enumerate(sessions))
        seen: dict[str, int] = {}
        for i, spec in enumerate(specs):
            if spec.title.lower() in seen:
                self.fail(f"session {i + 1} has the same title as session "
                          f"{seen[spec.title.lower()] + 1}", "session", i, "title")
            seen[spec.title.lower()] = i
        return CoursePlan(key, label, lengths["initial"], lengths["middle"],
                          lengths["termination"], specs, self.name)

    def phases(self, table) -> dict[str, int]:
        """``[phases]``: a whole number of sessions for each of the three phases."""
        if not isinstance(table, dict):
            self.fail("the plan needs a [phases] table (initial, middle, termination)")
        for phase in table:
            if phase not in PHASES:
                self.fail(f"unknown phase '{phase}' (use initial, middle, termination)",
                          "phases", phase)
        for phase in PHASES:
            value = table.get(phase)
            if not isinstance(value, int) or isinstance(value, bool) or \
                    not 1 <= value <= MAX_SESSIONS:
                self.fail(f"'{phase}' must be a whole number of sessions from 1 to "
                          f"{MAX_SESSIONS}", "phases", phase)
        return {phase: table[phase] for phase in PHASES}

    def session(self, i: int, entry, expected: str) -> SessionSpec:
        """One ``[[session]]`` table, in the phase its place in the course gives it."""
        place = ("session", i)
        if not isinstance(entry, dict):
            self.fail(f"session {i + 1} is not a table", *place)
        phase = self.text(entry, "phase", place)
        if phase not in PHASES:
            self.fail(f"unknown phase '{phase}' (use initial, middle, termination)",
                      *place, "phase")
        if phase != expected:
            self.fail(f"session {i + 1} is in the {expected} phase by the phase lengths, "
                      f"not '{phase}'", *place, "phase")
        title = self.text(entry, "title", place, TITLE_LENGTH)
        purpose = self.text(entry, "purpose", place)
        items = entry.get("item")
        if not isinstance(items, list) or not items:
            self.fail(f"session {i + 1} has no agenda items ([[session.item]])", *place)
        specs = tuple(self.item(i, j, item, phase) for j, item in enumerate(items))
        kinds = [item.kind for item in specs]
        for j, kind in enumerate(kinds):
            if kind in kinds[:j]:
                self.fail(f"session {i + 1} has two items of kind '{kind}'; give one its own "
                          "kind", "session", i, "item", j)
        return SessionSpec(i + 1, phase, title, purpose, specs)

    def item(self, i: int, j: int, entry, phase: str) -> ItemSpec:
        """One ``[[session.item]]``: its own texts, or a library script's with changes."""
        place = ("session", i, "item", j)
        if not isinstance(entry, dict):
            self.fail("an agenda item is not a table", *place)
        base = {}
        if "use" in entry:
            name = entry["use"]
            base = self.library.get(name) if isinstance(name, str) else None
            if base is None:
                self.fail(f"unknown shared script '{name}'", *place, "use")
            if "kind" not in entry:
                entry = {**entry, "kind": name.split(".")[-1]}
        merged = {**base, **entry}
        title = self.text(merged, "title", place, TITLE_LENGTH)
        kind = self.text(merged, "kind", place, 32)
        if not KIND_PATTERN.match(kind):
            self.fail(f"kind '{kind}' must be lowercase letters, digits and '_'",
                      *place, "kind")
        return ItemSpec(title, kind, self.text(merged, "now", place),
                        self.steps(merged.get("steps"), place),
                        self.strings(merged.get("words", []), place, "words"),
                        self.keys(merged.get("measures", []), place, "measures", MEASURES),
                        self.keys(merged.get("fidelity", []), place, "fidelity",
                                  FIDELITY_ITEMS))

    def steps(self, steps, place: tuple) -> tuple[dict, ...]:
        """The facilitator's steps: at least one, each with text and minutes in range."""
        if not isinstance(steps, list | tuple) or not steps:
            self.fail("an agenda item needs at least one script step", *place, "steps")
        checked = []
        for index, step in enumerate(steps):
            text = step.get("text") if isinstance(step, dict) else None
            minutes = step.get("minutes") if isinstance(step, dict) else None
            if not isinstance(text, str) or not text.strip():
                self.fail_step("a script step without text", place, index)
            if minutes is not None and (not isinstance(minutes, int) or isinstance(
                    minutes, bool) or not MINUTES[0] <= minutes <= MINUTES[1]):
                self.fail_step(f"a step's minutes must be a whole number from {MINUTES[0]} "
                               f"to {MINUTES[1]}, not {minutes!r}", place, index)
            checked.append({"text": " ".join(text.split()), "minutes": minutes})
        return tuple(checked)

    def strings(self, values, place: tuple, key: str) -> tuple[str, ...]:
        """A list of short non-empty texts (``words``)."""
        if not isinstance(values, list | tuple) or not all(
                isinstance(v, str) and v.strip() and len(v) <= TEXT_LENGTH for v in values):
            self.fail(f"'{key}' must be a list of short texts", *place, key)
        return tuple(" ".join(v.split()) for v in values)

    def keys(self, values, place: tuple, key: str, known) -> tuple[str, ...]:
        """A list of keys each of which ``known`` defines (measures, fidelity items)."""
        if not isinstance(values, list | tuple):
            self.fail(f"'{key}' must be a list", *place, key)
        for value in values:
            if value not in known:
                self.fail(f"unknown {key} key '{value}' (known: {', '.join(known)})",
                          *place, key)
        return tuple(values)


def read_text(name: str, text: str, library: dict) -> CoursePlan:
    """Read one plan file's text; ``name`` is what messages call the file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else 1
        raise PlanError(name, line, f"not valid TOML: {str(error).split(' (at line')[0]}") \
            from None
    return Reader(name, text, library).plan(data)


def read_file(path: Path, library: dict) -> CoursePlan:
    """Read one plan file; an unreadable file is refused like a broken one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlanError(str(path), 1, f"cannot be read: {error}") from None
    return read_text(str(path), text, library)


def read_dir(folder: Path, library: dict) -> list[CoursePlan]:
    """Every ``*.toml`` plan of a folder, in name order (none when there is no folder)."""
    if not folder.is_dir():
        return []
    return [read_file(path, library) for path in sorted(folder.glob("*.toml"))]
