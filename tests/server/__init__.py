"""Tests against a real server process (helpers: ``tests/helpers/server.py``).

This folder is a package so that its conftest is imported as ``server.conftest`` and does
not shadow ``tests/conftest.py``.
"""
