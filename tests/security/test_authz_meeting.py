"""Who may open and post each route of the pre-group meeting, and the member's own pages.

Roles: ``anonymous`` (asked to sign in); ``participant`` (an enrolled member of the group);
``newcomer`` (the member the meeting is about, signed in by their own link); ``outsider`` (a
facilitator of another group: 403); ``facilitator`` (of the group). A member who does not
exist, or one of another group named under this group, is 404 for the facilitator.
"""

import re

import pytest
from helpers import login_as, make_group
from helpers.meeting import GOOD, invite, post_step, signed_in

from facilitator.extensions import db
from facilitator.models import InventoryPerson, TimelineEntry

ROLES = ("anonymous", "participant", "newcomer", "outsider", "facilitator")
BASE = "/groups/{group}/members/{member}"
ROUTES = [
    ("GET", BASE + "/meeting"),
    *[("POST", BASE + f"/meeting/{step}") for step in GOOD],
    ("POST", BASE + "/meeting/timeline/{entry}/remove"),
    ("POST", BASE + "/meeting/inventory/{person}"),
    ("POST", BASE + "/meeting/inventory/{person}/remove"),
    ("POST", BASE + "/meeting/risk"),
    ("POST", BASE + "/enrol-elsewhere"),
]


@pytest.fixture
def scene(app):
    """A group with an enrolled member and a newcomer whose meeting has every kind of row
    (a timeline line, an inventory card, a baseline alert), and another group."""
    world = make_group(app, participants=1)
    other = make_group(app, participants=1, name="Other group", email="other@example.org")
    member_id, join_path = invite(app, world)
    lead = signed_in(app, world)
    for step in ("timeline", "inventory"):
        post_step(lead, world, member_id, step, GOOD[step])
    post_step(lead, world, member_id, "baseline", {"phq9": "1"})
    with app.app_context():
        ids = {"group": world.group_id, "member": member_id,
               "entry": db.session.scalars(db.select(TimelineEntry.id)).one(),
               "person": db.session.scalars(db.select(InventoryPerson.id)).one()}
    return world, other, join_path, ids


def client_as(app, role, world, other, join_path):
    """An HTTP client signed in as ``role``."""
    client = app.test_client()
    if role == "participant":
        client.get(world.join_paths[0])
    elif role == "newcomer":
        client.get(join_path)
    elif role == "facilitator":
        login_as(client, world.email)
    elif role == "outsider":
        login_as(client, other.email)
    return client


def token_of(client) -> str:
    """A CSRF token from a page this client may open."""
    for path in ("/notice", "/", "/login"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if match:
            return match.group(1)
    raise AssertionError("no page with a form")


def call(client, method: str, path: str):
    """Open ``path``; a POST carries a valid CSRF token of this client's sign-in."""
    data = {"csrf_token": token_of(client)} if method == "POST" else None
    response = client.open(path, method=method, data=data)
    response.close()
    return response


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_meeting_route(app, scene, method, path, role):
    world, other, join_path, ids = scene
    client = client_as(app, role, world, other, join_path)
    response = call(client, method, path.format(**ids))
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role == "facilitator":
        assert response.status_code < 400, response.status_code
    else:
        assert response.status_code == 403, response.status_code


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_a_member_that_does_not_exist_is_not_found(app, scene, method, path):
    world, other, join_path, ids = scene
    client = client_as(app, "facilitator", world, other, join_path)
    assert call(client, method, path.format(**{**ids, "member": 99999})).status_code == 404
    # A member of another group, named under this group: not found here either.
    foreign = {**ids, "member": other.participant_ids[0]}
    assert call(client, method, path.format(**foreign)).status_code == 404


@pytest.mark.parametrize("route", ["timeline/{entry}/remove", "inventory/{person}",
                                   "inventory/{person}/remove"])
def test_another_members_row_is_not_found(app, scene, route):
    world, other, join_path, ids = scene
    client = client_as(app, "facilitator", world, other, join_path)
    path = (BASE + "/meeting/" + route).format(**{**ids, "member": world.participant_ids[0]})
    assert call(client, "POST", path).status_code == 404


PHONE = [("GET", "/before-the-group"), ("POST", "/before-the-group/baseline")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), PHONE, ids=[f"{m} {p}" for m, p in PHONE])
def test_pre_group_pages(app, scene, method, path, role):
    world, other, join_path, _ = scene
    client = client_as(app, role, world, other, join_path)
    response = call(client, method, path)
    status = response.status_code
    if role == "anonymous":
        assert status == 302 and "/login" in response.headers["Location"]
    elif role in ("outsider", "facilitator"):
        assert status == 403
    elif role == "participant":  # enrolled: the group is theirs; nothing to send here
        assert status == (302 if method == "GET" else 403)
    else:  # the newcomer: the notice first, then their page; an empty form is shown again
        assert status in (200, 302)
