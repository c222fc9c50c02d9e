"""The authorization matrix: every route and every live event, as each kind of person.

Roles: ``anonymous``; ``stranger`` (a participant of another group); ``participant`` (of the
group); ``outsider`` (a facilitator of another group); ``facilitator`` (of the group);
``supervisor`` (the group's supervisor: reads, never runs); ``far_supervisor`` (the other
group's supervisor: nothing of this group).
A route or event added without a row here fails ``test_every_route_and_event_has_a_row``.
"""

import re
from datetime import date

import pytest
from helpers import emit, joined, live, login_as, make_group
from helpers.supervision import make_supervisor

from facilitator.extensions import db
from facilitator.models import AgendaItem, Alert, Card, Facilitator, GroupSession
from facilitator.services import plans, supervision
from realtime.dispatch import EVENTS

ROLES = ("anonymous", "stranger", "participant", "outsider", "facilitator", "supervisor",
         "far_supervisor")
OK, DENY, LOGIN = "ok", "deny", "login"


def only(*roles, public=False):
    """Expected outcome per role: allowed for ``roles``, sign-in asked of anonymous."""
    return {role: OK if role in roles else (OK if public else LOGIN) if role == "anonymous"
            else DENY for role in ROLES}


FACILITATOR = only("facilitator")
# What the group's supervisor reads too (console read only, reports, profiles, risk records).
READERS = only("facilitator", "supervisor")
MEMBERS = only("participant", "facilitator")
ANY_FACILITATOR = only("facilitator", "outsider", "supervisor", "far_supervisor")
EVERYONE_SIGNED_IN = only("participant", "stranger", "facilitator", "outsider", "supervisor",
                          "far_supervisor")
PARTICIPANTS = only("participant", "stranger")  # each sees their own group's texts
PUBLIC = only(*ROLES, public=True)
ADMINS_ONLY = only()  # programme administrators; none of the five roles is one
TOKEN_ONLY = dict.fromkeys(ROLES, DENY)  # the API takes a Bearer token, never a cookie

ROUTES = {
    "auth.join": ("GET", "/join/{token}", PUBLIC),
    "auth.login": ("GET", "/login", PUBLIC),
    "auth.logout": ("POST", "/logout", EVERYONE_SIGNED_IN),
    "groups.add_participant": ("POST", "/groups/{group}/participants", FACILITATOR),
    "groups.agenda": ("GET", "/sessions/{session}/agenda", FACILITATOR),
    "groups.agenda_item": ("POST", "/agenda/{item}/move", FACILITATOR),
    "groups.new_group": ("GET", "/groups/new", ANY_FACILITATOR),
    "groups.revoke": ("POST", "/groups/{group}/participants/{participant}/revoke", FACILITATOR),
    "groups.show": ("GET", "/groups/{group}", FACILITATOR),
    "pages.board": ("GET", "/sessions/{session}/board", MEMBERS),
    "pages.console": ("GET", "/sessions/{session}/console", READERS),
    "pages.dashboard": ("GET", "/", EVERYONE_SIGNED_IN),
    "pages.healthz": ("GET", "/healthz", PUBLIC),
    "pages.new_facilitator": ("GET", "/facilitators/new", ANY_FACILITATOR),
    "pages.participant_live": ("GET", "/sessions/{session}/live", MEMBERS),
    "reports.attendance": ("GET", "/groups/{group}/attendance", READERS),
    "reports.export_csv": ("GET", "/groups/{group}/export.csv", READERS),
    "reports.export_json": ("GET", "/groups/{group}/export.json", READERS),
    "reports.outcomes_data": ("GET", "/groups/{group}/outcomes.json", READERS),
    "reports.outcomes_page": ("GET", "/groups/{group}/outcomes", READERS),
    "reports.session_summary": ("GET", "/sessions/{session}/summary", READERS),
    "profile.show": ("GET", "/groups/{group}/members/{participant}", READERS),
    "profile.add_goal": ("POST", "/groups/{group}/members/{participant}/goals", FACILITATOR),
    "profile.edit_goal": ("POST", "/groups/{group}/members/{participant}/goals/{goal}",
                          FACILITATOR),
    "profile.drop_goal": ("POST", "/groups/{group}/members/{participant}/goals/{goal}/drop",
                          FACILITATOR),
    "profile.note_progress": ("POST",
                              "/groups/{group}/members/{participant}/goals/{goal}/progress",
                              FACILITATOR),
    "static": ("GET", "/static/css/app.css", PUBLIC),
    "groups.audit_trail": ("GET", "/groups/{group}/audit", READERS),
    "programme.overview": ("GET", "/programme", ADMINS_ONLY),
    "programme.team": ("GET", "/programme/groups/{group}/team", ADMINS_ONLY),
    "programme.remove_from_team": ("POST", "/programme/groups/{group}/team/1/remove",
                                   ADMINS_ONLY),
    "programme.api_tokens": ("GET", "/programme/tokens", ADMINS_ONLY),
    # The programme's quality (issue 23 item 5): administrators only (tests/quality: allowed).
    "programme.quality_page": ("GET", "/programme/quality", ADMINS_ONLY),
    "programme.revoke_token": ("POST", "/programme/tokens/1/revoke", ADMINS_ONLY),
    "api.groups": ("GET", "/api/v1/groups", TOKEN_ONLY),
    "api.group": ("GET", "/api/v1/groups/{group}", TOKEN_ONLY),
    "api.sessions": ("GET", "/api/v1/groups/{group}/sessions", TOKEN_ONLY),
    "api.attendance": ("GET", "/api/v1/groups/{group}/attendance", TOKEN_ONLY),
    "api.outcomes": ("GET", "/api/v1/groups/{group}/outcomes", TOKEN_ONLY),
    "api.programme_outcomes": ("GET", "/api/v1/outcomes", TOKEN_ONLY),
    "api.programme_quality": ("GET", "/api/v1/quality", TOKEN_ONLY),
    "api.openapi": ("GET", "/api/v1/openapi.json", PUBLIC),
    "safety.notice": ("GET", "/notice", PARTICIPANTS),
    "safety.accept_notice": ("POST", "/notice", PARTICIPANTS),
    "safety.help_now": ("GET", "/help", PARTICIPANTS),
    "safety.settings": ("GET", "/groups/{group}/safety", FACILITATOR),
    "risk.record_page": ("GET", "/alerts/{alert}/risk", READERS),
    "risk.follow_up": ("POST", "/alerts/{alert}/risk/follow-up", FACILITATOR),
    # The pre-group meeting (tests/security/test_authz_meeting.py has its full matrix). The
    # scene's member has no meeting rows, so the rows' own pages are 404 for everyone.
    "meeting.page": ("GET", "/groups/{group}/members/{participant}/meeting", FACILITATOR),
    "meeting.save": ("POST", "/groups/{group}/members/{participant}/meeting/start",
                     FACILITATOR),
    "meeting.remove_entry": ("POST", "/groups/{group}/members/{participant}/meeting/timeline/"
                             "1/remove", only()),
    "meeting.edit_person": ("POST", "/groups/{group}/members/{participant}/meeting/inventory/1",
                            only()),
    "meeting.remove_person": ("POST", "/groups/{group}/members/{participant}/meeting/"
                              "inventory/1/remove", only()),
    "meeting.open_risk": ("POST", "/groups/{group}/members/{participant}/meeting/risk", only()),
    "meeting.enrol_elsewhere": ("POST", "/groups/{group}/members/{participant}/enrol-elsewhere",
                                FACILITATOR),
    # A member's page before the group (an enrolled one is sent on to the group); its
    # questionnaire is for a member not yet enrolled, so no role of the scene may send it.
    "pregroup.page": ("GET", "/before-the-group", PARTICIPANTS),
    "pregroup.baseline": ("POST", "/before-the-group/baseline", only()),
    # The ending: a referral on the profile; each member's own plan as a text file.
    "ending.add_referral": ("POST", "/groups/{group}/members/{participant}/referrals",
                            FACILITATOR),
    "ending.plan_download": ("GET", "/my-staying-well-plan.txt", PARTICIPANTS),
    # The scene's course has not ended: its facilitator is told so (a redirect), nothing added.
    "ending.add_maintenance": ("POST", "/groups/{group}/maintenance", FACILITATOR),
    # Supervision (issue 23): notes are written by the group's supervisor; actions closed by
    # anyone on its team (the scene's action is the facilitator's); the lead chooses supervisors.
    "supervision.group_page": ("GET", "/groups/{group}/supervision", READERS),
    "supervision.write_note": ("POST", "/groups/{group}/supervision/notes", only("supervisor")),
    "supervision.close_action": ("POST", "/supervision/actions/{action}/close", READERS),
    "supervision.add_supervisor": ("POST", "/groups/{group}/supervisors", FACILITATOR),
    "supervision.remove_supervisor": ("POST", "/groups/{group}/supervisors/{supervisor}/remove",
                                      FACILITATOR),
    "supervision.queue": ("GET", "/supervision", ANY_FACILITATOR),
    # The fidelity record (issue 23): the team reads it; the group's facilitators write their
    # own record, its supervisor the review (the scene's session is live: told so, a redirect).
    "fidelity.session_page": ("GET", "/sessions/{session}/fidelity", READERS),
    "fidelity.write_self": ("POST", "/sessions/{session}/fidelity/self", FACILITATOR),
    "fidelity.write_review": ("POST", "/sessions/{session}/fidelity/review", only("supervisor")),
}
# What a POST sends besides its CSRF token, where an empty form would be refused (400).
FORM_DATA = {"supervision.write_note": {"text": "The matrix's note", "session_id": "0"}}
# The same page's other method: a POST of the record form (answers missing: shown again).
EXTRA_ROUTES = {
    "risk.record_page (POST)": ("POST", "/alerts/{alert}/risk", FACILITATOR),
}

def allowed(*roles):
    """An event's expected answer per signed-in role: ok for ``roles``, else forbidden."""
    return {role: OK if role in roles else "forbidden" for role in ROLES if role != "anonymous"}


# A supervisor may look (session:join, meeting:watch) but every event that changes the room
# is forbidden for them; another group's supervisor gets nothing.
FACILITATOR_EVENT = allowed("facilitator")
PARTICIPANT_EVENT = allowed("participant")
MEMBER_EVENT = allowed("participant", "facilitator")
READER_EVENT = allowed("participant", "facilitator", "supervisor")
# The scene's card is the other participant's: only its author may withdraw it
# (tests/realtime/test_board_safety.py shows the author can).
WITHDRAW_EVENT = allowed()

EVENT_ROWS = {
    "session:join": ({"session_id": "{session}"}, READER_EVENT),
    "session:start": ({"session_id": "{session}"}, FACILITATOR_EVENT),
    "session:end": ({"session_id": "{session}"}, FACILITATOR_EVENT),
    "agenda:activate": ({"session_id": "{session}", "item_id": "{item}"}, FACILITATOR_EVENT),
    "prompt:push": ({"session_id": "{session}", "text": "Ask for help"}, FACILITATOR_EVENT),
    "prompt:clear": ({"session_id": "{session}"}, FACILITATOR_EVENT),
    "roleplay:debrief": ({"session_id": "{session}", "prompt_id": "{prompt}",
                          "worked": "Kept a calm voice"}, FACILITATOR_EVENT),
    "timer:start": ({"session_id": "{session}", "seconds": 60, "label": "Pairs"},
                    FACILITATOR_EVENT),
    "timer:stop": ({"session_id": "{session}"}, FACILITATOR_EVENT),
    "checkin:submit": ({"session_id": "{session}", "client_id": "matrix-checkin", "mood": 5},
                       PARTICIPANT_EVENT),
    "homework:assign": ({"session_id": "{session}", "text": "Walk daily"}, FACILITATOR_EVENT),
    "reflection:submit": ({"client_id": "matrix-reflect", "assignment_id": "{assignment}",
                           "text": "It helped"}, PARTICIPANT_EVENT),
    "card:submit": ({"session_id": "{session}", "client_id": "matrix-card", "text": "Moving",
                     "problem_area": "role_transition", "anonymous": True}, MEMBER_EVENT),
    "card:moderate": ({"card_id": "{card}", "action": "approve"}, FACILITATOR_EVENT),
    "card:withdraw": ({"card_id": "{card}"}, WITHDRAW_EVENT),
    "presenter:set": ({"session_id": "{session}", "on": True}, FACILITATOR_EVENT),
    "theme:create": ({"session_id": "{session}", "title": "New jobs",
                      "problem_area": "role_transition"}, FACILITATOR_EVENT),
    "alert:ack": ({"alert_id": "{alert}", "note": "Called them"}, FACILITATOR_EVENT),
    "hand:raise": ({"session_id": "{session}"}, PARTICIPANT_EVENT),
    "hand:lower": ({"session_id": "{session}", "participant_id": "{participant}"},
                   MEMBER_EVENT),
    "risk:record": ({"alert_id": "{alert}", "asked_directly": True, "thoughts": "none",
                     "plan": False, "means": False, "past_attempt": False,
                     "risk_level": "low", "follow_up_due": "2099-01-01T09:00:00Z"},
                    FACILITATOR_EVENT),
    "risk:follow_up": ({"alert_id": "{alert}", "outcome": "Spoke with them"},
                       FACILITATOR_EVENT),
    "meeting:watch": ({"participant_id": "{participant}"}, allowed("facilitator", "supervisor")),
    "script:tick": ({"session_id": "{session}", "item_id": "{item}", "step": 0, "done": True},
                    FACILITATOR_EVENT),
    "round:reach": ({"session_id": "{session}", "participant_id": "{participant}"},
                    FACILITATOR_EVENT),
    "round:technique": ({"session_id": "{session}", "participant_id": "{participant}",
                         "technique": "mood_event", "on": True}, FACILITATOR_EVENT),
    "round:flag": ({"session_id": "{session}", "participant_id": "{participant}",
                    "on": True}, FACILITATOR_EVENT),
    "round:note": ({"session_id": "{session}", "participant_id": "{participant}",
                    "note": "Quiet today"}, FACILITATOR_EVENT),
    "round:progress": ({"session_id": "{session}", "participant_id": "{participant}",
                        "goal_id": "{goal}", "note": "Asked for help"}, FACILITATOR_EVENT),
    # Each member writes their own plan (a stranger theirs, in their own group).
    "wellplan:save": ({"warning_signs": "Bad sleep", "what_helps": "Walks",
                       "who_to_contact": "My GP"},
                      allowed("participant", "stranger")),
}


def test_every_route_and_event_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), "add a row to ROUTES for each new route"
    assert set(EVENTS) == set(EVENT_ROWS), "add a row to EVENT_ROWS for each new event"


@pytest.fixture
def scene(app):
    """A live session with an open alert, a pending card and homework, and two groups."""
    world = make_group(app, participants=2)
    other = make_group(app, participants=1, name="Other group", email="other@example.org")
    lead = app.test_client()
    login_as(lead, world.email)
    lead_sock = live(app, lead)
    joined(lead_sock, world.session_id)
    emit(lead_sock, "session:start", {"session_id": world.session_id})
    person = app.test_client()
    person.get(world.join_paths[1])
    sock = live(app, person)
    emit(sock, "checkin:submit", {"session_id": world.session_id, "client_id": "scene-ci",
                                  "mood": 2, "needs_support": True})
    emit(sock, "card:submit", {"session_id": world.session_id, "client_id": "scene-card",
                               "text": "Hard week", "problem_area": "grief"})
    homework = emit(lead_sock, "homework:assign", {"session_id": world.session_id,
                                                   "text": "Call a friend"})
    record_the_alert(lead_sock, joined(lead_sock, world.session_id)["alerts"][0]["alert_id"])
    own = emit(lead_sock, "prompt:push", {  # a member's own conversation, to debrief
        "session_id": world.session_id, "text": "Ask for a day off",
        "for_participant_id": world.participant_ids[0], "partner_id": world.participant_ids[1],
        "other_person": "a manager", "wants_to_say": "I need Friday off"})
    supervisor = make_supervisor(app, world.group_id, SUPERVISOR_EMAIL)
    make_supervisor(app, other.group_id, FAR_SUPERVISOR_EMAIL, "Far Supervisor")
    with app.app_context():
        session = db.session.get(GroupSession, world.session_id)
        ids = {"session": world.session_id, "group": world.group_id,
               "participant": world.participant_ids[0],
               "token": world.join_paths[0].rsplit("/", 1)[1],
               "item": db.session.scalars(db.select(AgendaItem.id).where(
                   AgendaItem.session_id == session.id)).first(),
               "alert": db.session.scalars(db.select(Alert.id)).first(),
               "card": db.session.scalars(db.select(Card.id)).first(),
               "assignment": homework["assignment_id"], "prompt": own["prompt_id"],
               "goal": plans.add_goal(session.group.participants[0], "Call my sister").id,
               "supervisor": supervisor}
        note = supervision.write_note(db.session.get(Facilitator, supervisor), session.group,
                                      "Check in with the team", session, [supervision.ActionDraft(
                                          "Read the summary", world.facilitator_id,
                                          date(2099, 1, 1))])
        ids["action"] = note.actions[0].id
        db.session.commit()
    return world, other, ids


SUPERVISOR_EMAIL, FAR_SUPERVISOR_EMAIL = "sup@example.org", "far-sup@example.org"


def record_the_alert(sock, alert_id: int) -> None:
    """Acknowledge the scene's alert and keep its risk record (for the risk events)."""
    assert emit(sock, "alert:ack", {"alert_id": alert_id})["ok"]
    assert emit(sock, "risk:record", {**EVENT_ROWS["risk:record"][0], "alert_id": alert_id,
                                      "risk_level": "medium"})["ok"]


def client_as(app, role, world, other):
    """An HTTP client signed in as ``role``."""
    client = app.test_client()
    if role == "participant":
        client.get(world.join_paths[0])
    elif role == "stranger":
        client.get(other.join_paths[0])
    elif role == "facilitator":
        login_as(client, world.email)
    elif role == "outsider":
        login_as(client, other.email)
    elif role == "supervisor":
        login_as(client, SUPERVISOR_EMAIL)
    elif role == "far_supervisor":
        login_as(client, FAR_SUPERVISOR_EMAIL)
    return client


def page_token(client) -> str:
    """A CSRF token from a page this client may open."""
    for path in ("/", "/login"):
        response = client.get(path, follow_redirects=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(True))
        if match:
            return match.group(1)
    raise AssertionError("no page with a form")


def fill(template, ids):
    """Put the scene's ids into a route or payload template."""
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    if isinstance(template, str) and re.fullmatch(r"\{\w+\}", template):
        return ids[template[1:-1]]
    return template.format(**ids) if isinstance(template, str) else template


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(ROUTES) + sorted(EXTRA_ROUTES))
def test_route(app, scene, endpoint, role):
    world, other, ids = scene
    method, path, expected = {**ROUTES, **EXTRA_ROUTES}[endpoint]
    client = client_as(app, role, world, other)
    data = ({"csrf_token": page_token(client), "direction": "up", **FORM_DATA.get(endpoint, {})}
            if method == "POST" else None)
    response = client.open(fill(path, ids), method=method, data=data)
    status = response.status_code
    response.close()
    if expected[role] == LOGIN:
        assert status == 302 and "/login" in response.headers["Location"], status
    elif expected[role] == DENY:
        assert status in (401, 403, 404), status
    else:
        assert status < 400, status


@pytest.mark.parametrize("fast_ways", [True, False], ids=["fast-ways-on", "fast-ways-off"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("event", sorted(EVENT_ROWS))
def test_event(app, scene, event, role, fast_ways):
    """Each permission is one predicate (services/access.py): the fast ways and the ordinary
    ways must give every role the same answer."""
    app.config["FAST_WAYS"] = fast_ways
    world, other, ids = scene
    payload, expected = EVENT_ROWS[event]
    sock = live(app, client_as(app, role, world, other))
    if role == "anonymous":
        assert not sock.is_connected("/live"), "an anonymous connect must be refused"
        return
    ack = emit(sock, event, fill(payload, ids))
    if expected[role] == OK:
        assert ack["ok"] is True, ack
    else:
        assert ack["ok"] is False and ack["error"]["code"] == expected[role], ack
