"""Browser tests: Playwright drives Chromium against a real server process."""
