"""Hypothesis profiles for the fuzz suite (issue 8, part 4).

``ci`` (the default): derandomized, a moderate number of examples per test, no example database,
so every run of the suite explores the same inputs and stays fast. ``deep`` (run it by hand with
``HYPOTHESIS_PROFILE=deep``): random, twenty times the examples, failures remembered in
``.hypothesis/``. Each test asks for its example count through :func:`budget`, so the profile
scales them all.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    # The database fixtures are function-scoped on purpose: the tests compare row counts
    # before and after each example inside one test transaction.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", derandomize=True, database=None, **_COMMON)
settings.register_profile("deep", **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "deep"):
    raise ValueError(f"HYPOTHESIS_PROFILE must be ci or deep, not {PROFILE!r}")
settings.load_profile(PROFILE)

DEEP_FACTOR = 20


def budget(examples: int) -> int:
    """The example count for a test: as written under ``ci``, twenty times that under ``deep``."""
    return examples * DEEP_FACTOR if PROFILE == "deep" else examples
