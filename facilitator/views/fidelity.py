"""The fidelity record of a session: the facilitators' own record and the supervisor's review.

Rules are in ``services/fidelity.py``; permissions in ``services/access.py``
(``may_read_group`` to read, ``writes_fidelity_self`` / ``writes_fidelity_review`` to write).
Each POST commits once with its audit row, which never carries scores or comments.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..extensions import db
from ..services import Refused, access, audit, fidelity
from ..services.vocabulary import (
    COMPETENCE_ITEMS,
    COMPETENCE_SCALE,
    FIDELITY_ITEMS,
    FIDELITY_WORDS,
    REVIEW_MODES,
)
from .guards import readable_session

bp = Blueprint("fidelity", __name__)
# An item not pre-filled starts on "Choose…", so nothing is saved as done by default.
SCORE_CHOICES = [SelectChoice("", "Choose…"), *[
    SelectChoice(k, FIDELITY_WORDS["scores"][k]) for k in ("2", "1", "0", "na")]]


def score_field(key: str) -> SelectField:
    """One item's score: done, partly, not done or not applicable."""
    return SelectField(FIDELITY_ITEMS[key], choices=SCORE_CHOICES,
                       validators=[InputRequired("Choose a score for this item.")])


def form_class(session, review: bool):
    """A form class with one score field per item of the session (and the review's extras)."""
    fields = {f"score_{key}": score_field(key) for key in fidelity.keys_for(session)}
    fields["comments"] = TextAreaField("Comments", validators=[
        Optional(), Length(max=fidelity.COMMENTS_MAX)])
    if review:
        fields["mode"] = SelectField("How you saw the session", choices=[
            SelectChoice("", "Choose…"), *[SelectChoice(k, w) for k, w in REVIEW_MODES.items()]],
            validators=[InputRequired("Say how you saw the session.")])
        for key, words in COMPETENCE_ITEMS.items():
            fields[f"skill_{key}"] = SelectField(words, validators=[Optional()], choices=[
                SelectChoice("", "Not rated"),
                *[SelectChoice(str(n), f"{n} {w}") for n, w in COMPETENCE_SCALE.items()]])
    return type("FidelityForm", (FlaskForm,), fields)


def as_choice(value) -> str:
    """A stored score as the form's choice."""
    return "na" if value is None else str(value)


def make_form(session, kind: str, formdata=True):
    """The form for ``kind``, pre-set from its saved record or, for a new self record, from
    the session's record."""
    cls = form_class(session, kind == fidelity.REVIEW)
    if formdata:
        return cls()
    form = cls(formdata=None)
    saved = fidelity.rating_of(session.id, kind)
    preset = ({k: as_choice(v) for k, v in saved.scores.items()} if saved else
              {k: as_choice(p.score) for k, p in fidelity.prefill(session.id).items()}
              if kind == fidelity.SELF else {})
    for key in fidelity.keys_for(session):
        if key in preset:
            form[f"score_{key}"].data = preset[key]
    if saved:
        form.comments.data = saved.comments
        if kind == fidelity.REVIEW:
            form.mode.data = saved.mode
            for key, value in saved.competence.items():
                form[f"skill_{key}"].data = str(value)
    return form


def scores_of(session, form) -> dict:
    """The scores a valid form gives."""
    return {key: None if form[f"score_{key}"].data == "na" else int(form[f"score_{key}"].data)
            for key in fidelity.keys_for(session)}


def competence_of(form) -> dict:
    """The skills a valid review form rates (unrated ones left out)."""
    return {key: int(form[f"skill_{key}"].data) for key in COMPETENCE_ITEMS
            if form[f"skill_{key}"].data}


def render_page(session, own_form=None, review_form=None, status=200):
    """The session's fidelity page: both records side by side, the gap, and the forms."""
    own = fidelity.rating_of(session.id, fidelity.SELF)
    review = fidelity.rating_of(session.id, fidelity.REVIEW)
    may_self = access.writes_fidelity_self(current_user, session.group_id)
    may_review = access.writes_fidelity_review(current_user, session.group_id)
    ended = fidelity.has_ended(session)
    return render_template(
        "fidelity/session.html", session=session, own=own, review=review,
        groups=fidelity.items_for(session), items=FIDELITY_ITEMS, words=FIDELITY_WORDS,
        gap=fidelity.gap(own, review), total=fidelity.total,
        prefill=fidelity.prefill(session.id) if ended else {},
        modes=REVIEW_MODES, skills=COMPETENCE_ITEMS, ended=ended,
        own_form=own_form or (make_form(session, fidelity.SELF, False)
                              if may_self and ended else None),
        review_form=review_form or (make_form(session, fidelity.REVIEW, False)
                                    if may_review and ended else None)), status


@bp.get("/sessions/<id:session_id>/fidelity")
@login_required
def session_page(session_id: int):
    """A session's fidelity record, for the group's team (runs or supervises it)."""
    session = readable_session(session_id)
    audit.record_read(current_user, session.group_id, "fidelity", f"session {session.number}")
    return render_page(session)


def write(session_id: int, kind: str, allowed, refusal: str):
    """Save the facilitators' record or the review from the posted form (one commit)."""
    session = readable_session(session_id)
    if not allowed(current_user, session.group_id):
        abort(403, refusal)
    if not fidelity.has_ended(session):
        flash("The fidelity record is kept once the session has ended.", "error")
        return redirect(url_for("fidelity.session_page", session_id=session.id))
    form = make_form(session, kind)
    bad = {"own_form": form} if kind == fidelity.SELF else {"review_form": form}
    if not form.validate_on_submit():
        return render_page(session, status=400, **bad)
    review = kind == fidelity.REVIEW
    try:
        fidelity.save(session, kind, current_user, scores_of(session, form),
                      form.comments.data or "", form.mode.data if review else None,
                      competence_of(form) if review else None)
    except Refused as exc:
        form.comments.errors = [*form.comments.errors, exc.message]
        return render_page(session, status=400, **bad)
    audit.add(current_user, session.group_id, f"fidelity.{kind}", f"session {session.number}")
    db.session.commit()
    flash("The fidelity record is saved." if not review else "The review is saved.", "success")
    return redirect(url_for("fidelity.session_page", session_id=session.id))


@bp.post("/sessions/<id:session_id>/fidelity/self")
@login_required
def write_self(session_id: int):
    """Save the facilitators' own fidelity record of an ended session."""
    return write(session_id, fidelity.SELF, access.writes_fidelity_self,
                 "Only the group's facilitators write its own fidelity record.")


@bp.post("/sessions/<id:session_id>/fidelity/review")
@login_required
def write_review(session_id: int):
    """Save a supervisor's review of an ended session."""
    return write(session_id, fidelity.REVIEW, access.writes_fidelity_review,
                 "Only a supervisor of the group writes the fidelity review.")


@bp.app_template_global()
def fidelity_missing(group_id: int) -> list:
    """For the console and the group page: the group's ended sessions without a record."""
    return fidelity.missing([group_id])


@bp.app_template_global()
def fidelity_words() -> dict:
    """The fidelity record's words (vocabulary.FIDELITY_WORDS) for templates."""
    return FIDELITY_WORDS
