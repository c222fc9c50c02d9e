"""A programme's own course plan: checked on load (file, line, problem), then used."""

import dataclasses
import os
import re
import subprocess
import sys
import uuid

import pytest
from click.testing import CliRunner
from helpers import (
    csrf_token,
    emit,
    facilitator_socket,
    joined,
    login_as,
    make_group,
    participant_socket,
)
from helpers.scenes import inbox, ok, scene

from facilitator import configure_course_plans, create_app
from facilitator.cli import plans as plans_command
from facilitator.course import load_custom, plan_for
from facilitator.courseplans import PlanError, read_text
from facilitator.extensions import db
from facilitator.models import Group
from facilitator.services.scripts import library

MARK = f"MINE{uuid.uuid4().hex[:8]}"

GOOD = f"""\
# A programme's own short course.
key = "mine3"
label = "Our three-week course"

[phases]
initial = 1
middle = 1
termination = 1

[[session]]
phase = "initial"
title = "Meeting each other"
purpose = "We meet and agree the rules."

[[session.item]]
use = "initial.welcome"
title = "Welcome"
fidelity = ["rules_agreed"]

[[session.item]]
use = "initial.checkin"
title = "Check-in"
measures = ["mood", "phq9"]
fidelity = ["measures_everyone"]

[[session]]
phase = "middle"
title = "Working on our goals"
purpose = "Each member works on one goal."

[[session.item]]
title = "A walk and a talk"
kind = "walk_talk"
now = "We are walking and talking together {MARK}."
words = ["Shall we walk a little? {MARK}"]
steps = [
  {{ text = "Walk slowly round the room in pairs {MARK}.", minutes = 10 }},
  {{ text = "Ask each pair what they talked about." }},
]
fidelity = ["goals_referred"]

[[session.item]]
use = "middle.goal_review"
title = "Mid-course review of goals"
fidelity = ["goals_reviewed"]

[[session]]
phase = "termination"
title = "Saying goodbye"
purpose = "We look back and say goodbye."

[[session.item]]
use = "termination.checkin"
title = "Last check-in"
measures = ["phq9"]
fidelity = ["measures_everyone"]
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``text`` containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def test_a_good_plan_is_read_with_every_session_s_texts():
    plan = read_text("mine.toml", GOOD, library())
    assert (plan.key, plan.sessions, plan.review_number()) == ("mine3", 3, 2)
    walk = plan.spec(2).item("walk_talk")
    assert walk.now.endswith(f"{MARK}.") and walk.steps[0]["minutes"] == 10
    assert walk.words == (f"Shall we walk a little? {MARK}",)
    assert plan.spec(2).item("goal_review").measures == ("phq9",), "the shared script's"
    assert plan.spec(1).item("welcome").now == library()["initial.welcome"]["now"]


BROKEN = [
    ("syntax", lambda t: t.replace('label = "Our', 'label = Our'),
     lambda t: line_of(t, "label = Our"), "not valid TOML"),
    ("unknown phase in [phases]", lambda t: t.replace("termination = 1", "ending = 1"),
     lambda t: line_of(t, "ending = 1"), "unknown phase 'ending'"),
    ("lengths do not add up", lambda t: t.replace("middle = 1", "middle = 2"),
     lambda t: line_of(t, "[phases]"), "add up to 4 sessions but the file has 3"),
    ("session in the wrong phase", lambda t: t.replace('phase = "middle"', 'phase = "later"'),
     lambda t: line_of(t, 'phase = "later"'), "unknown phase 'later'"),
    ("session out of order", lambda t: t.replace('phase = "middle"', 'phase = "initial"'),
     lambda t: line_of(t, 'phase = "initial"', 2), "in the middle phase"),
    ("session without items",
     lambda t: t.replace('purpose = "We look back and say goodbye."\n\n[[session.item]]\n'
                         'use = "termination.checkin"\ntitle = "Last check-in"\n'
                         'measures = ["phq9"]\nfidelity = ["measures_everyone"]\n',
                         'purpose = "We look back and say goodbye."\n'),
     lambda t: line_of(t, "[[session]]", 3), "session 3 has no agenda items"),
    ("item without steps", lambda t: re.sub(r"steps = \[\n.*?\n\]\n", "", t, flags=re.S),
     lambda t: line_of(t, "[[session.item]]", 3), "at least one script step"),
    ("minutes out of range", lambda t: t.replace("minutes = 10", "minutes = 300"),
     lambda t: line_of(t, "minutes = 300"), "minutes must be a whole number from 1 to 120"),
    ("second step without text", lambda t: t.replace('"Ask each pair what they talked about."',
                                                     '""'),
     lambda t: line_of(t, 'text = ""'), "a script step without text"),
    ("unknown measure", lambda t: t.replace('measures = ["phq9"]', 'measures = ["gad7"]'),
     lambda t: line_of(t, 'measures = ["gad7"]'), "unknown measures key 'gad7'"),
    ("unknown fidelity key", lambda t: t.replace('["goals_referred"]', '["hugs_given"]'),
     lambda t: line_of(t, '["hugs_given"]'), "unknown fidelity key 'hugs_given'"),
    ("unknown shared script", lambda t: t.replace('"middle.goal_review"', '"middle.nap"'),
     lambda t: line_of(t, '"middle.nap"'), "unknown shared script 'middle.nap'"),
    ("repeated session title", lambda t: t.replace('"Saying goodbye"', '"Meeting each other"'),
     lambda t: line_of(t, 'title = "Meeting each other"', 2), "same title as session 1"),
    ("no key", lambda t: t.replace('key = "mine3"\n', ""), lambda t: 1, "'key' must be"),
    ("empty purpose", lambda t: t.replace('"Each member works on one goal."', '"  "'),
     lambda t: line_of(t, 'purpose = "  "'), "'purpose' must be a non-empty text"),
]


@pytest.mark.parametrize("name, change, line, problem", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_plan_is_refused_naming_the_file_the_line_and_the_problem(
        name, change, line, problem):
    text = change(GOOD)
    assert text != GOOD
    with pytest.raises(PlanError) as refused:
        read_text("ours.toml", text, library())
    assert refused.value.line == line(text), str(refused.value)
    assert str(refused.value).startswith(f"ours.toml:{line(text)}: ")
    assert problem in refused.value.problem


def test_plans_check_says_fine_or_names_the_line(tmp_path):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD.replace('measures = ["phq9"]', 'measures = ["gad7"]'),
                   encoding="utf-8")
    result = CliRunner().invoke(plans_command, ["check", str(good)])
    assert result.exit_code == 0 and "fine: 'mine3'" in result.output, result.output
    result = CliRunner().invoke(plans_command, ["check", str(bad)])
    expected = f"{bad}:{line_of(bad.read_text(), 'gad7')}: unknown measures key 'gad7'"
    assert result.exit_code == 1 and expected in result.output, result.output


def test_a_shipped_plan_s_key_is_refused(tmp_path):
    (tmp_path / "who.toml").write_text(GOOD.replace('"mine3"', '"who8"'), encoding="utf-8")
    with pytest.raises(PlanError, match="already used"):
        load_custom(tmp_path)


def test_the_app_refuses_to_start_with_a_broken_plan(tmp_path):
    (tmp_path / "ours.toml").write_text(GOOD.replace("minutes = 10", "minutes = 0"),
                                       encoding="utf-8")
    with pytest.raises(PlanError) as refused:
        create_app({"TESTING": True, "SECRET_KEY": "x", "COURSE_PLANS_DIR": str(tmp_path),
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert f"ours.toml:{line_of(GOOD, 'minutes = 10')}: a step's minutes" in str(
        refused.value)


@pytest.fixture
def ours(app, tmp_path):
    """The app with the programme's own plan in its COURSE_PLANS_DIR."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "mine.toml").write_text(GOOD, encoding="utf-8")
    app.config["COURSE_PLANS_DIR"] = str(folder)
    configure_course_plans(app)
    return app


def test_the_new_group_form_offers_the_plan_and_builds_its_sessions(ours, client, world):
    login_as(client, world.email)
    page = client.get("/groups/new").get_data(as_text=True)
    assert 'value="mine3"' in page and "Our three-week course" in page
    token = csrf_token(client, "/groups/new")
    response = client.post("/groups/new", data={"name": "Our group", "template": "mine3",
                                                 "crisis_resources": "Call 988.",
                                                 "csrf_token": token})
    assert response.status_code == 302
    with ours.app_context():
        assert plan_for("mine3") is not None
        group = db.session.scalars(db.select(Group).where(Group.name == "Our group")).one()
        assert group.template == "mine3"
        assert [(s.number, s.phase, s.title) for s in group.sessions] == [
            (1, "initial", "Session 1: Meeting each other"),
            (2, "middle", "Session 2: Working on our goals"),
            (3, "termination", "Session 3: Saying goodbye")]
        assert [(i.title, i.kind) for i in group.sessions[1].agenda] == [
            ("A walk and a talk", "walk_talk"), ("Mid-course review of goals", "goal_review")]
        middle = group.sessions[1].id
    page = client.get(f"/sessions/{middle}/agenda").get_data(as_text=True)
    assert '<p class="session-purpose" id="session-purpose">Each member works on one goal.</p>' \
        in page


def test_a_group_on_the_plan_gets_its_scripts_in_the_snapshot(ours):
    world = make_group(ours, 1, template="mine3")
    middle = world.session_ids[1]
    mine = joined(facilitator_socket(ours, world), middle)
    theirs = joined(participant_socket(ours, world, 0), middle)
    assert {k: mine["course"][k] for k in ("number", "total", "left")} == {
        "number": 2, "total": 3, "left": 1}
    assert mine["session"]["purpose"] == "Each member works on one goal."
    assert "purpose" not in theirs["session"]
    walk = mine["agenda"][0]
    assert walk["now"] == f"We are walking and talking together {MARK}."
    assert walk["script"][0] == {"text": f"Walk slowly round the room in pairs {MARK}.",
                                 "minutes": 10}
    assert walk["words"] == [f"Shall we walk a little? {MARK}"]
    assert theirs["agenda"][0]["now"] == walk["now"]
    assert "script" not in theirs["agenda"][0] and "words" not in theirs["agenda"][0]
    assert f"pairs {MARK}" not in str(theirs) and f"little? {MARK}" not in str(theirs)
    assert mine["agenda"][1]["script"] == library()["middle.goal_review"]["steps"]


def test_the_facilitator_command_stops_with_the_message_not_a_traceback(tmp_path):
    (tmp_path / "ours.toml").write_text(GOOD.replace('"phq9"]', '"gad7"]'), encoding="utf-8")
    env = {**os.environ, "COURSE_PLANS_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    done = subprocess.run([sys.executable, "-c", "from facilitator.entry import main; main()",
                           "routes"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    line = line_of(GOOD, 'measures = ["mood", "phq9"]')
    assert done.stderr.strip() == (
        f"Error: a course plan file is refused: {tmp_path / 'ours.toml'}:{line}: "
        "unknown measures key 'gad7' (known: mood, phq9)")


@pytest.mark.parametrize("fast", [True, False], ids=["fast way", "ordinary way"])
def test_a_pushed_item_carries_its_own_session_s_texts(ours, fast):
    ours.config["FAST_WAYS"] = fast
    world = make_group(ours, 1, template="mine3")
    stage = scene(ours, dataclasses.replace(world, session_id=world.session_ids[1]))
    walk = joined(stage.fac, stage.sid)["agenda"][0]
    stage.drain()
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": walk["id"]}))
    [facing] = inbox(stage.fac)["agenda:changed"]
    assert facing["item"]["now"] == f"We are walking and talking together {MARK}."
    assert facing["item"]["words"] == [f"Shall we walk a little? {MARK}"]
    assert facing["item"]["script"] == walk["script"]
    [theirs] = inbox(stage.people[0])["agenda:changed"]
    assert theirs["item"]["now"] == facing["item"]["now"]
    assert "words" not in theirs["item"] and "script" not in theirs["item"]
