"""The member's join link before the group: the pre-group page while the meeting is under
way, a clear page once referred or declined, and no group session or live event until they
are enrolled. The phone's pages never show anything private of the meeting."""

import pytest
from helpers import accept_notice, emit, live
from helpers.meeting import GOOD, invite, page_text, post_step, run_meeting, signed_in

from facilitator.extensions import db
from facilitator.models import Participant


def open_link(app, join_path: str):
    """A phone that opened the join link and accepted the notice."""
    phone = app.test_client()
    first = phone.get(join_path)
    accept_notice(phone)
    return phone, first


def test_an_invited_members_link_opens_the_pre_group_page_after_the_notice(app, world):
    _, join_path = invite(app, world)
    phone = app.test_client()
    response = phone.get(join_path)
    assert response.headers["Location"].endswith("/before-the-group")
    assert "/notice" in phone.get("/before-the-group").headers["Location"]
    accept_notice(phone, "/notice?next=/before-the-group")
    page = phone.get("/before-the-group")
    text = page_text(page)
    assert page.status_code == 200
    assert "Get help now" in text and "have not started for you yet" in text
    assert "Send my answers" in text
    # The group's live page, the dashboard and every live event: not for them yet.
    assert phone.get(f"/sessions/{world.session_id}/live").headers["Location"].endswith(
        "/before-the-group")
    assert phone.get("/").headers["Location"].endswith("/before-the-group")
    sock = live(app, phone)
    assert emit(sock, "session:join", {"session_id": world.session_id})["error"]["code"] == \
        "forbidden"


@pytest.mark.parametrize("outcome", ["referred", "declined"])
def test_a_referred_or_declined_members_link_gives_a_clear_page(app, world, outcome):
    member_id, join_path = invite(app, world)
    client = signed_in(app, world)
    if outcome == "referred":
        post_step(client, world, member_id, "fit", {**GOOD["fit"], "cognitive": "yes",
                                                    "referred_to": "Memory clinic"})
    post_step(client, world, member_id, "end", {"outcome": outcome})
    phone, first = open_link(app, join_path)
    assert first.status_code == 302
    page = phone.get("/before-the-group")
    text = page_text(page)
    assert page.status_code == 200
    assert "This link is not for the group sessions" in text
    assert "Your facilitator will talk with you" in text and "Get help now" in text
    assert "Send my answers" not in text and "Memory clinic" not in text
    sock = live(app, phone)
    for event, payload in (("session:join", {"session_id": world.session_id}),
                           ("checkin:submit", {"session_id": world.session_id, "mood": 5,
                                               "client_id": "pregroup-ci-1"}),
                           ("hand:raise", {"session_id": world.session_id})):
        assert emit(sock, event, payload)["error"]["code"] == "forbidden", event
    posted = phone.post("/before-the-group/baseline", data={"phq1": "1"})
    assert posted.status_code in (400, 403)


def test_an_enrolled_member_gets_the_group_and_a_live_session(app, world):
    member_id, join_path = invite(app, world)
    run_meeting(signed_in(app, world), world, member_id)
    phone, first = open_link(app, join_path)
    assert f"/sessions/{world.session_id}/live" in first.headers["Location"]
    assert phone.get(f"/sessions/{world.session_id}/live").status_code == 200
    assert phone.get("/before-the-group").headers["Location"].endswith("/")
    assert emit(live(app, phone), "session:join", {"session_id": world.session_id})["ok"]


def test_a_member_moved_back_from_enrolled_loses_the_live_session(app, world):
    member_id, join_path = invite(app, world)
    run_meeting(signed_in(app, world), world, member_id)
    phone, _ = open_link(app, join_path)
    sock = live(app, phone)
    assert emit(sock, "session:join", {"session_id": world.session_id})["ok"]
    with app.app_context():
        person = db.session.get(Participant, member_id)
        person.status = "declined"
        db.session.commit()
    assert emit(sock, "session:join", {"session_id": world.session_id})["error"]["code"] == \
        "forbidden"


SECRETS = ("We argue about money", "my sister", "Low since the move",
           "Moved to a new town", "drinks on weekends")


def test_the_pre_group_page_never_shows_the_meetings_private_parts(app, world):
    member_id, join_path = invite(app, world)
    other_id, _ = invite(app, world, "Other Member")
    client = signed_in(app, world)
    for step in ("start", "timeline", "inventory", "plan"):
        post_step(client, world, member_id, step, GOOD[step])
    post_step(client, world, member_id, "fit", {**GOOD["fit"],
                                                "substance_use_note": "drinks on weekends"})
    post_step(client, world, other_id, "goals", {"goal_1": "Other member's secret goal"})
    post_step(client, world, other_id, "plan", {**GOOD["plan"],
                                                "private_summary": "Other private summary"})
    phone, _ = open_link(app, join_path)
    pages = [phone.get(path) for path in ("/before-the-group", "/notice", "/help")]
    posted = phone.post("/before-the-group/baseline", data={"phq1": "1"},
                        follow_redirects=True)
    for response in [*pages, posted]:
        html = response.get_data(as_text=True)
        for secret in (*SECRETS, "Other member's secret goal", "Other private summary",
                       "suicide_plan", "psychosis", "eligibility"):
            assert secret not in html, secret


def test_no_frame_to_a_member_carries_the_meeting(app, world):
    """An enrolled member in a live session hears nothing of another member's meeting:
    no ``meeting:baseline``, no alert, no word of the inventory, summary or fit answers."""
    from helpers import facilitator_socket, joined, participant_socket, received

    member_id, join_path = invite(app, world)
    lead = signed_in(app, world)
    console = facilitator_socket(app, world)
    joined(console, world.session_id)
    assert emit(console, "session:start", {"session_id": world.session_id})["ok"]
    phone = participant_socket(app, world, 0)
    joined(phone, world.session_id)
    received(phone)
    for step in ("start", "timeline", "inventory", "plan", "goals"):
        post_step(lead, world, member_id, step, GOOD[step])
    post_step(lead, world, member_id, "fit", {**GOOD["fit"],
                                              "substance_use_note": "drinks on weekends"})
    post_step(lead, world, member_id, "baseline", {"phq9": "2"})
    newcomer, _ = open_link(app, join_path)
    newcomer.post("/before-the-group/baseline", data={"phq1": "1"})
    assert [f for f in received(console, "alert:raised")]
    frames = received(phone) + [joined(phone, world.session_id)]
    text = repr(frames)
    for secret in (*SECRETS, "Call my old friend Ana", "phq9_item9",
                   "baseline"):
        assert secret not in text, secret
