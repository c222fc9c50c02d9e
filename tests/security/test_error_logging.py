"""Unexpected errors are logged with their type and stack, never their message (issue 19, 7)."""

import logging
import re

import pytest
from helpers import TEST_CONFIG

from facilitator import create_app
from facilitator.logs import level_named

MARKER = "planted-marker-7f3a"


@pytest.fixture
def failing_app(app):
    """The app as served (errors handled, not raised), with a page that fails on what it got."""
    served = create_app({**TEST_CONFIG, "TESTING": False,
                         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @served.get("/boom")
    def boom():
        from flask import request
        raise ValueError(f"could not read {request.args['note']}")

    return served


def test_a_500_is_logged_with_type_and_stack_and_without_the_request_data(failing_app, caplog):
    caplog.set_level(logging.ERROR)
    answer = failing_app.test_client().get(f"/boom?note={MARKER}", headers={"Accept": "text/html"})
    assert answer.status_code == 500
    page = answer.get_data(as_text=True)
    reference = re.search(r"reference: <strong>([0-9a-f]{12})</strong>", page).group(1)
    assert MARKER not in page
    records = [r for r in caplog.records if r.name == "facilitator.views.errors"]
    assert len(records) == 1
    logged = records[0].getMessage()
    assert "ValueError" in logged and reference in logged
    assert 'in boom' in logged and "raise ValueError" in logged  # the stack
    assert MARKER not in caplog.text and records[0].exc_info is None


def test_a_500_as_json_carries_the_reference(failing_app):
    answer = failing_app.test_client().get(f"/boom?note={MARKER}",
                                           headers={"Accept": "application/json"})
    assert answer.status_code == 500
    error = answer.get_json()["error"]
    assert re.fullmatch(r"[0-9a-f]{12}", error["reference"]) and MARKER not in str(error)


def test_the_log_level_comes_from_the_environment(monkeypatch, app):
    monkeypatch.setenv("LOG_LEVEL", "warning")
    create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        assert logging.getLogger().level == logging.WARNING
        assert logging.getLogger("engineio").level == logging.WARNING
    finally:
        logging.getLogger().setLevel(logging.INFO)
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        level_named("loud")


def test_the_transport_never_logs_frames_even_at_debug(monkeypatch, app):
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        assert not logging.getLogger("engineio.server").isEnabledFor(logging.INFO)
        assert not logging.getLogger("socketio.server").isEnabledFor(logging.INFO)
    finally:
        logging.getLogger().setLevel(logging.INFO)
        for name in ("engineio", "socketio", "sqlalchemy"):
            logging.getLogger(name).setLevel(logging.WARNING)
