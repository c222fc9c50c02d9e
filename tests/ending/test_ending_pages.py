"""The ending's pages: the staying-well plan and referrals on a member's profile, and the
group page's "needs a referral" list; bad input named on the form, every referral audited."""

from helpers import csrf_token, emit, login_as, participant_socket
from helpers.profile import page_text, run_session, seed_plan
from helpers.reports import answers_for
from sqlalchemy import func, select, text

from facilitator.extensions import db
from facilitator.models import Referral

PLAN = {"warning_signs": "Staying in bed", "what_helps": "Calling my brother",
        "who_to_contact": "GP surgery"}


def profile_path(world, member_id: int) -> str:
    """The member's profile page."""
    return f"/groups/{world.group_id}/members/{member_id}"


def needs_list(client, world) -> str:
    """The group page's "needs a referral" section, as text."""
    html = client.get(f"/groups/{world.group_id}").get_data(as_text=True)
    start = html.index('id="referrals-needed"')
    return page_text(html[start:html.index("</section>", start)])


def refer(client, world, member_id: int, **fields):
    """Post the profile's referral form with a fresh CSRF token."""
    path = profile_path(world, member_id)
    data = {"to_whom": "Community mental health team", "reason": "Still at 14 after the course",
            "referred_on": "2026-12-01", "outcome": "pending", "outcome_on": "", **fields}
    return client.post(f"{path}/referrals", data={"csrf_token": csrf_token(client, path), **data})


def test_the_group_page_lists_who_needs_a_referral_until_one_is_recorded(app, client, world):
    member = seed_plan(app, world, 0)  # baseline 16
    run_session(app, world, 1, {0: (4, answers_for(14)), 1: (6, answers_for(4)),
                                2: (5, None)})
    login_as(client, world.email)
    # Before the ending most members score 10 or more: nobody is listed for their PHQ-9.
    assert "Nobody at the moment" in needs_list(client, world)
    run_session(app, world, 8, {})  # the last session (WHO 8) is held: the ending
    listed = needs_list(client, world)
    assert "Person 1" in listed and "latest PHQ-9 is 10 or more" in listed
    assert "fell by less than half" in listed
    assert "Person 2" not in listed and "Person 3" not in listed

    response = refer(client, world, member)
    assert response.status_code == 302
    page = page_text(client.get(profile_path(world, member)).get_data(as_text=True))
    assert "Community mental health team" in page and "Pending" in page
    assert "Person 1" not in needs_list(client, world)
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM audit_events WHERE action = "
                                      "'referral.add' AND group_id = :g"),
                                 {"g": world.group_id}) == 1


def test_a_bad_referral_is_named_on_the_form_and_nothing_is_kept(app, client, world):
    member = world.participant_ids[0]
    login_as(client, world.email)
    for fields, message in (
            ({"to_whom": ""}, "Referred to: name the service or person."),
            ({"reason": "   "}, "Why: say in a line why the member is referred."),
            ({"to_whom": "x" * 201}, "Referred to: at most 200 characters."),
            ({"referred_on": "yesterday"}, "Referred on: give the date of the referral as a day"),
            ({"outcome": "lost"}, "Not a valid choice."),
            ({"outcome": "seen", "outcome_on": "2026-11-01"},
             "Outcome on: the outcome cannot come before the referral.")):
        response = refer(client, world, member, **fields)
        assert response.status_code == 200, fields  # the form again, as the goal forms do
        assert message in page_text(response.get_data(as_text=True)), fields
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


def test_the_profile_shows_the_members_staying_well_plan(app, client, world):
    member = world.participant_ids[0]
    login_as(client, world.email)
    assert "has not written a staying-well plan" in page_text(
        client.get(profile_path(world, member)).get_data(as_text=True))
    assert emit(participant_socket(app, world, 0), "wellplan:save", PLAN)["ok"]
    page = page_text(client.get(profile_path(world, member)).get_data(as_text=True))
    assert "Calling my brother" in page and "GP surgery" in page
    other = page_text(client.get(profile_path(world, world.participant_ids[1]))
                      .get_data(as_text=True))
    assert "Calling my brother" not in other
