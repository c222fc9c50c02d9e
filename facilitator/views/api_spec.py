"""The OpenAPI 3.0 document of the read-only programme API (served at /api/v1/openapi.json)."""

from ..services import vocabulary

SEVERITIES = ["minimal", "mild", "moderate", "moderately_severe", "severe"]
ATTENDANCE = ["present", "missed", "not_member", "not_yet", "upcoming"]
COUNT = {"type": "integer", "minimum": 0}
OUTCOMES = ["response", "remission", "reliable_improvement", "recovery"]
PROBLEM_AREAS = list(vocabulary.PROBLEM_AREAS)
FIRST_MEASURES = list(vocabulary.FIRST_MEASURE_WORDS)
STATUSES = list(vocabulary.MEMBER_STATUSES)
MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])$"


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


# Outcomes by problem area: every area in order, then "none yet".
BY_AREA = {"type": "array", "items": ref("AreaTotals"), "minItems": len(PROBLEM_AREAS) + 1,
           "maxItems": len(PROBLEM_AREAS) + 1}


def obj(properties: dict) -> dict:
    """A closed object schema whose properties are all required."""
    return {"type": "object", "additionalProperties": False, "required": list(properties),
            "properties": properties}


def nullable(schema: dict) -> dict:
    """``schema`` that may also be null (an enum gets null as a member too)."""
    schema = {**schema, "nullable": True}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def schemas() -> dict:
    """The component schemas."""
    return {**group_schemas(), **measure_schemas(), **quality_schemas()}


def group_schemas() -> dict:
    """Schemas of errors, groups, sessions and attendance."""
    whole = {"type": "integer"}
    return {
        "Error": obj({"error": obj({"code": whole, "title": {"type": "string"},
                                    "message": {"type": "string"}})}),
        "Facilitator": obj({"id": whole, "name": {"type": "string"},
                            "role": {"type": "string", "enum": ["lead", "co"]}}),
        "Group": obj({"id": whole, "name": {"type": "string"}, "template": {"type": "string"},
                      "participants": COUNT, "sessions": COUNT, "sessions_ended": COUNT,
                      "open_alerts": COUNT,
                      "facilitators": {"type": "array", "items": ref("Facilitator")},
                      "course_complete": {"type": "boolean"}, "safety": ref("Safety")}),
        "Safety": obj({"acknowledged_alerts": COUNT, "unacknowledged_alerts": COUNT,
                       "median_seconds_to_acknowledge": nullable({"type": "integer",
                                                                  "minimum": 0}),
                       "overdue_follow_ups": COUNT}),
        "Session": obj({
            "id": whole, "number": whole, "title": {"type": "string"},
            "phase": {"type": "string", "enum": ["initial", "middle", "termination"]},
            "status": {"type": "string", "enum": ["scheduled", "live", "ended"]},
            "started_at": nullable({"type": "string", "format": "date-time"}),
            "ended_at": nullable({"type": "string", "format": "date-time"}),
            "present": COUNT}),
        "Attendance": obj({
            "code": {"type": "string", "pattern": "^P[0-9]{2,}$"},
            "attendance": {"type": "array", "items": obj({
                "session": whole, "status": {"type": "string", "enum": ATTENDANCE}})},
            "sessions_attended": COUNT, "sessions_expected": COUNT,
            "missed_in_a_row": {"type": "array", "items": {"type": "array", "items": whole}}}),
    }


def measure_schemas() -> dict:
    """Schemas of measures, outcomes, group means and totals."""
    whole = {"type": "integer"}
    yes_no = nullable({"type": "boolean"})
    share = nullable({"type": "number", "minimum": 0, "maximum": 1})
    rates = obj(dict.fromkeys(OUTCOMES, share))
    return {
        "Measure": obj({
            "session": whole,
            "mood": nullable({"type": "integer", "minimum": 0, "maximum": 10}),
            "phq9_total": nullable({"type": "integer", "minimum": 0, "maximum": 27}),
            "severity": nullable({"type": "string", "enum": SEVERITIES}),
            "phq9_answered": nullable({"type": "integer", "minimum": 0, "maximum": 9}),
            "item9": nullable({"type": "integer", "minimum": 0, "maximum": 3})}),
        "Outcome": obj({
            "first_phq9": nullable(whole), "latest_phq9": nullable(whole),
            "measures": COUNT, "change": nullable(whole), "response": yes_no,
            "remission": yes_no, "reliable_improvement": yes_no, "recovery": yes_no,
            "first_measure": nullable({"type": "string", "enum": FIRST_MEASURES})}),
        "ParticipantOutcome": obj({"code": {"type": "string", "pattern": "^P[0-9]{2,}$"},
                                   "measures": {"type": "array", "items": ref("Measure")},
                                   "outcome": ref("Outcome"),
                                   "problem_area": nullable({"type": "string",
                                                             "enum": PROBLEM_AREAS}),
                                   "status": {"type": "string", "enum": STATUSES},
                                   "counted": {"type": "boolean"}}),
        "AreaTotals": obj({"problem_area": nullable({"type": "string", "enum": PROBLEM_AREAS}),
                           "totals": ref("Totals")}),
        "GroupMean": obj({"session": whole, "phq9_total": nullable({"type": "number"}),
                          "mood": nullable({"type": "number"}), "count": COUNT}),
        "Totals": obj({"participants": COUNT, "sessions_attended": COUNT,
                       "sessions_expected": COUNT,
                       "attendance_rate": nullable({"type": "number", "minimum": 0,
                                                    "maximum": 1}),
                       "measured": COUNT, "response": COUNT, "remission": COUNT,
                       "reliable_improvement": COUNT, "recovery": COUNT,
                       "enrolled": COUNT, "no_data": COUNT, "no_measure": COUNT,
                       "one_measure": COUNT, "so_far": {"type": "boolean"},
                       "rates_enrolled": rates, "rates_measured": rates,
                       "first_measure_baseline": COUNT, "first_measure_in_group": COUNT,
                       "not_enrolled": COUNT}),
    }


def quality_schemas() -> dict:
    """Schemas of the quality figures: fidelity per group, facilitator and month."""
    whole = {"type": "integer"}
    percent = nullable({"type": "number", "minimum": 0, "maximum": 100})
    figures = {"sessions_ended": COUNT, "sessions_with_record": COUNT,
               "sessions_reviewed": COUNT,
               "share_reviewed": nullable({"type": "number", "minimum": 0, "maximum": 1}),
               "self_percent": percent, "review_percent": percent}
    over_time = {"fidelity": ref("Fidelity"),
                 "by_month": {"type": "array", "items": ref("MonthFidelity")}}
    counts = {"referrals_pending": COUNT, "safety": ref("Safety"), "totals": ref("Totals"),
              "by_problem_area": BY_AREA}
    return {
        "Fidelity": obj(figures),
        "MonthFidelity": obj({"month": {"type": "string", "pattern": MONTH}, **figures}),
        "GroupQuality": obj({"group_id": whole,
                             "facilitator_ids": {"type": "array", "items": whole},
                             **over_time, **counts}),
        "FacilitatorQuality": obj({"facilitator_id": whole, "name": {"type": "string"},
                                   "group_ids": {"type": "array", "items": whole},
                                   **over_time, **counts}),
    }


def answer(description: str, schema: dict) -> dict:
    """A JSON response."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def operation(summary: str, schema: dict, with_group: bool = True) -> dict:
    """A GET operation answering ``schema``, 401 without a token, 404 for an unknown group."""
    responses = {"200": answer(summary, schema),
                 "401": answer("No valid API token.", ref("Error"))}
    op = {"summary": summary, "operationId": summary.lower().replace(" ", "_").replace(",", "")}
    if with_group:
        responses["404"] = answer("No such group.", ref("Error"))
        op["parameters"] = [{"name": "group_id", "in": "path", "required": True,
                             "schema": {"type": "integer", "minimum": 1,
                                        "maximum": 2147483647}}]
    return {"get": {**op, "responses": responses}}


def paths() -> dict:
    """The API's paths."""
    group = "/groups/{group_id}"
    by_area = BY_AREA
    return {
        "/groups": operation("List groups", obj({"groups": {"type": "array",
                                                           "items": ref("Group")}}),
                             with_group=False),
        group: operation("Get a group", ref("Group")),
        f"{group}/sessions": operation("List sessions", obj({
            "group_id": {"type": "integer"},
            "sessions": {"type": "array", "items": ref("Session")}})),
        f"{group}/attendance": operation("Get attendance", obj({
            "group_id": {"type": "integer"},
            "participants": {"type": "array", "items": ref("Attendance")}})),
        f"{group}/outcomes": operation("Get outcomes", obj({
            "group_id": {"type": "integer"},
            "participants": {"type": "array", "items": ref("ParticipantOutcome")},
            "group_means": {"type": "array", "items": ref("GroupMean")},
            "totals": ref("Totals"), "by_problem_area": by_area})),
        "/outcomes": operation("Get programme outcomes", obj({
            "groups": COUNT, "totals": ref("Totals"), "by_problem_area": by_area}),
            with_group=False),
        "/quality": operation("Get programme quality", obj({
            "months": {"type": "array", "items": {"type": "string", "pattern": MONTH}},
            "programme": obj({"fidelity": ref("Fidelity"),
                              "by_month": {"type": "array", "items": ref("MonthFidelity")}}),
            "groups": {"type": "array", "items": ref("GroupQuality")},
            "facilitators": {"type": "array", "items": ref("FacilitatorQuality")}}),
            with_group=False),
    }


def document() -> dict:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Facilitator programme API", "version": "1.0.0",
                 "description": "Read-only: groups, sessions, attendance, outcomes (also by "
                                "problem area) and quality (fidelity, reviews, referrals). "
                                "Participants appear by group code only, with "
                                "no free text."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths(),
        "components": {"schemas": schemas(),
                       "securitySchemes": {"bearerAuth": {"type": "http",
                                                          "scheme": "bearer"}}},
    }
