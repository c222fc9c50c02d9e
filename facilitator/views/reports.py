"""Reports for a group's facilitators: measures over time, session summaries, attendance and
exports. Views only load, check access and render; the data comes from ``services``."""

from flask import Blueprint, Response, jsonify, render_template, request
from flask_login import current_user, login_required

from ..services import audit, exports, reporting
from ..services.scoring import answered_count, item9_grade, item9_of, severity
from ..services.tally import OUTCOME_KEYS, area_list, group_tallies
from ..services.vocabulary import (
    ALERT_REASON_WORDS,
    FIRST_MEASURE_NOTE,
    OUTCOMES,
    first_measure_words,
    outcome_area_words,
)
from .guards import readable_group as my_group  # reports: the group's team or an admin
from .guards import readable_session as my_session

bp = Blueprint("reports", __name__)

OUTCOME_LABELS = list(OUTCOMES)
CARD_STATUSES = {"pending": "waiting for approval", "published": "on the board",
                 "rejected": "not published", "taken_down": "taken down",
                 "withdrawn": "withdrawn by its author"}






@bp.app_template_global()
def attendance_flags(group):
    """The group's participants who missed two or more ended sessions in a row (for templates)."""
    return reporting.attendance_flags(group)


@bp.app_template_filter("signed")
def signed(value):
    """Show a change with its sign (+2, -3, 0), or an em dash when unknown."""
    if value is None:
        return "—"
    return f"{value:+d}" if value else "0"


@bp.app_template_filter("band")
def band(name):
    """Show a severity band's name for people."""
    return reporting.BAND_LABELS.get(name, "—") if name else "—"


@bp.app_template_filter("band_of")
def band_of(total):
    """Name the severity band of a PHQ-9 total, for people."""
    return "—" if total is None else reporting.BAND_LABELS[severity(total)]


@bp.app_template_filter("yes_no")
def yes_no(value):
    """Show an outcome: Yes, No, or No data (fewer than two PHQ-9 measures)."""
    return reporting.NO_DATA if value is None else ("Yes" if value else "No")


@bp.app_template_filter("outcome_state")
def outcome_state(value):
    """A class name for an outcome: yes, no or unknown."""
    return "unknown" if value is None else ("yes" if value else "no")


@bp.app_template_filter("outcome_area")
def outcome_area(key):
    """A problem area as outcomes are read by it ("No problem area yet" for none)."""
    return outcome_area_words(key)


@bp.app_template_filter("first_measure")
def first_measure(key):
    """Where a member's outcomes start from, in words (an em dash before any measure)."""
    return first_measure_words(key)


@bp.app_template_global()
def first_measure_note(tally) -> str:
    """Say how many members' outcomes start from their baseline and how many do not."""
    def members(count: int) -> str:
        """``count`` members, in words."""
        return f"{count} member{'' if count == 1 else 's'}"

    return FIRST_MEASURE_NOTE.format(baseline=members(tally.from_baseline),
                                     group=members(tally.from_group))


@bp.app_template_filter("when")
def when(moment, fmt: str = "%d %b %Y, %H:%M UTC"):
    """Show a stored UTC time, or an em dash when there is none."""
    return "—" if moment is None else moment.strftime(fmt)


@bp.app_template_filter("reason")
def reason(code):
    """Say why an alert was raised, in words."""
    return ALERT_REASON_WORDS.get(code, code)


@bp.app_template_filter("card_status")
def card_status(code):
    """Say where a card stands, in words ("taken down")."""
    return CARD_STATUSES.get(code, code)


@bp.app_template_filter("item9_words")
def item9_words(answers):
    """Item 9 of a PHQ-9 answer list in words ("nearly every day"), or "" if unanswered."""
    return item9_grade(item9_of(answers)) or ""


@bp.app_template_filter("answered")
def answered(answers):
    """How many of the nine PHQ-9 questions a check-in answered."""
    return answered_count(answers)


@bp.app_template_filter("phq9_items")
def phq9_items(answers):
    """The answered PHQ-9 items as "question: answer", e.g. "1: 2 · 4: 3 · 9: 1"."""
    return " · ".join(f"{n}: {a}" for n, a in enumerate(answers or [], start=1) if a is not None)


@bp.app_template_filter("percent")
def percent(share):
    """Show a share of 0-1 as a whole percentage, or an em dash when unknown."""
    return "—" if share is None else f"{round(share * 100)}%"


@bp.app_template_filter("and_list")
def and_list(values):
    """Join values for reading: "3 and 4", "3, 4 and 5"."""
    words = [str(v) for v in values]
    return words[0] if len(words) < 2 else ", ".join(words[:-1]) + " and " + words[-1]


@bp.get("/groups/<id:group_id>/outcomes")
@login_required
def outcomes_page(group_id: int):
    """PHQ-9 and mood over the course, per participant and for the group, with outcomes."""
    group = my_group(group_id)
    audit.record_read(current_user, group.id, "outcomes")
    tallies = group_tallies(group)
    return render_template("reports/outcomes.html", group=group,
                           course=reporting.course_measures(group),
                           bands=reporting.severity_bands(), labels=OUTCOME_LABELS,
                           tally=tallies.total, last=reporting.last_planned_number(group),
                           areas=tallies.by_area, keys=OUTCOME_KEYS, areas_id="areas-table",
                           left_out=tallies.left_out)


@bp.get("/groups/<id:group_id>/outcomes.json")
@login_required
def outcomes_data(group_id: int):
    """The series the outcome charts draw, one value per session of the course."""
    group = my_group(group_id)
    audit.record_read(current_user, group.id, "outcomes_json")
    data = reporting.chart_data(reporting.course_measures(group))
    tallies = group_tallies(group)
    return jsonify({**data, "totals": tallies.total.as_dict(),
                    "by_problem_area": area_list(tallies.by_area)})


@bp.get("/sessions/<id:session_id>/summary")
@login_required
def session_summary(session_id: int):
    """A printable record of one session."""
    session = my_session(session_id)
    audit.record_read(current_user, session.group_id, "summary", f"session {session.number}")
    return render_template("reports/summary.html", summary=reporting.session_summary(session),
                           session=session, group=session.group)


@bp.get("/groups/<id:group_id>/attendance")
@login_required
def attendance(group_id: int):
    """Who came to each session, and who missed two or more sessions in a row."""
    group = my_group(group_id)
    audit.record_read(current_user, group.id, "attendance")
    rows = reporting.attendance_rows(group)
    return render_template("reports/attendance.html", group=group, rows=rows,
                           flags=[row for row in rows if row.runs],
                           cell_text=reporting.CELL_TEXT)


def wants_deidentified() -> bool:
    """Tell whether the export was asked for de-identified (``?deidentified=1``)."""
    return request.args.get("deidentified", "").lower() in ("1", "true", "yes", "on")


def record_export(group_id: int, kind: str, deidentified: bool) -> None:
    """Write the export to the audit trail: who, which group, which format, de-identified or not."""
    subject = f"{kind} de-identified" if deidentified else kind
    audit.record(current_user, group_id, "export", subject)


def export_name(group_id: int, deidentified: bool, extension: str) -> str:
    """The download's file name."""
    return f"group-{group_id}{'-deidentified' if deidentified else ''}.{extension}"


@bp.get("/groups/<id:group_id>/export.csv")
@login_required
def export_csv(group_id: int):
    """Download the group's sessions, attendance, measures and outcomes as CSV."""
    group = my_group(group_id)
    deidentified = wants_deidentified()
    body = exports.to_csv(group, deidentified)
    record_export(group.id, "csv", deidentified)
    name = export_name(group.id, deidentified, "csv")
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@bp.get("/groups/<id:group_id>/export.json")
@login_required
def export_json(group_id: int):
    """Download the group's sessions, attendance, measures and outcomes as JSON."""
    group = my_group(group_id)
    deidentified = wants_deidentified()
    document = exports.to_document(group, deidentified)
    record_export(group.id, "json", deidentified)
    response = jsonify(document)
    name = export_name(group.id, deidentified, "json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
