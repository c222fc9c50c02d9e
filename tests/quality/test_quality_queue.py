"""The supervisor's queue lists facilitators whose fidelity is falling (issue 23 item 4)."""

from datetime import datetime, timedelta

from helpers import client_of, make_group
from helpers.supervision import make_supervisor

from facilitator.extensions import db
from facilitator.models import FidelityRating, GroupSession
from facilitator.services import quality

EIGHTY = {"a": 2, "b": 2, "c": 2, "d": 2, "e": 0, "f": None}  # 8 of 10
SEVENTY = {"a": 2, "b": 2, "c": 2, "d": 1, "e": 0}  # 7 of 10
FULL = {"a": 2, "b": 2, "c": 2, "d": 2, "e": 2}


def rate_sessions(app, world, author_id: int, reviews: bool = True) -> list[int]:
    """End sessions 1-6: own records 80% for the first three, 100% for the last three, which
    the supervisor's review (when ``reviews``) scores 70%."""
    with app.app_context():
        ids = []
        for number in range(1, 7):
            session = db.session.get(GroupSession, world.session_ids[number - 1])
            session.status, session.ended_at = "ended", datetime(2025, 3, 1) + timedelta(
                days=7 * number)
            own = EIGHTY if number <= 3 else FULL
            db.session.add(FidelityRating(session_id=session.id, group_id=world.group_id,
                                          kind="self", author_id=world.facilitator_id,
                                          scores=own))
            if reviews and number > 3:
                db.session.add(FidelityRating(session_id=session.id, group_id=world.group_id,
                                              kind="review", author_id=author_id,
                                              scores=SEVENTY, mode="notes"))
            ids.append(session.id)
        db.session.commit()
        return ids


def test_the_supervisor_sees_the_falling_facilitator_with_both_means_and_links(app, world):
    sup = make_supervisor(app, world.group_id, "sup@example.org")
    ids = rate_sessions(app, world, sup)
    html = client_of(app, "sup@example.org").get("/supervision").get_data(as_text=True)
    assert "Fidelity falling" in html
    assert "Sam Lead</strong> · from 80% to 70%" in html
    for session_id in ids:
        assert f'href="/sessions/{session_id}/fidelity"' in html


def test_the_supervisors_review_counts_before_the_own_record(app, world):
    sup = make_supervisor(app, world.group_id, "sup@example.org")
    rate_sessions(app, world, sup, reviews=False)  # own records: 80% then 100%: rising
    html = client_of(app, "sup@example.org").get("/supervision").get_data(as_text=True)
    assert 'id="queue-falling-none"' in html


def test_only_the_groups_the_user_supervises(app, world):
    sup = make_supervisor(app, world.group_id, "sup@example.org")
    rate_sessions(app, world, sup)
    other = make_group(app, name="Other group")
    make_supervisor(app, other.group_id, "far@example.org", "Far Supervisor")
    html = client_of(app, "far@example.org").get("/supervision").get_data(as_text=True)
    assert 'id="queue-falling-none"' in html and "Sam Lead" not in html
    with app.app_context():
        assert quality.falling_facilitators([other.group_id]) == []
        (found,) = quality.falling_facilitators([world.group_id])
        assert (found.earlier, found.recent) == (80.0, 70.0)
