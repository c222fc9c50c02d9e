"""The command line: demo groups and facilitator accounts."""

import gc
import json

from facilitator.extensions import db
from facilitator.models import GroupSession
from facilitator.server import tune_collector


def test_demo_json_matches_the_contract(app, runner):
    result = runner.invoke(args=["demo", "--groups", "2", "--participants", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert len(data["groups"]) == 2
    for group in data["groups"]:
        assert set(group) >= {"group_id", "session_id", "facilitator", "participants"}
        assert set(group["facilitator"]) == {"email", "password"}
        assert len(group["participants"]) == 3
        for person in group["participants"]:
            assert set(person) >= {"participant_id", "display_name", "join_path"}
            assert person["join_path"].startswith("/join/")
        with app.app_context():
            session = db.session.get(GroupSession, group["session_id"])
            assert session.status == "scheduled" and len(session.agenda) >= 4


def test_demo_logins_work(app, runner):
    result = runner.invoke(args=["demo", "--json", "--participants", "1"])
    data = json.loads(result.output.strip().splitlines()[-1])["groups"][0]
    client = app.test_client()
    from helpers import login_as

    assert login_as(client, data["facilitator"]["email"],
                    data["facilitator"]["password"]).status_code == 302
    assert app.test_client().get(data["participants"][0]["join_path"]).status_code == 302


def test_create_facilitator_command(app, runner):
    result = runner.invoke(args=["create-facilitator", "--email", "a@example.org",
                                 "--name", "Ada", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    weak = runner.invoke(args=["create-facilitator", "--email", "b@example.org",
                               "--name", "Bo", "--password", "short"])
    assert weak.exit_code != 0 and "12 characters" in weak.output


def test_a_served_process_freezes_start_up_and_makes_full_collections_rare(app):
    """``facilitator serve`` tunes the collector before it accepts connections."""
    assert app.config["GC_GEN2_THRESHOLD"] == 100
    before = gc.get_threshold()
    try:
        tune_collector(100)
        young, middle, full = gc.get_threshold()
        assert (young, middle) == before[:2], "the young generations keep Python's thresholds"
        assert full == 100
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
