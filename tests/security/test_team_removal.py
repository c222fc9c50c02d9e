"""Taking a facilitator off a group's team closes their live connections at once."""

from helpers import PASSWORD, csrf_token, emit, joined, live, login_as

from facilitator.extensions import db
from facilitator.models import Facilitator, Group
from facilitator.services import groups as rules
from facilitator.services import programme


def test_removed_co_facilitator_is_disconnected_and_then_forbidden(app, world):
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        co = rules.create_facilitator("co@example.org", "Co Lead", PASSWORD)
        programme.assign(group, co, "co")
        admin = db.session.get(Facilitator, world.facilitator_id)
        programme.set_admin(admin, True)
        co_id = co.id
    co_http = app.test_client()
    login_as(co_http, "co@example.org")
    co_sock = live(app, co_http)
    assert "checkins" in joined(co_sock, world.session_id)

    admin_http = app.test_client()
    login_as(admin_http, world.email)
    token = csrf_token(admin_http, f"/programme/groups/{world.group_id}/team")
    response = admin_http.post(f"/programme/groups/{world.group_id}/team/{co_id}/remove",
                               data={"csrf_token": token})
    assert response.status_code == 302
    assert not co_sock.is_connected("/live")
    again = live(app, co_http)
    ack = emit(again, "session:join", {"session_id": world.session_id})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
