"""Login and sessions (issue 8, part 2): lock-outs, validators, cookies, password changes."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "Kain-Batik-Tulis-2026"


@pytest.fixture
def seller(shop):
    user = UserFactory(username="sari")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(shop=shop, user=user)
    return user


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_username_from_that_ip(seller):
    client = Client()
    for _ in range(4):
        assert _login(client, "sari", "wrong-password").status_code == 200
    assert _login(client, "sari", "wrong-password").status_code == 429  # the fifth locks
    response = _login(client, "sari", PASSWORD)
    assert response.status_code == 429
    assert b"Too many wrong passwords" in response.content
    assert b"15 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock(seller):
    client = Client()
    for _ in range(4):
        _login(client, "sari", "wrong-password")
    assert _login(client, "sari", PASSWORD).status_code == 302


def test_the_lockout_is_per_username_and_ip_pair(seller, shop):
    other = UserFactory(username="budi")
    other.set_password(PASSWORD)
    other.save()
    for _ in range(5):
        _login(Client(), "sari", "wrong-password", ip="10.0.0.1")
    # The same seller from another connection, and another seller from the same one, still sign in.
    assert _login(Client(), "sari", PASSWORD, ip="10.0.0.2").status_code == 302
    assert _login(Client(), "budi", PASSWORD, ip="10.0.0.1").status_code == 302
    assert _login(Client(), "sari", PASSWORD, ip="10.0.0.1").status_code == 429


def test_the_lockout_ends_after_the_cool_off(seller):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            _login(Client(), "sari", "wrong-password")
        assert _login(Client(), "sari", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=14))
        assert _login(Client(), "sari", PASSWORD).status_code == 429
        # Each attempt during the lock-out counts as a failure and restarts the 15 minutes.
        traveller.shift(timedelta(minutes=14))
        assert _login(Client(), "sari", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert _login(Client(), "sari", PASSWORD).status_code == 302


def test_axes_settings_are_explicit():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


@pytest.mark.parametrize(
    "password", ["pendek", "12345678901234", "password123", "sari-example-com"]
)
def test_weak_passwords_are_refused(password, db):
    user = get_user_model()(username="sari", email="sari-example-com@example.com")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_changing_the_password_ends_every_other_session(seller):
    here, elsewhere = Client(), Client()
    assert _login(here, "sari", PASSWORD).status_code == 302
    assert _login(elsewhere, "sari", PASSWORD, ip="10.0.0.9").status_code == 302
    assert elsewhere.get(reverse("dashboard")).status_code == 200
    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Tenun-Ikat-Sumba-77",
            "new_password2": "Tenun-Ikat-Sumba-77",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("dashboard")).status_code == 200  # this browser stays signed in
    response = elsewhere.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_weak_new_password_is_refused_on_the_change_page(seller):
    client = Client()
    _login(client, "sari", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    seller.refresh_from_db()
    assert seller.check_password(PASSWORD)


# --- production settings, in a fresh process with a production environment ------------------


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "rawat.example.com",
            **extra,
        }
    )
    return env


def test_check_deploy_passes_without_warnings_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_is_the_default_and_needs_a_secret_key():
    env = _production_env()
    del env["DEBUG"], env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_cookies_are_secure_and_http_only():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('SESSION_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', "
        "'SECURE_SSL_REDIRECT', 'DEBUG')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_production_env(DJANGO_SETTINGS_MODULE="crm.settings"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
    }
