"""Setting up a group from the web pages: groups, participants, join links, agendas."""

import re

from helpers import PASSWORD, csrf_token, joined, live, login_as, make_group, received
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Group, GroupSession, Participant


def create_group(client, template="who8", name="Monday group"):
    token = csrf_token(client, "/groups/new")
    return client.post("/groups/new", data={"name": name, "crisis_resources": "Call 988.",
                                             "template": template, "csrf_token": token})


def test_create_group_builds_the_course_with_phases(app, client, world):
    login_as(client, world.email)
    response = create_group(client, "ipt16")
    assert response.status_code == 302
    with app.app_context():
        group = db.session.scalars(db.select(Group).where(Group.name == "Monday group")).one()
        phases = [s.phase for s in group.sessions]
        assert phases == ["initial"] * 4 + ["middle"] * 8 + ["termination"] * 4
        assert all(len(s.agenda) >= 4 for s in group.sessions)


def test_who_template_has_one_initial_six_middle_one_termination(app, client, world):
    login_as(client, world.email)
    create_group(client, "who8", "WHO group")
    with app.app_context():
        group = db.session.scalars(db.select(Group).where(Group.name == "WHO group")).one()
        assert [s.phase for s in group.sessions] == (
            ["initial"] + ["middle"] * 6 + ["termination"])
        assert [s.number for s in group.sessions] == list(range(1, 9))


def test_group_form_errors_are_shown(client, world):
    login_as(client, world.email)
    token = csrf_token(client, "/groups/new")
    response = client.post("/groups/new", data={"name": "", "crisis_resources": "",
                                                 "template": "who8", "csrf_token": token})
    assert response.status_code == 200
    assert "field-error" in response.get_data(as_text=True)


def test_add_participant_shows_a_join_link(client, world):
    login_as(client, world.email)
    token = csrf_token(client, f"/groups/{world.group_id}")
    client.post(f"/groups/{world.group_id}/participants",
                data={"display_name": "Zola", "csrf_token": token})
    page = client.get(f"/groups/{world.group_id}").get_data(as_text=True)
    assert "Zola" in page
    assert len(set(re.findall(r"/join/[\w-]{20,}", page))) == 4


def test_a_participant_enrolled_mid_session_appears_on_open_pages(app, client, world):
    login_as(client, world.email)
    console = live(app, client)
    joined(console, world.session_id)
    phone = app.test_client()
    phone.get(world.join_paths[0])
    member = live(app, phone)
    joined(member, world.session_id)
    elsewhere = make_group(app, 1, name="Thursday group")
    stranger = app.test_client()
    stranger.get(elsewhere.join_paths[0])
    outsider = live(app, stranger)
    joined(outsider, elsewhere.session_id)
    for sock in (console, member, outsider):
        received(sock)
    token = csrf_token(client, f"/groups/{world.group_id}")
    client.post(f"/groups/{world.group_id}/participants",
                data={"display_name": "Zola", "csrf_token": token})
    for sock in (console, member, outsider):  # still to meet: not in the group's sessions
        assert received(sock, "presence") == []
    with app.app_context():
        zola_id = db.session.scalar(select(Participant.id).where(
            Participant.display_name == "Zola"))
    token = csrf_token(client, f"/groups/{world.group_id}")
    client.post(f"/groups/{world.group_id}/members/{zola_id}/enrol-elsewhere",
                data={"csrf_token": token})
    for sock in (console, member):
        (update,) = received(sock, "presence")
        zola = [p for p in update["people"] if p["display_name"] == "Zola"]
        assert zola and zola[0]["online"] is False and zola[0]["kind"] == "participant"
    assert received(outsider, "presence") == []


def test_revoked_link_stops_working_and_a_new_one_is_issued(app, client, world):
    login_as(client, world.email)
    token = csrf_token(client, f"/groups/{world.group_id}")
    old = world.join_paths[0]
    participant = world.participant_ids[0]
    response = client.post(f"/groups/{world.group_id}/participants/{participant}/revoke",
                           data={"csrf_token": token})
    assert response.status_code == 302
    assert app.test_client().get(old).status_code == 404
    page = client.get(f"/groups/{world.group_id}").get_data(as_text=True)
    assert old not in page


def test_revoked_participant_loses_their_live_session(app, client, world):
    person = app.test_client()
    person.get(world.join_paths[0])
    sock = live(app, person)
    joined(sock, world.session_id)
    login_as(client, world.email)
    token = csrf_token(client, f"/groups/{world.group_id}")
    client.post(f"/groups/{world.group_id}/participants/{world.participant_ids[0]}/revoke",
                data={"csrf_token": token})
    assert not sock.is_connected("/live")
    assert live(app, person).is_connected("/live") is False


def test_facilitator_of_another_group_is_forbidden(app, client, world):
    other = make_group(app, name="Other group", email="other@example.org")
    login_as(client, other.email)
    assert client.get(f"/groups/{world.group_id}").status_code == 403
    assert client.get(f"/sessions/{world.session_id}/console").status_code == 403
    assert client.get(f"/sessions/{world.session_id}/agenda").status_code == 403


def agenda_titles(app, session_id):
    with app.app_context():
        return [i.title for i in db.session.get(GroupSession, session_id).agenda]


def test_agenda_add_rename_move_remove_reach_the_live_page(app, client, world):
    login_as(client, world.email)
    watcher = app.test_client()
    watcher.get(world.join_paths[0])
    sock = live(app, watcher)
    joined(sock, world.session_id)
    received(sock)
    path = f"/sessions/{world.session_id}/agenda"
    token = csrf_token(client, path)
    client.post(path, data={"title": "Breathing exercise", "kind": "other", "csrf_token": token})
    assert agenda_titles(app, world.session_id)[-1] == "Breathing exercise"
    updates = received(sock, "agenda:updated")
    assert updates and updates[-1]["agenda"][-1]["title"] == "Breathing exercise"
    with app.app_context():
        items = db.session.get(GroupSession, world.session_id).agenda
        first, last = items[0].id, items[-1].id
    client.post(f"/agenda/{last}/rename", data={"title": "Grounding", "csrf_token": token})
    client.post(f"/agenda/{last}/move", data={"direction": "up", "csrf_token": token})
    titles = agenda_titles(app, world.session_id)
    assert titles[-2] == "Grounding"
    client.post(f"/agenda/{first}/remove", data={"csrf_token": token})
    assert agenda_titles(app, world.session_id)[0] != "Welcome"


def test_create_another_facilitator_from_the_web(app, client, world):
    login_as(client, world.email)
    token = csrf_token(client, "/facilitators/new")
    short = client.post("/facilitators/new", data={
        "name": "Kim", "email": "kim@example.org", "password": "short",
        "confirm": "short", "csrf_token": token})
    assert "at least 12" in short.get_data(as_text=True)
    client.post("/facilitators/new", data={
        "name": "Kim", "email": "kim@example.org", "password": PASSWORD,
        "confirm": PASSWORD, "csrf_token": token})
    other = app.test_client()
    assert login_as(other, "kim@example.org").status_code == 302
