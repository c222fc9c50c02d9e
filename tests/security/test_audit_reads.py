"""Reading health data leaves a trace (issue 19, item 5): who opened what, and when."""

from helpers import login_as
from sqlalchemy import text

from facilitator.extensions import db


def trail(app, group_id) -> list[tuple[str, str | None, int]]:
    """The group's audit rows: (action, subject, facilitator id), oldest first."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(text(
            "SELECT action, subject, facilitator_id FROM audit_events WHERE group_id = :g "
            "ORDER BY id"), {"g": group_id})]


def test_opening_health_data_adds_an_audit_row(app, client, world):
    login_as(client, world.email)
    pages = {
        f"/sessions/{world.session_id}/summary": ("read.summary", "session 1"),
        f"/groups/{world.group_id}/outcomes": ("read.outcomes", None),
        f"/groups/{world.group_id}/outcomes.json": ("read.outcomes_json", None),
        f"/groups/{world.group_id}/attendance": ("read.attendance", None),
    }
    for path, (action, subject) in pages.items():
        before = len(trail(app, world.group_id))
        assert client.get(path).status_code == 200
        assert trail(app, world.group_id)[before:] == [(action, subject, world.facilitator_id)]


def test_the_trail_can_be_filtered_by_person_and_action(app, client, world):
    login_as(client, world.email)
    client.get(f"/groups/{world.group_id}/attendance")
    client.get(f"/groups/{world.group_id}/outcomes")
    base = f"/groups/{world.group_id}/audit"
    page = client.get(base + "?action=read.attendance").get_data(as_text=True)
    assert "<td>read.attendance</td>" in page and "<td>read.outcomes</td>" not in page
    page = client.get(f"{base}?person={world.facilitator_id}").get_data(as_text=True)
    assert "<td>read.attendance</td>" in page and "<td>read.outcomes</td>" in page
    page = client.get(f"{base}?person={world.facilitator_id + 100}").get_data(as_text=True)
    assert "Nothing recorded yet." in page
    assert client.get(base + "?person=me").status_code == 400
    assert client.get(base + "?action=" + "x" * 49).status_code == 400
