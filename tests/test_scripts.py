"""The session scripts (``services.scripts``): a text for every item, a broken file refused."""

import pytest

from facilitator.course import AGENDA_KINDS, DEFAULT_AGENDAS, PHASE_TITLES, counters
from facilitator.services import scripts


@pytest.fixture
def fresh_scripts(monkeypatch, tmp_path):
    """Point the loader at a file of the test's own; the real one is read again afterwards."""
    def use(text: str):
        path = tmp_path / "scripts.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(scripts, "SOURCE", path)
        clear()
        return path

    def clear():
        scripts._data.cache_clear()
        scripts._scripts.cache_clear()
        scripts.library.cache_clear()
        scripts.script_for.cache_clear()

    yield use
    monkeypatch.undo()
    clear()


@pytest.mark.parametrize("phase", sorted(PHASE_TITLES))
@pytest.mark.parametrize("kind", AGENDA_KINDS)
def test_every_kind_in_every_phase_has_a_now_line_and_steps(phase, kind):
    assert scripts.now_line(phase, kind).startswith(("We are", "Welcome"))
    steps = scripts.steps(phase, kind)
    assert steps and all(step["text"] and "<" not in step["text"] for step in steps)


def test_each_phase_s_own_items_have_their_own_script():
    for phase, items in DEFAULT_AGENDAS.items():
        for _, kind in items:
            assert scripts._scripts()[(phase, kind)] is scripts.script_for(phase, kind)


def test_middle_sessions_carry_the_method():
    text = " ".join(step["text"] for kind in ("checkin", "problem_area", "role_play")
                    for step in scripts.steps("middle", kind))
    for idea in ("what happened with people", "exactly what was said", "option",
                 "safe to say this", "what worked"):
        assert idea in text, idea


def test_an_unknown_kind_gets_the_generic_script():
    assert scripts.script_for("middle", "breathing") is scripts._scripts()[scripts.FALLBACK]


def test_the_caller_s_copy_cannot_change_the_script():
    scripts.steps("initial", "welcome")[0]["text"] = "changed"
    assert scripts.steps("initial", "welcome")[0]["text"] != "changed"


@pytest.mark.parametrize("text, problem", [
    ('[middle.checkin]\nsteps = [{ text = "Ask" }]\n', "[middle.checkin]: needs a 'now' line"),
    ('[middle.checkin]\nnow = "We are"\nsteps = []\n', "needs at least one step"),
    ('[middle.checkin]\nnow = "We are"\nsteps = [{ text = "" }]\n', "a step without text"),
    ('[middle.checkin]\nnow = "We are"\nsteps = [{ text = "Ask", minutes = 0 }]\n',
     "minutes must be a whole number"),
    ('[later.checkin]\nnow = "We are"\nsteps = [{ text = "Ask" }]\n',
     "[later.checkin]: unknown phase"),
    ('[any.other]\nnow = "We are"\nsteps = [{ text = "Ask" }]\n', "no script for"),
])
def test_a_broken_scripts_file_is_refused_with_what_is_wrong(fresh_scripts, text, problem):
    fresh_scripts(text)
    with pytest.raises(ValueError) as refused:
        scripts.now_line("middle", "checkin")
    assert problem in str(refused.value)


@pytest.mark.parametrize("template, number, expected", [
    ("who8", 1, (8, 7)), ("who8", 8, (8, 0)), ("ipt12", 5, (12, 7)), ("ipt16", 16, (16, 0)),
    ("who8", 9, (8, 0)), ("custom", 3, (10, 7)),
])
def test_course_counters(template, number, expected):
    total, left = expected
    assert counters(template, number, lambda: 10) == {"number": number, "total": total,
                                                      "left": left}
