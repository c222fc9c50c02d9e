"""The programme's quality page (issue 23 item 5) over HTTP: administrators only, the
hand-made programme's figures in its tables and in the charts' text alternatives."""

import re

from helpers import client_of
from helpers.quality import make_admin, make_quality_world
from helpers.reports import row_of, tables


def row_of_group(table, name):
    """The row whose first cell starts with a group's name (the team follows it)."""
    return next(row for row in table if row and row[0].startswith(name + " "))


def admin_client(app):
    """A client signed in as a (new) programme administrator."""
    make_admin(app)
    return client_of(app, "admin@example.org")


def test_the_overview_links_to_the_quality_page(app, world):
    html = admin_client(app).get("/programme").get_data(as_text=True)
    assert 'href="/programme/quality"' in html


def test_the_tables_show_the_hand_counted_figures(app):
    made = make_quality_world(app)
    answer = admin_client(app).get("/programme/quality")
    assert answer.status_code == 200
    found = tables(answer.get_data(as_text=True))
    tue = row_of_group(found["quality-groups"], "Tuesday group")
    assert tue[1:7] == ["3", "2", "1 (33%)", "83.3%", "75%", "1"]
    thu = row_of_group(found["quality-groups"], "Thursday group")
    assert thu[1:7] == ["2", "2", "1 (50%)", "50%", "50%", "1"]
    assert thu[7].startswith("1 overdue") and thu[8].startswith("median 30 min")
    cleo = row_of_group(found["quality-facilitators"], "Cleo Co")
    assert cleo[1:7] == tue[1:7]
    assert row_of_group(found["quality-facilitators"], "Bo Lead")[1:7] == thu[1:7]
    assert "Ana Supervisor" not in str(found["quality-facilitators"])
    months = found["quality-programme-months"]
    assert row_of(months, "2025-01")[1:] == ["2", "2", "1 (50%)", "83.3%", "75%"]
    assert row_of(months, "2025-02")[1:] == ["3", "2", "1 (33%)", "50%", "50%"]
    assert row_of(found[f"quality-months-{made.people['cleo']}"], "2025-02")[1:] == [
        "1", "0", "0 (0%)", "—", "—"]


def test_the_charts_carry_their_numbers_in_words(app):
    make_quality_world(app)
    html = admin_client(app).get("/programme/quality").get_data(as_text=True)
    assert ("Fidelity by month, Cleo Co. Own record: 2025-01 83.3%, 2025-02 —. "
            "Supervisor&#39;s review: 2025-01 75%, 2025-02 —.") in html
    assert "Share of sessions reviewed: Thursday group 50%, Tuesday group 33%." in html
    assert not re.search(r"\sstyle=", html) and "<script>" not in html


def test_only_administrators_open_it(app):
    make_quality_world(app)
    for email in ("sam@example.org", "ana@example.org"):
        assert client_of(app, email).get("/programme/quality").status_code == 403
    assert app.test_client().get("/programme/quality").status_code == 302
