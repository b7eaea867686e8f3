"""The insights tests read labels in English (the source language), whatever LANGUAGE_CODE is;
one test checks the Indonesian page explicitly."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
