"""Help in reach and who sees what, over HTTP: the settings form, the notice, the help pages."""

import html
import re

import pytest
from helpers import (
    accept_notice,
    csrf_token,
    joined,
    login_as,
    make_group,
    participant_socket,
)

from facilitator.extensions import db
from facilitator.models import AuditEvent, Group, Participant
from facilitator.services import groups as rules
from facilitator.services.helptexts import (
    DEFAULT_SUPPORT_REPLY,
    DEFAULT_URGENT_HELP,
    WHO_SEES_WHAT,
    for_participants,
    support_reply_of,
)
from facilitator.services.text import TEXT_REFUSED

URGENT = "Emergency: 112. Crisis line 0800 111 222, every day 8:00-22:00."
REPLY = "A facilitator reads your request after the session and calls you within a day."


def settings_path(world) -> str:
    return f"/groups/{world.group_id}/safety"


def post_settings(client, world, **fields):
    """Post the settings form with good values, changed by ``fields``."""
    data = {"csrf_token": csrf_token(client, settings_path(world)),
            "crisis_resources": URGENT, "support_reply": REPLY, "show_own_score": "y"}
    data.update(fields)
    return client.post(settings_path(world), data={k: v for k, v in data.items()
                                                   if v is not None})


def group_of(app, world) -> Group:
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        db.session.expunge(group)
        return group


def audit_rows(app, world) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.subject) for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.group_id == world.group_id,
                                        AuditEvent.action == "safety.settings"))]


def signed_in_participant(app, world, index=0, accept=True):
    """A client signed in by participant ``index``'s join link, the notice accepted."""
    client = app.test_client()
    client.get(world.join_paths[index])
    if accept:
        accept_notice(client)
    return client


# ---- careful defaults ----

def test_defaults_name_no_phone_number_and_say_what_to_replace():
    for text in (DEFAULT_URGENT_HELP, DEFAULT_SUPPORT_REPLY):
        assert not re.search(r"\d{3}", text), "no number that could be wrong for the country"
        assert "[For facilitators: replace" in text
    assert "emergency number" in DEFAULT_URGENT_HELP
    assert "For facilitators" not in for_participants(DEFAULT_URGENT_HELP)
    assert "emergency number" in for_participants(DEFAULT_URGENT_HELP)


def test_the_new_group_form_is_prefilled_and_a_new_group_gets_the_defaults(app, client, world):
    login_as(client, world.email)
    page = client.get("/groups/new").get_data(as_text=True)
    assert "Urgent help: crisis lines and the emergency number" in page
    assert "Our reply to a support request" in page
    assert "replace this line with your country" in page
    response = client.post("/groups/new", data={
        "csrf_token": csrf_token(client, "/groups/new"), "name": "Friday group",
        "crisis_resources": DEFAULT_URGENT_HELP, "support_reply": DEFAULT_SUPPORT_REPLY,
        "template": "who8"})
    assert response.status_code == 302
    with app.app_context():
        group = db.session.scalar(db.select(Group).where(Group.name == "Friday group"))
        assert group.crisis_resources == DEFAULT_URGENT_HELP
        assert group.support_reply == DEFAULT_SUPPORT_REPLY
        assert group.show_own_score is False
    show = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A help text still has a line for you to replace" in show


def test_the_new_group_form_refuses_a_hidden_direction_mark(client, world):
    login_as(client, world.email)
    response = client.post("/groups/new", data={
        "csrf_token": csrf_token(client, "/groups/new"), "name": "Friday group",
        "crisis_resources": "Call \u202e211", "support_reply": REPLY, "template": "who8"})
    assert response.status_code == 400, "one text rule for every form (services.text)"
    assert "hidden direction marks" in response.get_data(as_text=True)


def test_support_reply_of_falls_back_to_the_default(app, world):
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        group.support_reply = ""
        assert support_reply_of(group) == for_participants(DEFAULT_SUPPORT_REPLY)
        group.support_reply = REPLY
        assert support_reply_of(group) == REPLY


# ---- the settings form ----

def test_the_group_page_shows_the_texts_and_links_to_the_settings(client, world):
    login_as(client, world.email)
    page = client.get(f"/groups/{world.group_id}").get_data(as_text=True)
    assert "Help texts and safety" in page
    assert "Call 988 or talk to us." in page
    assert f'href="{settings_path(world)}"' in page
    assert "Participants do not see their own questionnaire score" in page


def test_saving_the_settings_changes_them_and_writes_an_audit_row(app, client, world):
    login_as(client, world.email)
    form = client.get(settings_path(world)).get_data(as_text=True)
    assert "Call 988 or talk to us." in form
    assert "Off by default" in form
    response = post_settings(client, world, crisis_resources=URGENT.replace(". ", ".\r\n", 1))
    assert response.status_code == 302
    group = group_of(app, world)
    assert group.crisis_resources == URGENT.replace(". ", ".\n", 1)
    assert group.support_reply == REPLY and group.show_own_score is True
    assert audit_rows(app, world) == [
        ("safety.settings", "urgent help, support reply, own score shown")]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved." in page and "Participants see their own questionnaire score" in page


def test_saving_unchanged_settings_writes_no_audit_row(app, client, world):
    login_as(client, world.email)
    post_settings(client, world)
    post_settings(client, world)
    assert len(audit_rows(app, world)) == 1


def test_the_checkbox_left_unticked_turns_the_own_score_off(app, client, world):
    login_as(client, world.email)
    post_settings(client, world)
    post_settings(client, world, show_own_score=None)
    assert group_of(app, world).show_own_score is False
    assert audit_rows(app, world)[-1] == ("safety.settings", "own score hidden")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("crisis_resources", "   ", "Please write the urgent-help text"),
    ("support_reply", "", "Please write the reply to a support request"),
    ("crisis_resources", "x" * 2001, "Please keep this text to 2000 characters"),
    ("support_reply", "y" * 2001, "Please keep this text to 2000 characters"),
])
def test_each_bad_field_gets_a_clear_message_and_nothing_is_saved(app, client, world, name,
                                                                  value, message):
    login_as(client, world.email)
    response = post_settings(client, world, **{name: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and "Nothing was saved" in page
    group = group_of(app, world)
    assert group.crisis_resources == "Call 988 or talk to us."
    assert group.support_reply == DEFAULT_SUPPORT_REPLY and group.show_own_score is False
    assert audit_rows(app, world) == []


@pytest.mark.parametrize(("name", "value"), [
    ("crisis_resources", "Call\x00 us"),
    ("support_reply", "We call \u202eyou"),
    ("support_reply", "We call \u2067you"),
])
def test_hidden_characters_are_refused_by_the_one_text_rule(app, client, world, name, value):
    login_as(client, world.email)
    response = post_settings(client, world, **{name: value})
    assert response.status_code == 400
    assert TEXT_REFUSED in response.get_data(as_text=True)
    group = group_of(app, world)
    assert group.crisis_resources == "Call 988 or talk to us."
    assert group.support_reply == DEFAULT_SUPPORT_REPLY and audit_rows(app, world) == []


def test_the_settings_form_without_its_csrf_token_is_refused(app, client, world):
    login_as(client, world.email)
    response = client.post(settings_path(world), data={"crisis_resources": URGENT,
                                                       "support_reply": REPLY})
    assert response.status_code == 400
    assert group_of(app, world).crisis_resources == "Call 988 or talk to us."


def test_participants_and_other_groups_facilitators_are_refused(app, client, world):
    other = make_group(app, name="Other group", email="other@example.org")
    login_as(client, other.email)
    assert client.get(settings_path(world)).status_code == 403
    token = csrf_token(client, settings_path(other))
    response = client.post(settings_path(world), data={
        "csrf_token": token, "crisis_resources": URGENT, "support_reply": REPLY})
    assert response.status_code == 403
    person = signed_in_participant(app, world)
    assert person.get(settings_path(world)).status_code == 403
    anonymous = app.test_client().get(settings_path(world))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert group_of(app, world).crisis_resources == "Call 988 or talk to us."
    assert audit_rows(app, world) == []


# ---- who sees what ----

def test_the_first_visit_shows_the_notice_and_i_understand_goes_on(app, client, world):
    live_path = f"/sessions/{world.session_id}/live"
    assert client.get(world.join_paths[0]).headers["Location"] == live_path
    gate = client.get(live_path)
    assert gate.status_code == 302
    assert gate.headers["Location"] == f"/notice?next=/sessions/{world.session_id}/live"
    notice = html.unescape(client.get(gate.headers["Location"]).get_data(as_text=True))
    assert "Who sees what" in notice and "I understand" in notice
    for point in WHO_SEES_WHAT:
        assert point in notice
    assert "Get help now" in notice
    answer = accept_notice(client, gate.headers["Location"])
    assert answer.status_code == 302 and answer.headers["Location"] == live_path
    with app.app_context():
        assert db.session.get(Participant, world.participant_ids[0]).notice_accepted_at
    assert client.get(live_path).status_code == 200


def test_later_visits_and_other_devices_skip_the_notice(app, world):
    signed_in_participant(app, world)
    phone = app.test_client()
    live_path = phone.get(world.join_paths[0]).headers["Location"]
    assert phone.get(live_path).status_code == 200
    assert phone.get("/").headers["Location"] == live_path


def test_the_notice_can_be_read_again_without_a_button(app, world):
    person = signed_in_participant(app, world)
    page = html.unescape(person.get("/notice?next=/sessions/1/live").get_data(as_text=True))
    assert WHO_SEES_WHAT[0] in page
    assert "I understand" not in page and "Back to my page" in page
    live_page = person.get(f"/sessions/{world.session_id}/live").get_data(as_text=True)
    assert 'href="/notice?next=' in live_page and "Who sees what" in live_page


def test_accepting_twice_keeps_the_first_time(app, world):
    person = signed_in_participant(app, world)
    with app.app_context():
        first = db.session.get(Participant, world.participant_ids[0]).notice_accepted_at
    token = csrf_token(person, "/notice")
    person.post("/notice", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Participant, world.participant_ids[0]).notice_accepted_at == first


def test_i_understand_needs_its_csrf_token_and_never_leaves_the_site(app, world):
    person = signed_in_participant(app, world, accept=False)
    assert person.post("/notice", data={"next": "/"}).status_code == 400
    with app.app_context():
        assert db.session.get(Participant, world.participant_ids[0]).notice_accepted_at is None
    token = csrf_token(person, "/notice")
    answer = person.post("/notice", data={"csrf_token": token, "next": "https://evil.example/"})
    assert answer.headers["Location"] == "/"


def test_a_facilitator_gets_no_notice_and_no_help_strip(client, world):
    login_as(client, world.email)
    assert client.get("/notice").status_code == 403
    assert client.get("/help").status_code == 403
    console = client.get(f"/sessions/{world.session_id}/console").get_data(as_text=True)
    assert "Get help now" not in console


def test_the_live_connection_is_not_held_back_by_the_notice(app, world):
    sock = participant_socket(app, world, 0)
    assert sock.is_connected("/live")
    state = joined(sock, world.session_id)
    assert state["me"]["kind"] == "participant"


# ---- help in reach ----

def set_texts(app, world, urgent, reply):
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        group.crisis_resources, group.support_reply = urgent, reply
        db.session.commit()


def test_every_participant_page_has_get_help_now_with_both_texts(app, world):
    set_texts(app, world, URGENT + "\n[For facilitators: check the hours]", REPLY)
    fresh = app.test_client()
    fresh.get(world.join_paths[1])
    pages = [fresh.get("/notice").get_data(as_text=True)]
    person = signed_in_participant(app, world)
    for path in (f"/sessions/{world.session_id}/live",
                 f"/sessions/{world.session_id}/board", f"/groups/{world.group_id}"):
        pages.append(person.get(path).get_data(as_text=True))
    for page in pages:
        assert 'id="help-now"' in page and "Get help now" in page
        assert 'id="help-dialog"' in page and "js/help.js" in page
        assert URGENT in page and REPLY in page
        assert "check the hours" not in page


def test_the_help_page_works_without_script_and_goes_back(app, world):
    person = signed_in_participant(app, world)
    page = person.get(f"/help?back=/sessions/{world.session_id}/live").get_data(as_text=True)
    assert "Help, right now" in page and "Call 988 or talk to us." in page
    assert page.count('id="help-urgent"') == 1 and 'id="help-dialog"' not in page
    assert f'href="/sessions/{world.session_id}/live"' in page
    page = person.get("/help?back=//evil.example").get_data(as_text=True)
    assert "evil.example\">Back" not in page


def test_a_group_without_sessions_still_has_help_in_reach(app, world):
    with app.app_context():
        lead = rules.create_facilitator("empty@example.org", "Em", "correct horse battery 9")
        group = Group(name="Not yet planned", crisis_resources=URGENT, template="who8")
        group.facilitators.append(lead)
        db.session.add(group)
        db.session.commit()
        join_path = rules.add_participant(group, "Nadia", status="enrolled").active_link.join_path
    person = app.test_client()
    answer = person.get(join_path)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    gate = person.get("/")
    assert gate.headers["Location"] == "/notice?next=/"
    accept_notice(person, gate.headers["Location"])
    page = person.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "No session yet" in text and "Get help now" in text and URGENT in text


def test_a_participant_sees_no_other_groups_texts(app, world):
    other = make_group(app, name="Other group", email="other@example.org")
    set_texts(app, other, "OTHER-GROUP-URGENT", "OTHER-GROUP-REPLY")
    person = signed_in_participant(app, world)
    for path in ("/help", "/notice", f"/sessions/{world.session_id}/live",
                 f"/sessions/{other.session_id}/live"):
        page = person.get(path).get_data(as_text=True)
        assert "OTHER-GROUP" not in page
