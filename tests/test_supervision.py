"""Supervision pages (issue 23): the supervisor role, notes with actions, and the queue."""

from datetime import timedelta

from helpers import (
    client_of,
    csrf_token,
    emit,
    joined,
    live,
    make_group,
    participant_socket,
)
from helpers.supervision import make_supervisor

from facilitator.course import plan_for
from facilitator.extensions import db
from facilitator.models import (
    Alert,
    AuditEvent,
    CheckIn,
    Facilitator,
    Group,
    GroupSession,
    RiskRecord,
    SupervisionAction,
    SupervisionNote,
    utcnow,
)
from facilitator.services import programme

SUP = "sup@example.org"


def post(client, path, data, page):
    """POST a form with a CSRF token taken from ``page``."""
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def note_data(text, *actions):
    """The note form's fields: ``actions`` are (what, owner id, due date) triples."""
    data = {"session_id": "0", "text": text}
    for n, (what, owner, due) in enumerate(actions):
        data |= {f"actions-{n}-what": what, f"actions-{n}-owner": str(owner),
                 f"actions-{n}-due_on": due}
    return data


def test_a_supervisor_never_counts_as_running_the_group(app):
    world = make_group(app, participants=1)
    sup_id = make_supervisor(app, world.group_id, SUP)
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        assert [f.id for f in group.facilitators] == [world.facilitator_id]
        assert db.session.get(Facilitator, sup_id).groups == []
        assert [g.id for g in db.session.get(Facilitator, sup_id).supervised_groups] == [
            world.group_id]
        assert [p.id for p, _ in programme.team_of(world.group_id)] == [world.facilitator_id]
    supervisor = client_of(app, SUP)
    page = supervisor.get("/").get_data(True)
    assert "You have no groups yet" in page and "Groups you supervise" in page
    assert f'/groups/{world.group_id}/supervision' in page
    assert supervisor.get(f"/groups/{world.group_id}").status_code == 403
    # The supervisor looks at the live session: members never see them in "who is here".
    sup_sock = live(app, supervisor)
    state = joined(sup_sock, world.session_id)
    assert "checkins" in state and "alerts" in state  # the facilitator snapshot
    member_state = joined(participant_socket(app, world), world.session_id)
    people = member_state["presence"]["people"]
    assert [p["id"] for p in people if p["kind"] == "facilitator"] == [world.facilitator_id]
    assert emit(sup_sock, "session:start", {"session_id": world.session_id})["error"][
        "code"] == "forbidden"


def test_the_console_is_read_only_for_a_supervisor(app):
    world = make_group(app, participants=1)
    make_supervisor(app, world.group_id, SUP)
    page = client_of(app, SUP).get(f"/sessions/{world.session_id}/console").get_data(True)
    assert "data-read-only" in page and "Supervising: read only" in page
    lead_page = client_of(app, world.email).get(
        f"/sessions/{world.session_id}/console").get_data(True)
    assert "data-read-only" not in lead_page and "Supervising" not in lead_page


def test_the_lead_adds_and_removes_a_supervisor_by_email(app):
    world = make_group(app, participants=1)
    other = make_group(app, participants=1, name="Other", email="co@example.org")
    with app.app_context():
        programme.assign(db.session.get(Group, world.group_id),
                         db.session.get(Facilitator, other.facilitator_id), "co")
        from facilitator.services import groups as rules
        sup = rules.create_facilitator(SUP, "Ana Supervisor", "correct horse battery staple")
        db.session.commit()
        sup_id = sup.id
    page = f"/groups/{world.group_id}/supervision"
    co = client_of(app, "co@example.org")
    assert post(co, f"/groups/{world.group_id}/supervisors", {"email": SUP},
                page).status_code == 403
    lead = client_of(app, world.email)
    answer = post(lead, f"/groups/{world.group_id}/supervisors", {"email": "nobody@x.org"}, page)
    assert "no facilitator account" in lead.get(answer.headers["Location"]).get_data(True)
    post(lead, f"/groups/{world.group_id}/supervisors", {"email": SUP.upper()}, page)
    shown = lead.get(page).get_data(True)
    assert "Ana Supervisor" in shown and "Supervisor</span>" in shown
    watcher = client_of(app, SUP)
    assert watcher.get(page).status_code == 200
    sock = live(app, watcher)
    assert "checkins" in joined(sock, world.session_id)
    answer = post(lead, f"/groups/{world.group_id}/supervisors/{other.facilitator_id}/remove",
                  {}, page)
    assert answer.status_code == 404  # a co-facilitator is not removed as a supervisor
    post(lead, f"/groups/{world.group_id}/supervisors/{sup_id}/remove", {}, page)
    assert client_of(app, SUP).get(page).status_code == 403
    assert not sock.is_connected("/live")  # their console was closed at once
    again = live(app, watcher)
    assert emit(again, "session:join", {"session_id": world.session_id})["error"][
        "code"] == "forbidden"
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.group_id == world.group_id)).all()
    assert "team.supervisor.add" in actions and "team.supervisor.remove" in actions


def test_notes_with_actions_and_closing_them(app):
    world = make_group(app, participants=1)
    other = make_group(app, participants=1, name="Other", email="other@example.org")
    sup_id = make_supervisor(app, world.group_id, SUP)
    page = f"/groups/{world.group_id}/supervision"
    supervisor = client_of(app, SUP)
    lead = client_of(app, world.email)
    # Only a supervisor writes; a half-filled action or too long a note is refused.
    assert post(lead, f"{page}/notes", note_data("Mine"), page).status_code == 403
    answer = post(supervisor, f"{page}/notes",
                  note_data("Half", ("Call Sam", world.facilitator_id, "")), page)
    assert answer.status_code == 400 and "what, who and by when" in answer.get_data(True)
    assert post(supervisor, f"{page}/notes", note_data("x" * 2001), page).status_code == 400
    answer = post(supervisor, f"{page}/notes", note_data(
        "Private words about the group", ("Review the check-ins", world.facilitator_id,
                                          "2099-01-02"),
        ("Plan a call", world.facilitator_id, "2099-01-01")), page)
    assert answer.status_code == 302
    with app.app_context():
        note = db.session.scalars(db.select(SupervisionNote)).one()
        assert note.session_id is None and len(note.actions) == 2
        first, second = (a.id for a in note.actions)
        subjects = db.session.scalars(db.select(AuditEvent.subject)).all()
        reads = db.session.scalars(db.select(AuditEvent.facilitator_id).where(
            AuditEvent.action == "read.supervision")).all()
    assert not any("Private" in (s or "") for s in subjects)
    assert sup_id in reads  # opening the page leaves a trace
    shown = lead.get(page).get_data(True)
    assert "Private words about the group" in shown and shown.count("Mark done") == 2
    # The lead closes one; it shows who closed it, and closing again is refused.
    post(lead, f"/supervision/actions/{first}/close", {}, page)
    answer = post(lead, f"/supervision/actions/{first}/close", {}, page)
    assert "already done" in lead.get(answer.headers["Location"]).get_data(True)
    with app.app_context():
        closed = db.session.get(SupervisionAction, first)
        assert closed.closed_by_id == world.facilitator_id and closed.closed_at is not None
        assert db.session.get(SupervisionAction, second).closed_at is None
    assert lead.get(page).get_data(True).count("Mark done") == 1
    # Nobody outside the group sees the notes or closes an action.
    outsider = client_of(app, other.email)
    assert outsider.get(page).status_code == 403
    assert post(outsider, f"/supervision/actions/{second}/close", {}, "/").status_code == 403
    assert post(outsider, "/supervision/actions/9999/close", {}, "/").status_code == 404


def hand_made_queue(app, world, sup_id):
    """One overdue follow-up and one not yet due; sessions ended 2 and 20 days ago and one
    ended with a note; an open action and a closed one."""
    now = utcnow()
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        member = group.participants[0]
        for due in (now - timedelta(hours=2), now + timedelta(days=2)):
            alert = Alert(group_id=group.id, participant_id=member.id, reason="phq9_item9",
                          acknowledged_at=now - timedelta(days=3),
                          acknowledged_by_id=world.facilitator_id)
            db.session.add(alert)
            db.session.flush()
            db.session.add(RiskRecord(
                alert_id=alert.id, group_id=group.id, participant_id=member.id,
                recorded_by_id=world.facilitator_id, asked_directly=True, thoughts="passive",
                plan=False, means=False, past_attempt=False, risk_level="low",
                follow_up_due=due))
        s1, s2, s3 = group.sessions[:3]
        for session, days in ((s1, 20), (s2, 2), (s3, 1)):
            session.status, session.ended_at = "ended", now - timedelta(days=days)
        note = SupervisionNote(group_id=group.id, session_id=s3.id, author_id=sup_id,
                               text="Seen")
        note.actions = [SupervisionAction(what="Open thing", owner_id=world.facilitator_id,
                                          due_on=now.date() - timedelta(days=1)),
                        SupervisionAction(what="Closed thing", owner_id=world.facilitator_id,
                                          due_on=now.date(), closed_at=now,
                                          closed_by_id=world.facilitator_id)]
        db.session.add(note)
        db.session.commit()
        return [s.id for s in (s1, s2, s3)], [a.id for a in db.session.scalars(
            db.select(Alert).order_by(Alert.id))]


def test_the_queue_lists_what_waits_oldest_first(app):
    world = make_group(app, participants=1)
    other = make_group(app, participants=1, name="Other", email="other@example.org")
    sup_id = make_supervisor(app, world.group_id, SUP)
    sessions, alerts = hand_made_queue(app, world, sup_id)
    page = client_of(app, SUP).get("/supervision").get_data(True)
    assert f"/alerts/{alerts[0]}/risk" in page and f"/alerts/{alerts[1]}/risk" not in page
    assert f"/sessions/{sessions[1]}/summary" in page
    assert f"/sessions/{sessions[0]}/summary" not in page  # ended 20 days ago
    assert f"/sessions/{sessions[2]}/summary" not in page  # has a note
    assert "Open thing" in page and "Closed thing" not in page
    # The supervisor of another group (here: its own lead's queue) sees none of it.
    elsewhere = make_supervisor(app, other.group_id, "far@example.org", "Far")
    assert elsewhere
    far = client_of(app, "far@example.org").get("/supervision").get_data(True)
    assert "Open thing" not in far and "/alerts/" not in far and "No session waiting" in far
    # A supervisor reads the overdue follow-up's risk record but cannot save it.
    supervisor = client_of(app, SUP)
    record = supervisor.get(f"/alerts/{alerts[0]}/risk")
    assert record.status_code == 200 and "Supervising: read only" in record.get_data(True)
    assert post(supervisor, f"/alerts/{alerts[0]}/risk/follow-up", {"outcome": "x"},
                "/supervision").status_code == 403


def test_the_queue_lists_members_flagged_at_review_and_members_needing_a_referral(app):
    """From the mid-course review on, a member not improving is in the queue; a member at
    risk (an alert nobody has seen to) needs a referral; each row links to their profile."""
    world = make_group(app, participants=3)
    make_supervisor(app, world.group_id, SUP)
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        review_at = plan_for(group.template).review_number()
        flat, improving, at_risk = world.participant_ids
        for number, mood in ((1, 5), (2, 5)):  # no baseline, mood not risen: flagged
            db.session.add(CheckIn(session_id=world.session_ids[number - 1],
                                   participant_id=flat, mood=mood))
        for number, mood in ((1, 3), (2, 7)):  # mood risen: not flagged
            db.session.add(CheckIn(session_id=world.session_ids[number - 1],
                                   participant_id=improving, mood=mood))
        db.session.add(Alert(group_id=world.group_id, session_id=world.session_ids[0],
                             participant_id=at_risk, reason="needs_support"))
        db.session.commit()
    supervisor = client_of(app, SUP)
    before = supervisor.get("/supervision").get_data(True)
    assert 'id="queue-review-none"' in before, "the review session is not reached yet"
    with app.app_context():
        db.session.get(GroupSession, world.session_ids[review_at - 1]).status = "live"
        db.session.commit()
    page = supervisor.get("/supervision").get_data(True)
    review = page.split('id="queue-review"')[1].split("</ul>")[0]
    assert f'data-participant="{flat}"' in review
    assert f'data-participant="{improving}"' not in review
    assert f"/groups/{world.group_id}/members/{flat}" in review
    referrals = page.split('id="queue-referrals"')[1].split("</ul>")[0]
    assert f'data-participant="{at_risk}"' in referrals and "risk" in referrals.lower()
    assert f'data-participant="{flat}"' not in referrals
    # Another group's supervisor sees none of them.
    other = make_group(app, participants=1, name="Other", email="other@example.org")
    make_supervisor(app, other.group_id, "far@example.org", "Far")
    far = client_of(app, "far@example.org").get("/supervision").get_data(True)
    assert 'id="queue-review-none"' in far and 'id="queue-referrals-none"' in far
