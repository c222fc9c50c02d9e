"""The ending's plain rules: who needs a referral (hand-made members) and the countdown."""

import pytest

from facilitator.services.ending import MemberFacts, countdown, referral_reasons


@pytest.mark.parametrize(("facts", "reasons"), [
    # Never measured, no risk: nothing to go on, no referral.
    (MemberFacts(None, None, 0), []),
    # One measure of 12: still unwell (10 or more); not "not responding" before a second one.
    (MemberFacts(12, 12, 1), ["still_unwell"]),
    # 16 to 8: a response (down by half), below 10: no referral.
    (MemberFacts(16, 8, 3), []),
    # 16 to 9: down by less than half, still 5 or more: not responding, though below 10.
    (MemberFacts(16, 9, 3), ["not_responding"]),
    # 20 to 10: down by exactly half is a response; 10 is still unwell.
    (MemberFacts(20, 10, 2), ["still_unwell"]),
    # 14 to 14: both.
    (MemberFacts(14, 14, 2), ["still_unwell", "not_responding"]),
    # 6 to 4: no response, but in remission (below 5): fine.
    (MemberFacts(6, 4, 2), []),
    # 3 to 3: a first total this low cannot halve, but it is in remission: fine.
    (MemberFacts(3, 3, 2), []),
    # Well on the numbers, but a high risk level on record.
    (MemberFacts(16, 2, 2, high_risk=True), ["at_risk"]),
    # A follow-up still open.
    (MemberFacts(None, None, 0, open_follow_up=True), ["at_risk"]),
    (MemberFacts(15, 15, 2, high_risk=True, open_follow_up=True),
     ["still_unwell", "not_responding", "at_risk"]),
])
def test_who_needs_a_referral(facts, reasons):
    assert referral_reasons(facts) == reasons


def test_the_phq9_reasons_wait_for_the_ending_risk_does_not():
    early = dict(ending=False)
    assert referral_reasons(MemberFacts(18, 18, 1, **early)) == []
    assert referral_reasons(MemberFacts(18, 17, 3, **early)) == []
    assert referral_reasons(MemberFacts(18, 17, 3, open_follow_up=True, **early)) == [
        "at_risk"]


def test_the_countdown_starts_with_the_termination_phase():
    assert countdown("middle", 6, 12, 6) is None
    assert countdown("initial", 1, 8, 7) is None
    assert countdown("termination", 10, 12, 2) == (
        "2 sessions left: we will start to look back and plan ahead.")
    assert countdown("termination", 11, 12, 1).startswith("1 session left")
    assert countdown("termination", 12, 12, 0).startswith("This is our last session")


def test_sessions_after_the_course_have_no_countdown():
    assert countdown("maintenance", 13, 12, 0) is None
    assert countdown("termination", 13, 12, 0) is None
