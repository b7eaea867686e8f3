"""Indonesian by default, English when the seller asks for it, whatever the browser says."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_default(settings):
    settings.LANGUAGE_CODE = "id"


def test_the_login_page_speaks_indonesian_even_to_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Masuk" in response.content.decode()


def test_the_language_buttons_switch_to_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/")
    assert response["Content-Language"] == "en"
    assert "Log in to Rawat" in response.content.decode()

    client.post("/i18n/setlang/", {"language": "id", "next": "/login/"})
    assert client.get("/login/")["Content-Language"] == "id"


def test_an_unknown_language_cookie_falls_back_to_indonesian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/login/")["Content-Language"] == "id"
