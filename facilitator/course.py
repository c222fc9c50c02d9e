"""Course plans: the shipped ones and a programme's own, found by key.

A plan is data (``facilitator.courseplans``): every session's phase, title, purpose and
agenda items with their scripts. ``TEMPLATES`` are the shipped plans
(``facilitator/data/plans/``); a programme's own plans are read from ``COURSE_PLANS_DIR``
when the app is created (``load_custom``) and kept on the app.
"""

from collections.abc import Callable
from functools import cache
from pathlib import Path

from .courseplans import SHIPPED_DIR, CoursePlan, PlanError, SessionSpec, read_dir

# A course plan used to be called a course template; a group's ``template`` is its key.
CourseTemplate = CoursePlan

PHASE_TITLES = {"initial": "Getting started", "middle": "Working on problem areas",
                "termination": "Looking back, looking ahead",
                # Monthly sessions added after the course (services.ending), none planned.
                "maintenance": "Staying well"}

# The kinds every phase's shared scripts cover (services.scripts checks the library has
# them); a plan's sessions list their own items.
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


@cache
def shipped() -> dict[str, CoursePlan]:
    """The plans this version ships, by key (read and checked once)."""
    from .services.scripts import library

    return {plan.key: plan for plan in read_dir(SHIPPED_DIR, library())}


def __getattr__(name: str):
    """``TEMPLATES`` (the shipped plans) and ``AGENDA_KINDS``, read on first use."""
    if name == "TEMPLATES":
        return shipped()
    if name == "AGENDA_KINDS":
        return agenda_kinds()
    raise AttributeError(name)


@cache
def agenda_kinds() -> list[str]:
    """The kinds a facilitator may give an agenda item: the shipped plans' and the phases'."""
    kinds = {kind for items in DEFAULT_AGENDAS.values() for _, kind in items} | {"other"}
    for plan in shipped().values():
        kinds |= {item.kind for spec in plan.specs for item in spec.items}
    return sorted(kinds)


def custom_plans() -> dict[str, CoursePlan]:
    """The programme's own plans, as the running app read them (none outside an app)."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return {}
    return current_app.extensions.get("course_plans", {})


def all_plans() -> dict[str, CoursePlan]:
    """Every plan a new group may follow: the shipped ones, then the programme's own."""
    return {**shipped(), **custom_plans()}


def plan_for(key: str) -> CoursePlan | None:
    """The plan of this key, shipped or the programme's own; None for one not known here."""
    return shipped().get(key) or custom_plans().get(key)


def load_custom(folder: str | Path) -> dict[str, CoursePlan]:
    """Read a programme's own plans from ``folder``; a broken file raises ``PlanError``.

    A plan may not take the key of a shipped plan or of another file.
    """
    from .services.scripts import library

    plans: dict[str, CoursePlan] = {}
    for plan in read_dir(Path(folder), library()):
        if plan.key in shipped() or plan.key in plans:
            raise PlanError(plan.source, 1, f"the key '{plan.key}' is already used by "
                            "another course plan")
        plans[plan.key] = plan
    return plans


def session_spec(template_key: str, number: int) -> SessionSpec | None:
    """Session ``number``'s specification in the plan ``template_key`` (None when the plan
    is not known here or the session comes after the course)."""
    plan = plan_for(template_key)
    return plan.spec(number) if plan else None


def phase_for(template: CoursePlan, number: int) -> str:
    """Return the IPT phase of session ``number`` (1-based) in ``template``."""
    spec = template.spec(number)
    return spec.phase if spec else "termination"


def session_plan(template_key: str) -> list[SessionSpec]:
    """Every session's specification in a course plan, in order."""
    return list(plan_for(template_key).specs)


def counters(template_key: str, number: int, sessions_held: Callable[[], int]) -> dict:
    """The snapshot's ``course``: this session's place in the course and how many follow it.

    ``total`` is the course plan's length (its template), so sessions added after the course
    (maintenance) count as none left; ``sessions_held()`` (how many sessions the group has)
    stands in for a plan this version does not know.
    """
    template = plan_for(template_key)
    total = template.sessions if template else sessions_held()
    return {"number": number, "total": total, "left": max(total - number, 0)}
