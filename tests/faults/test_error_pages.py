"""The pages a seller sees when the server fails: 503 for an unreachable database, else 500.

In-process companions of test_database_outage.py (which cuts a real connection under gunicorn):
here the error is raised where it would surface, with DEBUG off as in production.
"""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError


@pytest.fixture
def production_client(seller_client, settings):
    settings.DEBUG = False
    seller_client.raise_request_exception = False
    return seller_client


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
        OperationalError("database is locked"),
    ],
)
def test_a_database_error_gives_the_seller_a_clear_503_page(production_client, monkeypatch, error):
    def fail(**kwargs):
        raise error

    monkeypatch.setattr("crm.views.dashboard_counts", fail)
    response = production_client.get("/?tab=late")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Database sedang tidak tersedia" in body
    assert "The database is unavailable right now" in body
    assert 'href="/?tab=late"' in body  # "try again" repeats the request
    assert str(error) not in body


def test_any_other_error_gives_the_friendly_500_page(production_client, monkeypatch):
    def fail(**kwargs):
        raise ValueError("secret internals")

    monkeypatch.setattr("crm.views.dashboard_counts", fail)
    response = production_client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Maaf, terjadi kesalahan" in body and "Sorry, something went wrong" in body
    assert "secret internals" not in body
    assert "Retry-After" not in response


def test_the_503_page_needs_no_database(production_client, monkeypatch, django_assert_num_queries):
    def fail(**kwargs):
        raise OperationalError("the connection is closed")

    monkeypatch.setattr("crm.views.dashboard_counts", fail)
    from crm.views import server_error

    request = production_client.get("/").wsgi_request
    try:
        raise OperationalError("the connection is closed")
    except OperationalError:
        with django_assert_num_queries(0):
            response = server_error(request)
    assert response.status_code == 503
