"""Monthly maintenance sessions: added from the group page once the course's last session
has ended, with their own short agenda and scripts; no countdown, no sessions left; the
course's outcomes end with its last planned session."""

from helpers import csrf_token, joined, login_as, participant_socket
from helpers.profile import page_text, run_session
from helpers.reports import answers_for
from sqlalchemy import select, text, update

from facilitator.extensions import db
from facilitator.models import Group, GroupSession
from facilitator.services import reporting, scripts


def end_the_course(app, world) -> None:
    """Mark every planned session as held (the last one ended)."""
    with app.app_context():
        db.session.execute(update(GroupSession).where(GroupSession.group_id == world.group_id)
                           .values(status="ended"))
        db.session.commit()


def add(client, world):
    """Press "Add a monthly maintenance session" on the group page."""
    path = f"/groups/{world.group_id}"
    return client.post(f"{path}/maintenance", data={"csrf_token": csrf_token(client, path)})


def sessions(app, world) -> list[tuple[int, str, str]]:
    """The group's sessions as (number, phase, status)."""
    with app.app_context():
        return [(s.number, s.phase, s.status) for s in db.session.scalars(
            select(GroupSession).where(GroupSession.group_id == world.group_id)
            .order_by(GroupSession.number))]


def test_maintenance_waits_for_the_end_of_the_course(app, client, world):
    login_as(client, world.email)
    page = client.get(f"/groups/{world.group_id}").get_data(as_text=True)
    assert "Add a monthly maintenance session" not in page
    response = add(client, world)
    assert response.status_code == 302
    assert "once the course's last session has ended" in page_text(
        client.get(response.headers["Location"]).get_data(as_text=True))
    assert len(sessions(app, world)) == 8


def test_a_maintenance_session_after_the_course(app, client, world):
    end_the_course(app, world)
    login_as(client, world.email)
    assert "Add a monthly maintenance session" in client.get(
        f"/groups/{world.group_id}").get_data(as_text=True)
    assert add(client, world).status_code == 302
    assert add(client, world).status_code == 302
    assert sessions(app, world)[-2:] == [(9, "maintenance", "scheduled"),
                                          (10, "maintenance", "scheduled")]
    with app.app_context():
        ninth = db.session.scalar(select(GroupSession).where(
            GroupSession.group_id == world.group_id, GroupSession.number == 9))
        assert ninth.title == "Session 9: Staying well (monthly meeting 1)"
        assert [i.kind for i in ninth.agenda] == ["checkin", "review", "relapse_plan", "close"]
        session_id = ninth.id
        assert db.session.scalar(text("SELECT count(*) FROM audit_events WHERE action = "
                                      "'session.maintenance'")) == 2

    state = joined(participant_socket(app, world), session_id)
    assert state["course"] == {"number": 9, "total": 8, "left": 0, "phase": "maintenance",
                               "ending": None, "final": False}
    review = next(i for i in state["agenda"] if i["kind"] == "review")
    assert review["now"] == scripts.now_line("maintenance", "review")
    assert "since the group ended" in review["now"]
    assert "script" not in review


def test_every_maintenance_item_has_its_own_script():
    from facilitator.services.ending import MAINTENANCE_AGENDA
    for _, kind in MAINTENANCE_AGENDA:
        own = scripts.script_for("maintenance", kind)
        assert own is not scripts.script_for("termination", kind), kind
        assert own.steps


def test_the_outcomes_end_with_the_last_planned_session(app, world):
    run_session(app, world, 1, {0: (3, answers_for(16))})
    for number in range(2, 9):
        run_session(app, world, number, {0: (6, answers_for(6))} if number == 8 else {})
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        from facilitator.services import ending
        ending.add_maintenance_session(group)
        db.session.commit()
    with app.app_context():
        ninth = db.session.scalar(select(GroupSession.id).where(
            GroupSession.group_id == world.group_id, GroupSession.number == 9))
    world.session_ids.append(ninth)
    run_session(app, world, 9, {0: (2, answers_for(20))})
    with app.app_context():
        course = reporting.course_measures(db.session.get(Group, world.group_id))
        person = course.people[0]
        assert (person.outcome.first, person.outcome.latest) == (16, 6)
        assert person.point(9).phq9_total == 20  # kept, and shown, but not the final measure
