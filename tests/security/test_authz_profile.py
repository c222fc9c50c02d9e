"""Who may open a member's profile and change their goals.

Anonymous: sign-in; a participant (even the member themself): refused; a facilitator of
another group: 403; a programme administrator: may read, may not change; a missing member,
or a member of another group under this group's address: 404.
"""

import re

import pytest
from helpers import PASSWORD, login_as, make_group

from facilitator.extensions import db
from facilitator.models import Goal, Group, Participant
from facilitator.services import groups as rules
from facilitator.services import plans

READ = "GET", "/groups/{group}/members/{member}"
CHANGES = [
    ("POST", "/groups/{group}/members/{member}/goals"),
    ("POST", "/groups/{group}/members/{member}/goals/{goal}"),
    ("POST", "/groups/{group}/members/{member}/goals/{goal}/drop"),
    ("POST", "/groups/{group}/members/{member}/goals/{goal}/progress"),
]
ROUTES = [READ, *CHANGES]


@pytest.fixture
def scene(app):
    """A group whose first member has a goal, another group, and a programme administrator."""
    world = make_group(app, participants=2)
    other = make_group(app, participants=1, name="Other group", email="other@example.org")
    with app.app_context():
        admin = rules.create_facilitator("admin@example.org", "Ada Admin", PASSWORD)
        admin.is_admin = True
        person = db.session.get(Group, world.group_id).participants[0]
        goal = plans.add_goal(person, "See my sister on Sundays")
        db.session.commit()
        ids = {"group": world.group_id, "member": person.id, "goal": goal.id}
    return world, other, ids


def client_as(app, role, world, other):
    """An HTTP client signed in as ``role``."""
    client = app.test_client()
    if role == "member":
        client.get(world.join_paths[0])
    elif role == "participant":
        client.get(world.join_paths[1])
    elif role == "facilitator":
        login_as(client, world.email)
    elif role == "outsider":
        login_as(client, other.email)
    elif role == "admin":
        login_as(client, "admin@example.org")
    return client


def token_of(client) -> str:
    """A CSRF token from a page this client may open."""
    for path in ("/", "/login"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if match:
            return match.group(1)
    raise AssertionError("no page with a form")


def call(client, method: str, path: str, ids: dict):
    """Open ``path`` (ids filled in) with a CSRF token for a POST."""
    data = {"csrf_token": token_of(client)} if method == "POST" else None
    response = client.open(path.format(**ids), method=method, data=data)
    response.close()
    return response


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_is_sent_to_sign_in(app, scene, method, path):
    world, other, ids = scene
    response = call(app.test_client(), method, path, ids)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["member", "participant"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_participant_is_refused(app, scene, role, method, path):
    world, other, ids = scene
    assert call(client_as(app, role, world, other), method, path, ids).status_code == 403


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_facilitator_of_another_group_gets_403(app, scene, method, path):
    world, other, ids = scene
    assert call(client_as(app, "outsider", world, other), method, path, ids).status_code == 403


def test_a_programme_administrator_may_read_but_not_change(app, scene):
    world, other, ids = scene
    admin = client_as(app, "admin", world, other)
    page = admin.get(READ[1].format(**ids))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "See my sister on Sundays" in html and "Add the goal" not in html
    for method, path in CHANGES:
        assert call(admin, method, path, ids).status_code == 403
    with app.app_context():
        assert db.session.get(Goal, ids["goal"]).retired_at is None


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_the_group_facilitator_is_allowed(app, scene, method, path):
    world, other, ids = scene
    assert call(client_as(app, "facilitator", world, other), method, path, ids).status_code < 400


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_missing_member_or_one_of_another_group_is_404(app, scene, method, path):
    world, other, ids = scene
    lead = client_as(app, "facilitator", world, other)
    for member in (999_999, other.participant_ids[0]):
        assert call(lead, method, path, {**ids, "member": member}).status_code == 404


@pytest.mark.parametrize(("method", "path"), CHANGES[1:])
def test_a_missing_goal_or_anothers_goal_is_404(app, scene, method, path):
    world, other, ids = scene
    with app.app_context():
        second = db.session.get(Participant, world.participant_ids[1])
        theirs = plans.add_goal(second, "Someone else's goal").id
        db.session.commit()
    lead = client_as(app, "facilitator", world, other)
    for goal in (999_999, theirs):
        assert call(lead, method, path, {**ids, "goal": goal}).status_code == 404
