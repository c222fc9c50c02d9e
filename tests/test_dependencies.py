"""Dependency floors: versions below these have known vulnerabilities."""

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

FLOORS = {
    "python-engineio": "4.13.2",
    "python-socketio": "5.16.2",
    "eventlet": "0.40.3",
    "flask": "3.1.3",
    "flask-socketio": "5.6.1",
}


def declared() -> dict[str, Requirement]:
    """The runtime dependencies declared in pyproject.toml, by lower-cased name."""
    data = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    requirements = (Requirement(line) for line in data["project"]["dependencies"])
    return {r.name.lower(): r for r in requirements}


@pytest.mark.parametrize("name, floor", sorted(FLOORS.items()))
def test_floor_is_declared_and_installed(name, floor):
    requirement = declared()[name]
    assert not requirement.specifier.contains(Version(floor).release and _below(floor)), (
        f"{name} must not allow versions below {floor}")
    assert requirement.specifier.contains(floor)
    assert Version(version(name)) >= Version(floor)


def _below(floor: str) -> str:
    """A version just under ``floor``."""
    major, minor, patch = (int(part) for part in floor.split("."))
    return f"{major}.{minor}.{patch - 1}" if patch else f"{major}.{minor - 1}.999"
