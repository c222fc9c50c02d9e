"""Fixtures: an app on a real database, signed-in HTTP clients and live Socket.IO clients."""

import shutil

import pytest
from helpers import (  # noqa: F401 - re-exported for tests not yet moved to ``helpers``
    CHROMIUM,
    CHROMIUM_ARGS,
    NAMESPACE,
    PASSWORD,
    World,
    accept_notice,
    csrf_token,
    emit,
    facilitator_socket,
    joined,
    live,
    login_as,
    make_group,
    participant_socket,
    received,
)
from helpers.app import TEST_CONFIG, build_schema, empty_tables, postgres_url

from facilitator import create_app
from facilitator.extensions import db


@pytest.fixture(scope="session")
def schema(tmp_path_factory):
    """The migrated schema, built once: a SQLite template file, or the PostgreSQL database."""
    url = postgres_url()
    if url:
        build_schema(url)
        return url
    template = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    build_schema(f"sqlite:///{template}")
    return template


@pytest.fixture
def app(tmp_path, schema):
    """An app on a fresh, empty copy of the migrated schema."""
    if isinstance(schema, str):
        url = schema
    else:
        copy = tmp_path / "test.sqlite3"
        shutil.copyfile(schema, copy)
        url = f"sqlite:///{copy}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    if isinstance(schema, str):
        with app.app_context():
            empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app):
    """An HTTP client with its own cookie jar."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def world(app) -> World:
    """A group with three participants."""
    return make_group(app)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: one per test run (Playwright allows one)."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(apt-get install chromium, or `make test`) to run the browser tests.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
