"""Tests against a real server process.

This folder is a package so that its conftest is imported as ``server.conftest``: a second
top-level ``conftest`` module would shadow ``tests/conftest.py`` for ``from conftest import``.
"""
