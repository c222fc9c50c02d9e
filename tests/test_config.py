"""Settings read from the environment: a count that would hang the server is refused at start."""

import pytest

from facilitator import create_app

COUNTS = ["CHECKINS_AT_ONCE", "MAX_CONNECTIONS", "EVENT_RATE_BURST", "GC_GEN2_THRESHOLD"]


@pytest.mark.parametrize("name", COUNTS)
@pytest.mark.parametrize("raw", ["0", "-3", "many", "1.5"])
def test_a_count_below_one_or_not_a_number_stops_the_server_with_its_name(
        monkeypatch, tmp_path, name, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ValueError, match=name):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3"})


def test_the_check_in_lane_takes_its_size_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CHECKINS_AT_ONCE", "8")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3"})
    assert app.config["CHECKINS_AT_ONCE"] == 8
