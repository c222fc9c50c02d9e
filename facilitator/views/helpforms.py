"""The form fields of a group's help texts, shared by the new-group and safety-settings forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..services.helptexts import (
    DEFAULT_SUPPORT_REPLY,
    DEFAULT_URGENT_HELP,
    MAX_HELP_TEXT,
    tidy,
)


def fits(form, field) -> None:
    """Count the text as it is stored (line breaks as one character, ends trimmed)."""
    if len(tidy(field.data)) > MAX_HELP_TEXT:
        raise ValidationError(f"Please keep this text to {MAX_HELP_TEXT} characters "
                              f"(it has {len(tidy(field.data))}).")


def urgent_help_field() -> TextAreaField:
    """The urgent-help text: crisis lines and the emergency number."""
    return TextAreaField(
        "Urgent help: crisis lines and the emergency number",
        description="Shown on every participant page under \u201cGet help now\u201d, and "
                    "after a worrying answer or a support request.",
        default=DEFAULT_URGENT_HELP, render_kw={"rows": 6, "maxlength": MAX_HELP_TEXT},
        validators=[DataRequired("Please write the urgent-help text: participants see it "
                                 "when they need help most."), fits])


def support_reply_field() -> TextAreaField:
    """Our reply to a support request: what the facilitators will do."""
    return TextAreaField(
        "Our reply to a support request",
        description="What your facilitators do after a participant asks for support. "
                    "Shown under \u201cGet help now\u201d. Promise only what your programme "
                    "does.",
        default=DEFAULT_SUPPORT_REPLY, render_kw={"rows": 5, "maxlength": MAX_HELP_TEXT},
        validators=[DataRequired("Please write the reply to a support request."),
                    fits])


class SafetySettingsForm(FlaskForm):
    """A group's help texts and whether participants see their own score."""

    crisis_resources = urgent_help_field()
    support_reply = support_reply_field()
    show_own_score = BooleanField(
        "Show participants their own questionnaire score after a check-in")
