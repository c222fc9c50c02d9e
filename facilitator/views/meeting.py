"""The pre-group meeting page of one member, for the group's facilitators (docs/ipt.md).

Thin views: each step posts its own form; the rules are in ``services.meeting`` and
``services.lifemap``; the view commits once, with the step's audit row, and publishes
after the commit (``realtime.publish``).
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from realtime.publish import alert_raised, meeting_baseline, plan_updated

from ..extensions import db
from ..models import Participant
from ..services import Refused, audit, lifemap
from ..services import meeting as rules
from ..services.vocabulary import (
    CLOSENESS_WORDS,
    MEETING_STEPS,
    PHQ9_ANSWERS,
    PSYCHOEDUCATION_POINTS,
    REFER_REASONS,
)
from .filters import status_words
from .groups import announce_members
from .guards import my_member
from .meetingforms import (
    ActionForm,
    BaselineForm,
    EndForm,
    ExplainedForm,
    FitForm,
    GoalsForm,
    PersonForm,
    PlanForm,
    StartForm,
    TimelineForm,
    first_error,
)

bp = Blueprint("meeting", __name__)
MEETING = "/groups/<id:group_id>/members/<id:participant_id>/meeting"
NEXT_STEP = dict(zip(rules.STEPS, rules.STEPS[1:] + ("end",), strict=True))



def subject(member: Participant) -> str:
    """The audit trail's subject for a member (never any of their health data)."""
    return f"participant {member.id}"


def initial_forms(member: Participant) -> dict:
    """Every step's form, filled in from what was saved so far."""
    meeting = member.meeting
    goals = [goal.text for goal in member.goals]
    forms = {"start": StartForm(formdata=None, mode=meeting and meeting.mode,
                                consent=bool(meeting and meeting.consent_at)),
             "baseline": BaselineForm(formdata=None, **baseline_data(meeting)),
             "fit": FitForm(formdata=None, **fit_data(meeting)),
             "explained": ExplainedForm(formdata=None,
                                        covered=meeting.psychoeducation if meeting else []),
             "timeline": TimelineForm(formdata=None),
             "inventory": PersonForm(formdata=None),
             "plan": PlanForm(formdata=None, problem_area=member.problem_area,
                              second_problem_area=member.second_problem_area or "",
                              private_summary=meeting and meeting.private_summary,
                              shared_summary=member.shared_summary),
             "goals": GoalsForm(formdata=None, **{f"goal_{n}": text
                                                  for n, text in enumerate(goals, start=1)}),
             "end": EndForm(formdata=None, referred_to=meeting and meeting.referred_to)}
    return forms


def baseline_data(meeting) -> dict:
    """The saved baseline as the form's radio values."""
    answers = (meeting and meeting.baseline_phq9) or [None] * 9
    return {f"phq{n}": None if a is None else str(a) for n, a in enumerate(answers, start=1)}


def fit_data(meeting) -> dict:
    """The saved answers of "does the group fit" as the form's values."""
    data = {"referred_to": meeting and meeting.referred_to}
    for key, _ in REFER_REASONS:
        item = ((meeting and meeting.eligibility) or {}).get(key)
        if item is not None:
            data[key] = "yes" if item["answer"] else "no"
            data[f"{key}_note"] = item.get("note", "")
    return data


def render(member: Participant, forms: dict | None = None, where: str | None = None,
           problem: str | None = None, edited: tuple | None = None):
    """The meeting page; ``where`` names the form that has ``problem``; ``edited`` is an
    inventory card's (id, form) as it was sent."""
    meeting = member.meeting
    people = lifemap.people(member)
    person_forms = {p.id: person_form(p) for p in people}
    if edited is not None:
        person_forms[edited[0]] = edited[1]
    return render_template(
        "meeting/page.html", member=member, group=member.group, meeting=meeting,
        forms={**initial_forms(member), **(forms or {})}, where=where, problem=problem,
        steps=MEETING_STEPS, done=set((meeting and meeting.steps_done) or []),
        waiting=rules.waiting_alert(meeting), timeline=lifemap.timeline(member),
        people=people, person_forms=person_forms,
        closeness=CLOSENESS_WORDS, answers=PHQ9_ANSWERS, points=PSYCHOEDUCATION_POINTS,
        reasons=REFER_REASONS, refer=rules.refer_instead(meeting),
        baseline=rules.baseline_view(meeting) if meeting else None,
        action=ActionForm())


def person_form(person) -> PersonForm:
    """An inventory card's edit form, filled in."""
    return PersonForm(formdata=None, prefix=f"p{person.id}", label=person.label,
                      relationship=person.relationship_to, closeness=str(person.closeness),
                      good=person.good, hard=person.hard, changed=person.changed)


@bp.get(MEETING)
@login_required
def page(group_id: int, participant_id: int):
    """The member's meeting: every step, the saved ones filled in."""
    member = my_member(group_id, participant_id, edit=True)
    audit.record(current_user, group_id, "meeting.open", subject(member))
    return render(member)


def save_step(member: Participant, step: str, form):
    """Run one step's rule with its form; return the new alert of a baseline, if any."""
    meeting = rules.meeting_of(member)
    rules.check_may_go_on(meeting, step)
    if step == "start":
        rules.save_start(meeting, current_user, form.mode.data, bool(form.consent.data))
    elif step == "baseline":
        return rules.save_baseline(meeting, form.answers(), "facilitator")
    elif step == "fit":
        rules.save_fit(meeting, form.answers(), form.referred_to.data)
    elif step == "explained":
        rules.save_explained(meeting, list(form.covered.data or []))
    elif step == "timeline":
        lifemap.add_entry(member, form.period.data, form.event.data, form.mood_value())
        rules.mark_done(meeting, "timeline")
    elif step == "inventory":
        lifemap.save_person(member, None, form.fields())
        rules.mark_done(meeting, "inventory")
    elif step == "plan":
        rules.save_plan(meeting, member, form.problem_area.data,
                        form.second_problem_area.data, form.private_summary.data,
                        form.shared_summary.data)
    elif step == "goals":
        rules.save_goals(meeting, member, form.texts(), current_user)
    else:
        rules.finish(meeting, member, form.outcome.data, current_user, form.referred_to.data)
    return None


FORMS = {"start": StartForm, "baseline": BaselineForm, "fit": FitForm,
         "explained": ExplainedForm, "timeline": TimelineForm, "inventory": PersonForm,
         "plan": PlanForm, "goals": GoalsForm, "end": EndForm}
AUDIT = {"start": "meeting.consent", "timeline": "meeting.timeline.add",
         "inventory": "meeting.inventory.add"}


def checked(form) -> str | None:
    """The form's own problem (a field it could not read), naming the field; else None."""
    if form.validate_on_submit():
        return None
    return first_error(form) or "The form expired; reload the page and try again."


@bp.post(MEETING + "/<step>")
@login_required
def save(group_id: int, participant_id: int, step: str):
    """Save one step of the meeting; a wrong or missing answer saves nothing."""
    member = my_member(group_id, participant_id, edit=True)
    if step not in FORMS:
        abort(404)
    form = FORMS[step]()
    alert, problem = None, checked(form)
    if problem is None:
        try:
            alert = save_step(member, step, form)
            audit.add(current_user, group_id, AUDIT.get(step, f"meeting.{step}"), subject(member))
            db.session.commit()
        except Refused as exc:
            db.session.rollback()
            problem = exc.message
    if problem is not None:
        return render(member, {step: form}, step, problem)
    if step == "baseline":
        published(member, alert)
    if step == "end":
        announce_members(group_id)  # an enrolled member joins "who is here" at once
    if step in ("plan", "goals"):
        plan_updated(member)  # their phone shows their own goals and line as they now are
    flash(saved_words(step, member), "success")
    return redirect(url_for("meeting.page", group_id=group_id, participant_id=member.id,
                            _anchor=f"step-{NEXT_STEP[step] if step != 'timeline' else step}"))


def published(member: Participant, alert) -> None:
    """Show a new baseline live to the group's facilitators, and its alert if it raised one."""
    meeting_baseline(member.meeting)
    if alert is not None:
        alert_raised(alert)


def saved_words(step: str, member: Participant) -> str:
    """What the page says after a step was saved."""
    if step == "end":
        return (f"The meeting is recorded: {member.display_name} is now "
                f"{status_words(member.status)}.")
    return "Saved."

