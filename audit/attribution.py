"""Who is changing things right now: a signed-in user, a django-q2 job, a command, the system.

Requests are attributed by ``AuditMiddleware`` (django-auditlog's middleware: the request's user
becomes the entry's ``actor``). Jobs are attributed here, from django-q2's ``pre_execute`` and
``post_execute_in_worker`` signals, which the cluster's workers and synchronous runs both send.
A management command is named from ``sys.argv``. Anything else is ``system``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from auditlog.middleware import AuditlogMiddleware

SYSTEM = "system"
_job: ContextVar[str] = ContextVar("rawat_audit_job", default="")
# The request being served (set and reset by AuditMiddleware; django-auditlog's own context
# variable is never reset after a request, so it cannot tell "no request" apart).
_request: ContextVar[Any] = ContextVar("rawat_audit_request", default=None)

# Commands that serve requests or run jobs: their changes are attributed per request or job.
_SERVING_COMMANDS = {"runserver", "qcluster"}


def _command_label() -> str:
    argv = sys.argv
    if len(argv) > 1 and Path(argv[0]).name == "manage.py" and argv[1] not in _SERVING_COMMANDS:
        return f"command: {argv[1]}"
    return ""


def actor_label_current() -> str:
    """The label of whoever is acting now (see the module docstring), for an audit entry."""
    job = _job.get()
    if job:
        return job
    request = _request.get()
    if request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user.get_username()
        return "anonymous"
    return _command_label() or SYSTEM


@contextmanager
def audit_as(label: str) -> Iterator[None]:
    """Attribute the changes made inside the block to ``label`` (e.g. a job that is not a
    django-q2 task)."""
    token = _job.set(label)
    try:
        yield
    finally:
        _job.reset(token)


def _job_label(task: dict[str, Any]) -> str:
    func = task.get("func")
    path = (
        func
        if isinstance(func, str)
        else getattr(func, "__module__", "") + "." + getattr(func, "__qualname__", repr(func))
    )
    name = task.get("name") or ""
    return f"job: {path} [{name}]" if name else f"job: {path}"


def _job_started(sender: object, func: object = None, task: dict | None = None, **kwargs) -> None:
    _job.set(_job_label(task or {}))


def _job_finished(sender: object, **kwargs: object) -> None:
    _job.set("")


def job_signals_connect() -> None:
    from django_q.signals import post_execute_in_worker, pre_execute

    pre_execute.connect(_job_started, dispatch_uid="audit_job_started")
    post_execute_in_worker.connect(_job_finished, dispatch_uid="audit_job_finished")


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, trusting only REMOTE_ADDR (as django-axes does here): a
    client-sent X-Forwarded-For could otherwise write any address into the trail."""

    def __call__(self, request):  # type: ignore[no-untyped-def]
        token = _request.set(request)
        try:
            return super().__call__(request)
        finally:
            _request.reset(token)

    @staticmethod
    def _get_remote_addr(request):  # type: ignore[no-untyped-def]
        return request.META.get("REMOTE_ADDR")

    @staticmethod
    def _get_remote_port(request):  # type: ignore[no-untyped-def]
        return None
