"""Helpers for responses in tests."""

from __future__ import annotations


def close_response(response) -> None:
    """Close a streamed response (its file) without the request_finished signal closing the
    test's database connection, as Django's test client does for streamed responses.

    On PostgreSQL a closed connection inside the test's transaction breaks every later query
    of the test; SQLite's in-memory test database hides the problem.
    """
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
