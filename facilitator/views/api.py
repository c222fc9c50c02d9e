"""The read-only programme API under /api/v1, for programme administrators' tokens.

Every call but the OpenAPI document needs ``Authorization: Bearer <token>``; cookies are never
used here. Participants appear by their group code (P01, ...) only, with no free text.
"""

from flask import Blueprint, g, jsonify, request

from ..extensions import db
from ..models import Group, iso
from ..services import audit, exports, programme, quality, tokens
from ..services.reporting import attended_counts, course_complete, participant_codes
from ..services.tally import Tally, add_areas, area_key, area_list, group_tallies
from .api_spec import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def unauthorized():
    """Answer 401 with a Bearer challenge."""
    response = jsonify(error={"code": 401, "title": "Unauthorized",
                              "message": "Send a valid API token: Authorization: Bearer <token>."})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="facilitator"'
    return response


@bp.before_request
def authenticate():
    """Let only a live administrator token through (the OpenAPI document is public)."""
    if request.endpoint == "api.openapi":
        return None
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    user = tokens.owner(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
    if user is None:
        return unauthorized()
    g.api_user = user
    return None


def load_group(group_id: int, audited: bool = True) -> Group:
    """Load a group or answer 404; record the read in the audit trail."""
    group = db.get_or_404(Group, group_id)
    if audited:
        audit.record(g.api_user, group.id, "api", f"GET {request.path}"[:120])
    return group


def group_summary(group: Group, open_alerts: int, safety: programme.Safety | None = None) -> dict:
    """A group as the API lists it, with its safety figures (counts only)."""
    safety = safety or programme.Safety()
    return {"id": group.id, "name": group.name, "template": group.template,
            "participants": len(group.participants), "sessions": len(group.sessions),
            "sessions_ended": sum(s.status == "ended" for s in group.sessions),
            "open_alerts": open_alerts,
            "facilitators": [{"id": person.id, "name": person.name, "role": role}
                             for person, role in programme.team_of(group.id)],
            "course_complete": course_complete(group), "safety": safety.as_dict()}


@bp.get("/groups")
def groups():
    """Every group of the programme."""
    alerts = programme.open_alert_counts()
    safety = programme.safety_figures()
    rows = db.session.scalars(db.select(Group).order_by(Group.id))
    return {"groups": [group_summary(group, alerts.get(group.id, 0), safety.get(group.id))
                       for group in rows]}


@bp.get("/groups/<id:group_id>")
def group(group_id: int):
    """One group."""
    found = load_group(group_id, audited=False)
    return group_summary(found, programme.open_alert_counts().get(found.id, 0),
                         programme.safety_figures().get(found.id))


@bp.get("/groups/<id:group_id>/sessions")
def sessions(group_id: int):
    """A group's sessions and how many came to each."""
    found = load_group(group_id)
    present = attended_counts(found.id)
    return {"group_id": found.id, "sessions": [
        {"id": s.id, "number": s.number, "title": s.title, "phase": s.phase,
         "status": s.status, "started_at": iso(s.started_at), "ended_at": iso(s.ended_at),
         "present": present.get(s.id, 0)} for s in found.sessions]}


@bp.get("/groups/<id:group_id>/attendance")
def attendance(group_id: int):
    """Each participant's attendance in every session, and runs of sessions missed."""
    found = load_group(group_id)
    document = exports.to_document(found, deidentified=True)
    keep = ("code", "attendance", "sessions_attended", "sessions_expected", "missed_in_a_row")
    return {"group_id": found.id,
            "participants": [{k: p[k] for k in keep} for p in document["participants"]]}


@bp.get("/groups/<id:group_id>/outcomes")
def outcomes(group_id: int):
    """Each participant's measures per session and outcomes; the group's means and totals."""
    found = load_group(group_id)
    document = exports.to_document(found, deidentified=True)
    tallies = group_tallies(found)
    codes = participant_codes(found)
    plan = {codes[p.id]: {"problem_area": area_key(p.problem_area), "status": p.status,
                          "counted": p.id not in tallies.left_out}
            for p in found.participants}
    return {"group_id": found.id,
            "participants": [{**{k: p[k] for k in ("code", "measures", "outcome")},
                              **plan[p["code"]]} for p in document["participants"]],
            "group_means": document["group_means"],
            "totals": tallies.total.as_dict(), "by_problem_area": area_list(tallies.by_area)}


@bp.get("/outcomes")
def programme_outcomes():
    """The whole programme's outcomes, and by problem area, added up over every group."""
    audit.record(g.api_user, None, "api", f"GET {request.path}"[:120])
    total, areas, count = Tally(), [], 0
    for found in db.session.scalars(db.select(Group).order_by(Group.id)):
        tallies = group_tallies(found)
        total.add(tallies.total)
        areas.append(tallies.by_area)
        count += 1
    return {"groups": count, "totals": total.as_dict(),
            "by_problem_area": area_list(add_areas(areas))}


@bp.get("/quality")
def programme_quality():
    """Fidelity, reviews, referrals pending, safety and outcomes per group, per facilitator and
    per month, by code (group id, facilitator id, "YYYY-MM"); counts only, no free text."""
    audit.record(g.api_user, None, "api", f"GET {request.path}"[:120])
    return quality.programme_quality().as_dict()


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.0 description of this API."""
    return jsonify(document())
