"""Course plans: how many sessions, each session's IPT phase and its default agenda."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CourseTemplate:
    """A course plan: its sessions and how many of them are initial or termination."""

    key: str
    label: str
    sessions: int
    initial: int
    termination: int


TEMPLATES = {
    t.key: t
    for t in (
        CourseTemplate("who8", "WHO group IPT: 8 weekly sessions", 8, 1, 1),
        CourseTemplate("ipt12", "12 weekly sessions", 12, 2, 2),
        CourseTemplate("ipt16", "16 weekly sessions", 16, 4, 2),
    )
}

PHASE_TITLES = {"initial": "Getting started", "middle": "Working on problem areas",
                "termination": "Looking back, looking ahead",
                # Monthly sessions added after the course (services.ending), none planned.
                "maintenance": "Staying well"}

DEFAULT_AGENDAS = {
    "initial": [
        ("Welcome", "welcome"),
        ("Check-in", "checkin"),
        ("What depression is, and how IPT helps", "psychoeducation"),
        ("Naming our problem areas and goals", "problem_area"),
        ("First homework", "homework"),
        ("Close", "close"),
    ],
    "middle": [
        ("Welcome", "welcome"),
        ("Check-in", "checkin"),
        ("Homework review", "homework_review"),
        ("Problem-area work", "problem_area"),
        ("Role-play", "role_play"),
        ("New homework", "homework"),
        ("Close", "close"),
    ],
    "termination": [
        ("Welcome", "welcome"),
        ("Check-in", "checkin"),
        ("Homework review", "homework_review"),
        ("Looking back at our progress", "review"),
        ("Plan for staying well", "relapse_plan"),
        ("Goodbye", "close"),
    ],
}

AGENDA_KINDS = sorted({kind for items in DEFAULT_AGENDAS.values() for _, kind in items} | {"other"})


def phase_for(template: CourseTemplate, number: int) -> str:
    """Return the IPT phase of session ``number`` (1-based) in ``template``."""
    if number <= template.initial:
        return "initial"
    if number > template.sessions - template.termination:
        return "termination"
    return "middle"


def session_plan(template_key: str) -> list[tuple[int, str, str]]:
    """List ``(number, phase, title)`` for every session of a course template."""
    template = TEMPLATES[template_key]
    plan = []
    for number in range(1, template.sessions + 1):
        phase = phase_for(template, number)
        plan.append((number, phase, f"Session {number}: {PHASE_TITLES[phase]}"))
    return plan


def counters(template_key: str, number: int, sessions_held: Callable[[], int]) -> dict:
    """The snapshot's ``course``: this session's place in the course and how many follow it.

    ``total`` is the course plan's length (its template), so sessions added after the course
    (maintenance) count as none left; ``sessions_held()`` (how many sessions the group has)
    stands in for a plan this version does not know.
    """
    template = TEMPLATES.get(template_key)
    total = template.sessions if template else sessions_held()
    return {"number": number, "total": total, "left": max(total - number, 0)}
