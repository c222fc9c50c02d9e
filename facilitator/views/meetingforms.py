"""The pre-group meeting's forms, one per step (Flask-WTF for the CSRF token).

The fields render the step; ``services.meeting`` and ``services.lifemap`` check the answers
and name the field of any that is wrong. ``first_error`` names the field of a value the
form itself could not read.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from ..services.vocabulary import (
    CLOSENESS_WORDS,
    MEETING_MODE_WORDS,
    MEETING_OUTCOMES,
    PHQ9_ANSWERS,
    PHQ9_QUESTIONS,
    PROBLEM_AREA_WORDS,
    PSYCHOEDUCATION_POINTS,
    REFER_REASONS,
)

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices of ``(value, words)`` pairs (values as the form sends them)."""
    return [SelectChoice(str(value), words) for value, words in pairs]


def first_error(form: FlaskForm) -> str | None:
    """The first problem the form found, naming its field; None when there is none."""
    for name, errors in form.errors.items():
        if name == "csrf_token":
            return "The form expired; reload the page and try again."
        label = getattr(form, name).label.text
        return f"{label}: {errors[0]}"
    return None


def answer_of(raw) -> int | None:
    """A PHQ-9 radio's answer 0-3; None when not answered; -1 for a value not offered."""
    if raw in (None, ""):
        return None
    return int(raw) if raw in ("0", "1", "2", "3") else -1


class StartForm(FlaskForm):
    """How the meeting takes place; consent and confidentiality explained."""

    mode = RadioField("How the meeting takes place", choices=choices(MEETING_MODE_WORDS.items()),
                      validate_choice=False)
    consent = BooleanField("I have explained consent and confidentiality, and the person "
                           "agrees to take part")


class BaselineForm(FlaskForm):
    """The baseline PHQ-9, entered by the facilitator (answers may be left out)."""

    def answers(self) -> list[int | None]:
        """The nine answers as the rules take them."""
        return [answer_of(self[f"phq{n}"].data) for n in range(1, 10)]


for _number, _question in enumerate(PHQ9_QUESTIONS, start=1):
    setattr(BaselineForm, f"phq{_number}", RadioField(
        f"{_number}. {_question}", choices=choices(PHQ9_ANSWERS),
        validate_choice=False))


class FitForm(FlaskForm):
    """Does group IPT fit: each reason to refer instead, yes or no, with a note."""

    referred_to = StringField("Where to refer (needed when any answer is yes)")

    def answers(self) -> dict:
        """``{reason: (yes or None, note)}`` as the rules take them."""
        return {key: ({"yes": True, "no": False}.get(self[key].data or ""),
                      self[f"{key}_note"].data or "") for key, _ in REFER_REASONS}


for _key, _question in REFER_REASONS:
    setattr(FitForm, _key, RadioField(_question, choices=YES_NO, validate_choice=False))
    setattr(FitForm, f"{_key}_note", TextAreaField("Note (optional)"))


class ExplainedForm(FlaskForm):
    """Which points of "depression explained" were covered."""

    covered = SelectMultipleField(
        "What was covered",
        choices=choices((key, label) for key, label, _ in PSYCHOEDUCATION_POINTS),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validate_choice=False)


class TimelineForm(FlaskForm):
    """One dated line of the timeline."""

    period = StringField("When")
    event = TextAreaField("What happened")
    mood = SelectField("Mood then (1 very low, 10 very good)",
                       choices=choices([("", "Not said")] + [(n, n) for n in range(1, 11)]),
                       validate_choice=False)

    def mood_value(self):
        """The mood as a number, None when not said, or the text as sent (refused)."""
        raw = self.mood.data or ""
        return int(raw) if raw.isdigit() else (None if raw == "" else raw)


class PersonForm(FlaskForm):
    """One card of the interpersonal inventory."""

    label = StringField("Name or label (private)")
    relationship = StringField("Relationship")
    closeness = RadioField("How close", choices=choices((n, f"{n}: {words}")
                                                         for n, words in CLOSENESS_WORDS.items()),
                           validate_choice=False)
    good = TextAreaField("What is good")
    hard = TextAreaField("What is hard")
    changed = TextAreaField("What changed recently")

    def fields(self) -> dict:
        """The card's fields as the rules take them."""
        raw = self.closeness.data or ""
        return {"label": self.label.data, "relationship": self.relationship.data,
                "closeness": int(raw) if raw.isdigit() else raw, "good": self.good.data,
                "hard": self.hard.data, "changed": self.changed.data}


AREAS = list(PROBLEM_AREA_WORDS.items())


class PlanForm(FlaskForm):
    """The problem area, the private summary and the one line to share."""

    problem_area = RadioField("Main problem area", choices=choices(AREAS), validate_choice=False)
    second_problem_area = SelectField("Second problem area (optional)",
                                      choices=choices([("", "None"), *AREAS]),
                                      validate_choice=False)
    private_summary = TextAreaField("Private summary (facilitators only)")
    shared_summary = StringField("One line the person agrees to share with the group")


class GoalsForm(FlaskForm):
    """One to three goals, in the member's own words."""

    goal_1 = TextAreaField("Goal 1")
    goal_2 = TextAreaField("Goal 2 (optional)")
    goal_3 = TextAreaField("Goal 3 (optional)")

    def texts(self) -> list[str]:
        """The goals written, in order."""
        return [self.goal_1.data or "", self.goal_2.data or "", self.goal_3.data or ""]


class EndForm(FlaskForm):
    """How the meeting ends."""

    outcome = RadioField("How the meeting ends", choices=choices(MEETING_OUTCOMES),
                         validate_choice=False)
    referred_to = StringField("Referred to (where)")


class ActionForm(FlaskForm):
    """A button that needs only a CSRF token."""
