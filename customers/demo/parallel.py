"""Run the generator's chunks in forked worker processes, hand back the results in order.

The workers are forked after the Seeder has loaded what generation needs (buyers, products,
tags), so they get it without pickling; each task is a chunk's start index and its result the
chunk's rows. Workers never use the database: the parent's connection is still open in their
copy of memory, and closing it from a child would end the parent's session (PostgreSQL) or
release its file locks (SQLite). So a worker keeps the object alive, untouched, and any attempt
to use a connection raises instead.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")
R = TypeVar("R")

_function: Callable[[Any], Any] | None = None
_inherited: list[Any] = []


def default_jobs() -> int:
    return os.cpu_count() or 1


def ordered_map(function: Callable[[T], R], items: Sequence[T], *, jobs: int) -> Iterator[R]:
    """``function(item)`` for each item, in order; in ``jobs`` forked processes if jobs > 1.

    At most two results per worker wait for the caller, so memory stays bounded when the
    caller (the process writing to the database) is the slower side.
    """
    jobs = min(jobs, len(items))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_worker_start, initargs=(function,)) as pool:
        pending: deque[Any] = deque()
        queue = iter(items)
        for item in queue:
            pending.append(pool.apply_async(_work, (item,)))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            result = pending.popleft().get()
            for item in queue:
                pending.append(pool.apply_async(_work, (item,)))
                break
            yield result


def _worker_start(function: Callable[[Any], Any]) -> None:
    global _function
    _function = function
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _inherited.append(connection.connection)  # never closed here: see the docstring
            connection.connection = None
        connection.ensure_connection = _refuse


def _refuse() -> None:
    raise RuntimeError("seed_demo's worker processes must not use the database.")


def _work(item: Any) -> Any:
    assert _function is not None
    return _function(item)
