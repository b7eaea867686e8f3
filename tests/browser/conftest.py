"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium the tests are skipped, and the run ends with a line saying so, since
``pytest -q`` does not list skip reasons on its own.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("RAWAT_CHROMIUM", "/usr/bin/chromium")
MISSING = "Chromium not installed: apt-get install chromium chromium-driver"


def chromium_missing() -> bool:
    return not os.path.exists(CHROMIUM)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if chromium_missing() and any(
        "browser" in getattr(report, "keywords", {})
        for report in terminalreporter.stats.get("skipped", [])
    ):
        terminalreporter.write_line(f"Browser tests skipped: {MISSING}", yellow=True, bold=True)
