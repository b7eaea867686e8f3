"""The stock tests read messages in English (the source language), whatever LANGUAGE_CODE is.

Reply texts are data (the shop's templates, Indonesian by default) and are unaffected.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
