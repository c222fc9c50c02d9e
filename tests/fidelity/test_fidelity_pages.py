"""The fidelity record page (issue 23 item 2) and the supervisor's review (item 3)."""

import re

from helpers import client_of, csrf_token, make_group
from helpers.supervision import make_supervisor

from facilitator.extensions import db
from facilitator.models import (
    Attendance,
    AuditEvent,
    FidelityRating,
    GroupSession,
    RoundEntry,
    utcnow,
)
from facilitator.services import fidelity

SUP = "sup-fid@example.org"


def end(app, session_id):
    """Mark a session ended, with every member present and one of them reached."""
    with app.app_context():
        session = db.session.get(GroupSession, session_id)
        session.status, session.started_at, session.ended_at = "ended", utcnow(), utcnow()
        for p in session.group.participants:
            db.session.add(Attendance(session_id=session_id, participant_id=p.id))
        db.session.add(RoundEntry(session_id=session_id,
                                  participant_id=session.group.participants[0].id,
                                  reached_at=utcnow(), techniques=["mood_event"]))
        db.session.commit()
        return fidelity.keys_for(session)


def scores(keys, value="2", **overrides):
    """Form data scoring every key ``value`` (``overrides`` per key)."""
    return {f"score_{k}": overrides.get(k, value) for k in keys}


def post(client, path, data, page):
    """POST a form with a CSRF token taken from ``page``."""
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def test_the_record_is_pre_filled_saved_audited_and_editable(app):
    world = make_group(app, participants=2)
    keys = end(app, world.session_id)
    lead = client_of(app, world.email)
    page_path = f"/sessions/{world.session_id}/fidelity"
    page = lead.get(page_path).get_data(True)
    assert "From the session&#39;s record: 1 of 2 members" in page
    turn = re.search(r'<select id="own-form-everyone_turn".*?</select>', page, re.S).group(0)
    assert re.search(r'<option selected value="1">', turn)
    started = re.search(r'<select id="own-form-started_on_time".*?</select>', page, re.S).group(0)
    assert "selected" not in started  # not in the record: the facilitator chooses
    labels = set(re.findall(r'<label for="(own-form-[^"]+)"', page))
    controls = set(re.findall(r'<(?:select|textarea)[^>]* id="(own-form-[^"]+)"', page))
    assert labels == controls and "own-form-comments" in labels  # every control is labelled
    answer = post(lead, f"{page_path}/self", scores(keys, comments="Went well"), page_path)
    assert answer.status_code == 302
    answer = post(lead, f"{page_path}/self", scores(keys, everyone_turn="1"), page_path)
    assert answer.status_code == 302
    with app.app_context():
        rows = db.session.query(FidelityRating).all()
        assert len(rows) == 1 and rows[0].kind == "self"
        assert rows[0].scores["everyone_turn"] == 1 and rows[0].scores["started_on_time"] == 2
        assert "rules_agreed" in rows[0].scores  # session 1's own items
        audit = db.session.query(AuditEvent).filter_by(action="fidelity.self").all()
        assert len(audit) == 2 and all("Went well" not in str(vars(a)) for a in audit)


def test_bad_input_gets_form_messages_never_500(app):
    world = make_group(app, participants=1)
    keys = end(app, world.session_id)
    lead = client_of(app, world.email)
    path = f"/sessions/{world.session_id}/fidelity"
    missing = scores(keys)
    missing.pop(f"score_{keys[0]}")
    answer = post(lead, f"{path}/self", missing, path)
    assert answer.status_code == 400 and "Choose a score for this item." in answer.get_data(True)
    answer = post(lead, f"{path}/self", scores(keys, started_on_time=""), path)
    assert answer.status_code == 400 and "Choose a score for this item." in answer.get_data(True)
    answer = post(lead, f"{path}/self", scores(keys, started_on_time="7"), path)
    assert answer.status_code == 400 and "field-error" in answer.get_data(True)
    answer = post(lead, f"{path}/self", {**scores(keys), "comments": "x" * 2001}, path)
    assert answer.status_code == 400 and "field-error" in answer.get_data(True)
    with app.app_context():
        assert db.session.query(FidelityRating).count() == 0


def test_a_session_not_ended_has_no_record_yet(app):
    world = make_group(app, participants=1)
    lead = client_of(app, world.email)
    path = f"/sessions/{world.session_id}/fidelity"
    assert "kept once the session has ended" in lead.get(path).get_data(True)
    assert post(lead, f"{path}/self", {}, "/").status_code == 302
    with app.app_context():
        assert db.session.query(FidelityRating).count() == 0


def test_supervisor_reviews_sees_the_gap_and_neither_writes_the_others_record(app):
    world = make_group(app, participants=2)
    keys = end(app, world.session_id)
    make_supervisor(app, world.group_id, SUP)
    lead, sup = client_of(app, world.email), client_of(app, SUP)
    path = f"/sessions/{world.session_id}/fidelity"
    assert post(sup, f"{path}/self", scores(keys), path).status_code == 403
    assert post(lead, f"{path}/review", {**scores(keys), "mode": "live"},
                path).status_code == 403
    queue = sup.get("/supervision").get_data(True)
    assert 'id="queue-fidelity-missing"' in queue and path in queue
    assert post(lead, f"{path}/self", scores(keys), path).status_code == 302
    queue = sup.get("/supervision").get_data(True)
    assert 'id="queue-fidelity-review"' in queue and path in queue
    bad = post(sup, f"{path}/review", scores(keys), path)
    assert bad.status_code == 400 and "Say how you saw the session." in bad.get_data(True)
    answer = post(sup, f"{path}/review", {**scores(keys, everyone_turn="0"), "mode": "notes",
                                          "skill_warmth": "3", "comments": "Kind tone"}, path)
    assert answer.status_code == 302
    page = lead.get(path).get_data(True)
    row = re.search(r'<tr data-key="everyone_turn">.*?</tr>', page, re.S).group(0)
    assert "Done" in row and "Not done" in row and "-2" in row
    assert re.search(r'id="fidelity-total".*?-2</td>', page, re.S)
    assert "From the notes and summary" in page and "Kind tone" in page
    assert 'id="review-form"' not in page
    assert 'id="own-form"' not in sup.get(path).get_data(True)
    queue = sup.get("/supervision").get_data(True)
    assert path not in queue
    with app.app_context():
        review = fidelity.rating_of(world.session_id, "review")
        assert review.competence == {"warmth": 3}


def test_far_supervisor_outsider_and_participant_are_denied(app):
    world = make_group(app, participants=1)
    other = make_group(app, participants=1, name="Other group")
    keys = end(app, world.session_id)
    make_supervisor(app, other.group_id, SUP)
    path = f"/sessions/{world.session_id}/fidelity"
    for client in (client_of(app, SUP), client_of(app, other.email)):
        assert client.get(path).status_code == 403
        assert post(client, f"{path}/self", scores(keys), "/").status_code == 403
        assert post(client, f"{path}/review", {**scores(keys), "mode": "live"},
                    "/").status_code == 403
    member = app.test_client()
    member.get(world.join_paths[0])
    assert member.get(path).status_code in (302, 401, 403)


def test_a_missing_record_is_flagged_on_the_next_console_the_group_page_and_summary(app):
    world = make_group(app, participants=1)
    keys = end(app, world.session_id)
    lead = client_of(app, world.email)
    path = f"/sessions/{world.session_id}/fidelity"
    nxt = world.session_ids[1]
    for page in (f"/sessions/{nxt}/console", f"/groups/{world.group_id}"):
        html = lead.get(page).get_data(True)
        assert "Session 1 has no fidelity record yet." in html and path in html
    assert path in lead.get(f"/sessions/{world.session_id}/summary").get_data(True)
    assert path in lead.get(f"/sessions/{world.session_id}/console").get_data(True)
    post(lead, f"{path}/self", scores(keys), path)
    for page in (f"/sessions/{nxt}/console", f"/groups/{world.group_id}"):
        assert "has no fidelity record yet" not in lead.get(page).get_data(True)
