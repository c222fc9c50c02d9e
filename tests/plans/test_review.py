"""The mid-course review: the rule on hand-made numbers, then the group page and profile."""

import pytest
from helpers import login_as

from facilitator.extensions import db
from facilitator.models import CheckIn, Group, GroupSession, Participant, PreGroupMeeting, utcnow
from facilitator.services import review
from facilitator.services.review import fell_enough, member_verdict, verdict


@pytest.mark.parametrize("baseline, latest, enough", [
    (20, 16, True),   # exactly 20% down: improving, not flagged
    (20, 17, False),  # 15% down
    (100, 81, False),  # 19% down: flagged
    (100, 80, True),
    (10, 8, True), (10, 9, False), (15, 12, True), (15, 13, False),
    (12, 14, False),  # worse
    (0, 0, True),  # nothing left to fall
])
def test_the_20_percent_rule(baseline, latest, enough):
    assert fell_enough(baseline, latest) is enough


def test_exactly_20_percent_is_not_flagged_and_19_is():
    kept = verdict(20, 16)
    assert (kept.key, kept.supervision) == ("responding", False)
    assert kept.words == "PHQ-9 20 at the baseline, 16 now: down 20%."
    flagged = verdict(100, 81)
    assert (flagged.key, flagged.supervision) == ("not_responding", True)
    assert "not down by 20% or more" in flagged.words


def test_without_a_phq9_since_the_baseline_the_mood_decides():
    assert verdict(16, None, 4, 4) == review.Verdict(
        "mood_not_risen", True, "No PHQ-9 since the baseline; mood has not risen (4 to 4).")
    assert verdict(16, None, 5, 3).supervision is True
    risen = verdict(16, None, 3, 5)
    assert (risen.key, risen.supervision) == ("mood_risen", False)
    nothing = verdict(16, None)
    assert (nothing.key, nothing.supervision) == ("no_measure", False)


def test_no_baseline_is_said_never_flagged_silently():
    said = verdict(None, 9)
    assert (said.key, said.supervision) == ("no_baseline", False)
    assert said.words.startswith("No baseline PHQ-9")
    low = verdict(None, 9, 5, 4)
    assert (low.key, low.supervision) == ("no_baseline", True)
    assert low.words == "No baseline PHQ-9; mood has not risen (5 to 4)."


def test_the_latest_complete_phq9_and_the_first_and_latest_mood_count():
    assert member_verdict(20, [(3, 20), (4, None), (5, 15)]).key == "responding"
    assert member_verdict(20, [(3, 15), (4, 18)]).key == "not_responding"
    assert member_verdict(20, [(3, None), (6, None)]).key == "mood_risen"
    assert member_verdict(20, [(3, None)]).key == "no_measure", "one mood is no change"
    assert member_verdict(None, []).key == "no_baseline"


def answers(total: int) -> list[int]:
    """Nine answers summing to ``total`` (item 9 is 0)."""
    return [min(3, max(0, total - 3 * i)) for i in range(8)] + [0]


def give(app, world, index: int, baseline: int | None, checkins: list[tuple[int, int | None]]):
    """Member ``index``: a baseline (or none) and check-ins in sessions 1, 2, ..."""
    with app.app_context():
        member = db.session.get(Participant, world.participant_ids[index])
        if baseline is not None:
            db.session.add(PreGroupMeeting(participant_id=member.id, group_id=member.group_id,
                                           baseline_phq9=answers(baseline),
                                           baseline_total=baseline, baseline_at=utcnow(),
                                           baseline_source="facilitator"))
        for number, (mood, total) in enumerate(checkins, start=1):
            db.session.add(CheckIn(session_id=world.session_ids[number - 1],
                                   participant_id=member.id, mood=mood,
                                   phq9=answers(total) if total is not None else None,
                                   phq9_total=total))
        db.session.commit()


def reach(app, world, number: int, status: str = "live"):
    """Session ``number`` of the group has started (or ended)."""
    with app.app_context():
        db.session.get(GroupSession, world.session_ids[number - 1]).status = status
        db.session.commit()


@pytest.fixture
def reviewed(app, world):
    """WHO 8 (review at session 4): one improving, one not, one on mood, one without a
    baseline."""
    give(app, world, 0, 20, [(3, 18), (5, 16)])
    give(app, world, 1, 20, [(3, 18), (4, 17)])
    give(app, world, 2, None, [(5, 12), (5, 11)])
    return world


def group_page(app, world) -> str:
    client = app.test_client()
    login_as(client, world.email)
    return client.get(f"/groups/{world.group_id}").get_data(as_text=True)


def test_before_the_review_session_nobody_is_flagged(app, reviewed):
    reach(app, reviewed, 3, "ended")
    html = group_page(app, reviewed)
    assert "Mid-course review (session 4)" in html and 'id="mid-review-waiting"' in html
    assert "Review in supervision" not in html


def test_from_the_review_session_on_members_not_improving_are_flagged(app, reviewed):
    reach(app, reviewed, 5)
    html = group_page(app, reviewed)
    flagged = html.split('id="mid-review-flagged"')[1].split("</ul>")[0]
    ids = reviewed.participant_ids
    assert f'data-participant="{ids[1]}"' in flagged, "20 to 17 is 15% down"
    assert f'data-participant="{ids[2]}"' in flagged, "no baseline, mood not risen"
    assert f'data-participant="{ids[0]}"' not in flagged, "20 to 16 is exactly 20% down"
    assert flagged.count("Review in supervision") == 2
    assert "No baseline PHQ-9; mood has not risen (5 to 5)." in flagged


def test_the_member_s_profile_says_it(app, reviewed):
    reach(app, reviewed, 4)
    client = app.test_client()
    login_as(client, reviewed.email)
    ids = reviewed.participant_ids
    base = f"/groups/{reviewed.group_id}/members"
    flagged = client.get(f"{base}/{ids[1]}").get_data(as_text=True)
    assert 'id="member-review-flag"' in flagged and "Review in supervision" in flagged
    assert "PHQ-9 20 at the baseline, 17 now" in flagged
    fine = client.get(f"{base}/{ids[0]}").get_data(as_text=True)
    assert "down 20%" in fine and "Review in supervision" not in fine


def test_a_member_without_a_baseline_or_a_mood_change_is_listed_as_such(app, world):
    give(app, world, 0, None, [(5, 9)])
    reach(app, world, 4)
    html = group_page(app, world)
    unflagged = html.split('id="mid-review-no-baseline"')[1].split("</ul>")[0]
    assert f'data-participant="{world.participant_ids[0]}"' in unflagged
    assert "No baseline PHQ-9 from the pre-group meeting" in unflagged


def test_another_group_s_facilitator_cannot_see_the_review(app, reviewed):
    from helpers import make_group

    other = make_group(app, 1, name="Other group", email="other@example.org")
    reach(app, reviewed, 5)
    client = app.test_client()
    login_as(client, other.email)
    assert client.get(f"/groups/{reviewed.group_id}").status_code in (403, 404)


def test_only_enrolled_members_are_reviewed(app, reviewed):
    with app.app_context():
        db.session.get(Participant, reviewed.participant_ids[1]).status = "referred"
        db.session.commit()
    reach(app, reviewed, 4)
    with app.app_context():
        found = review.group_review(db.session.get(Group, reviewed.group_id))
        assert found.reached and found.number == 4
        assert [m.participant.id for m in found.members] == [
            reviewed.participant_ids[0], reviewed.participant_ids[2]]
        assert found.of(reviewed.participant_ids[1]) is None
