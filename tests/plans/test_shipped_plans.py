"""The shipped course plans: every session of every plan has its full specification."""

import pytest

from facilitator.course import TEMPLATES, agenda_kinds, plan_for
from facilitator.courseplans import PHASES, SHIPPED_DIR
from facilitator.services import scripts
from facilitator.services.vocabulary import FIDELITY_ITEMS, MEASURES

LENGTHS = {"who8": (1, 6, 1), "ipt12": (4, 5, 3), "ipt16": (4, 8, 4)}


def test_the_three_plans_are_shipped_one_file_each():
    assert sorted(p.stem for p in SHIPPED_DIR.glob("*.toml")) == sorted(LENGTHS)
    assert sorted(TEMPLATES) == sorted(LENGTHS)


@pytest.mark.parametrize("key", sorted(LENGTHS))
def test_phase_lengths_and_the_phase_of_each_session(key):
    plan = TEMPLATES[key]
    assert (plan.initial, plan.middle, plan.termination) == LENGTHS[key]
    assert plan.sessions == sum(LENGTHS[key])
    expected = [phase for phase, n in zip(PHASES, LENGTHS[key], strict=True)
                for _ in range(n)]
    assert [s.phase for s in plan.specs] == expected
    assert [s.number for s in plan.specs] == list(range(1, plan.sessions + 1))


@pytest.mark.parametrize("key", sorted(LENGTHS))
def test_every_session_has_a_full_specification(key):
    plan = TEMPLATES[key]
    for spec in plan.specs:
        assert spec.title.strip() and spec.purpose.count(".") in (1, 2, 3), spec.title
        assert len(spec.items) >= 4, spec.title
        kinds = [item.kind for item in spec.items]
        assert len(set(kinds)) == len(kinds), spec.title
        assert kinds[0] == "welcome" and kinds[1] == "checkin", spec.title
        assert kinds[-1] == "close", spec.title
        for item in spec.items:
            where = f"{key} session {spec.number} {item.kind}"
            assert item.title.strip() and item.now.startswith(("We are", "Welcome")), where
            assert item.steps and all(s["text"].strip() for s in item.steps), where
            assert all(s["minutes"] is None or 1 <= s["minutes"] <= 120
                       for s in item.steps), where
            assert item.words and all(w.strip() for w in item.words), where
            assert item.fidelity, where
            assert set(item.fidelity) <= set(FIDELITY_ITEMS), where
            assert set(item.measures) <= set(MEASURES), where
            assert item.kind in agenda_kinds(), where
        checkin = spec.item("checkin")
        assert {"mood", "phq9"} <= set(checkin.measures), spec.title


@pytest.mark.parametrize("key", sorted(LENGTHS))
def test_session_titles_and_purposes_are_not_repeated_within_a_plan(key):
    plan = TEMPLATES[key]
    assert len({s.title for s in plan.specs}) == plan.sessions
    assert len({s.purpose for s in plan.specs}) == plan.sessions


@pytest.mark.parametrize("key", sorted(LENGTHS))
def test_each_plan_s_sessions_fit_their_place(key):
    plan = TEMPLATES[key]
    kinds = [{item.kind for item in spec.items} for spec in plan.specs]
    middle = [spec for spec in plan.specs if spec.phase == "middle"]
    # Initial: depression explained first; the members' areas and goals shared.
    assert "psychoeducation" in kinds[0]
    assert any("problem_area" in k for k, s in zip(kinds, plan.specs, strict=True)
               if s.phase == "initial")
    # Middle: one mid-course review of goals, in the middle of the middle phase.
    reviews = [s.number for s in plan.specs if s.item("goal_review")]
    assert reviews == [plan.review_number()]
    position = [s.number for s in middle].index(reviews[0])
    assert abs(position - (len(middle) - 1) / 2) <= 1
    assert plan.spec(reviews[0]).item("goal_review").title == "Mid-course review of goals"
    # Middle sessions vary: no two have the same items.
    assert len({tuple(i.kind for i in s.items) for s in middle}) >= len(middle) - 1
    assert any(s.item("communication") for s in middle)
    assert any(s.item("role_play") for s in middle)
    assert any(s.item("options") for s in middle)
    # Termination: the ending announced, change reviewed with own effort credited,
    # feelings about ending, a staying-well plan, and the final measure last.
    ending = [spec for spec in plan.specs if spec.phase == "termination"]
    fidelity = {key for spec in ending for item in spec.items for key in item.fidelity}
    assert {"ending_announced", "change_reviewed", "own_effort_credited",
            "ending_feelings", "staying_well_plan"} <= fidelity
    last = plan.specs[-1]
    assert "phq9" in last.item("checkin").measures
    assert "last" in last.item("checkin").now and last.item("relapse_plan")


def test_the_review_session_of_a_plan_without_a_review_item_is_the_middle_one():
    plan = TEMPLATES["ipt16"]
    bare = type(plan)(plan.key, plan.label, plan.initial, plan.middle, plan.termination,
                      tuple(s.__class__(s.number, s.phase, s.title, s.purpose,
                                        tuple(i for i in s.items if i.kind != "goal_review"))
                            for s in plan.specs))
    assert bare.review_number() == 8  # middle sessions 5-12: the 4th of 8


def test_a_session_s_item_takes_its_own_specification_and_an_added_one_the_shared():
    plan = plan_for("ipt12")
    last = plan.specs[-1]
    own = scripts.for_item("ipt12", last.number, "termination", "checkin")
    assert own.now == last.item("checkin").now != scripts.now_line("termination", "checkin")
    added = scripts.for_item("ipt12", last.number, "termination", "breathing")
    assert added is scripts.script_for("termination", "breathing")
    assert scripts.for_item("unknown", 3, "middle", "checkin") is scripts.script_for(
        "middle", "checkin")
    assert scripts.for_item("ipt12", 13, "termination", "checkin") is scripts.script_for(
        "termination", "checkin"), "a session after the course has no specification"
