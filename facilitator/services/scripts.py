"""What happens in each agenda item: a plain line for participants, steps for facilitators.

Each session of a course plan specifies its items' texts (``facilitator.courseplans``);
they may name the shared scripts of ``facilitator/data/session-scripts.toml`` (``library``),
keyed by IPT phase and agenda kind, read once. An item a plan does not specify (one a
facilitator added) gets the shared script of its phase and kind, else the generic one. Every
snapshot and every event that carries agenda items takes them from here: each item's
``now`` line for everyone, its ``script`` for facilitators only (docs/protocol.md).
docs/ipt.md ("Session scripts") lists what each script rests on.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..course import DEFAULT_AGENDAS, PHASE_TITLES, plan_for

SOURCE = Path(__file__).resolve().parent.parent / "data" / "session-scripts.toml"
# A kind a phase has no script of its own for borrows one from these phases, in this order.
BORROW_FROM = ("middle", "initial", "termination")
FALLBACK = ("any", "other")


@dataclass(frozen=True)
class Script:
    """One agenda item's texts: the participants' ``now`` line and the facilitator's steps."""

    now: str
    steps: tuple[dict, ...]  # {"text", "minutes"} (minutes: int or None)
    words: tuple[str, ...] = ()  # short sentences a lay facilitator may say
    fidelity: tuple[str, ...] = ()  # the fidelity keys the item serves (its plan's, if any)


@cache
def _data() -> dict:
    """The data file as tables, read once."""
    with SOURCE.open("rb") as source:
        return tomllib.load(source)


@cache
def _scripts() -> dict[tuple[str, str], Script]:
    """Every script of the data file by ``(phase, kind)``, checked once."""
    data = _data()
    scripts = {(phase, kind): _script(phase, kind, entry)
               for phase, kinds in data.items() for kind, entry in kinds.items()}
    missing = [key for key in _required() if key not in scripts]
    if missing:
        raise ValueError(f"{SOURCE.name}: no script for {missing}")
    return scripts


def _required() -> list[tuple[str, str]]:
    """The scripts the shipped course plans need: each phase's default items, and ``other``."""
    return [(phase, kind) for phase, items in DEFAULT_AGENDAS.items() for _, kind in items] \
        + [FALLBACK]


def _script(phase: str, kind: str, entry: dict) -> Script:
    """One ``[phase.kind]`` table as a ``Script``; a table that is not one is refused."""
    where = f"{SOURCE.name}: [{phase}.{kind}]"
    if phase not in PHASE_TITLES and phase != FALLBACK[0]:
        raise ValueError(f"{where}: unknown phase")
    now, steps = entry.get("now"), entry.get("steps")
    if not isinstance(now, str) or not now.strip():
        raise ValueError(f"{where}: needs a 'now' line")
    if not isinstance(steps, list) or not steps:
        raise ValueError(f"{where}: needs at least one step")
    words = entry.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"{where}: 'words' must be a list of short texts")
    return Script(now.strip(), tuple(_step(where, step) for step in steps),
                  tuple(w.strip() for w in words))


def _step(where: str, step) -> dict:
    """One step as the payload carries it: ``{"text", "minutes"}``."""
    text = step.get("text") if isinstance(step, dict) else None
    minutes = step.get("minutes") if isinstance(step, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: a step without text")
    if minutes is not None and (not isinstance(minutes, int) or not 0 < minutes <= 120):
        raise ValueError(f"{where}: a step's minutes must be a whole number from 1 to 120")
    return {"text": text.strip(), "minutes": minutes}


@cache
def script_for(phase: str, kind: str) -> Script:
    """The script of an item of ``kind`` in a session of ``phase`` (never none).

    The phase's own script, else the same kind's in another phase (``BORROW_FROM``), else
    the generic one for an item a facilitator added.
    """
    scripts = _scripts()
    for key in ((phase, kind), *((other, kind) for other in BORROW_FROM)):
        if key in scripts:
            return scripts[key]
    return scripts[FALLBACK]


def now_line(phase: str, kind: str) -> str:
    """What a participant's phone says the group is doing during such an item."""
    return script_for(phase, kind).now


def steps(phase: str, kind: str) -> list[dict]:
    """The facilitator's steps for such an item: ``[{"text", "minutes"}]``, never empty."""
    return [dict(step) for step in script_for(phase, kind).steps]


@cache
def library() -> dict[str, dict]:
    """The shared scripts a plan file may name (``use = "phase.kind"``), as plain tables."""
    return {f"{phase}.{kind}": {"now": script.now, "steps": [dict(s) for s in script.steps],
                                "words": list(script.words), **_extra(phase, kind)}
            for (phase, kind), script in _scripts().items()}


def _extra(phase: str, kind: str) -> dict:
    """A shared script's defaults beyond its texts (e.g. the ``measures`` it asks for)."""
    entry = _data().get(phase, {}).get(kind, {})
    return {key: entry[key] for key in ("measures", "fidelity", "title") if key in entry}


def for_item(plan: str | None, number: int | None, phase: str, kind: str) -> Script:
    """The script of an item of ``kind`` in session ``number`` of the course plan ``plan``.

    The session's own specification when its plan gives one for that kind; else, for an
    item a facilitator added or a plan this server does not know, ``script_for``.
    """
    course = plan_for(plan) if plan else None
    spec = course.spec(number) if course and number else None
    item = spec.item(kind) if spec else None
    if item is None:
        return script_for(phase, kind)
    return Script(item.now, item.steps, item.words, item.fidelity)
