"""Shared loop of the --jsonl commands: one JSON object in per line, one JSON object out per line."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

from django.core.management.base import CommandError


class LineError(ValueError):
    """A line's JSON is fine but its content is not (missing or mistyped field)."""


def jsonl_run(
    stdin: IO[str], stdout: IO[str], handle: Callable[[dict[str, Any]], dict[str, Any]]
) -> tuple[int, int]:
    """Answer every non-blank line; a bad line gets {"error", "line"}. Returns (answered, failed)."""
    answered = failed = 0
    for number, raw in enumerate(stdin, start=1):
        if not raw.strip():
            continue
        try:
            try:
                item = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise LineError(f"invalid JSON: {exc.msg}") from exc
            if not isinstance(item, dict):
                raise LineError("each line must be a JSON object")
            out = handle(item)
            answered += 1
        except (LineError, ValueError, TypeError) as exc:
            out = {"error": str(exc), "line": number}
            failed += 1
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return answered, failed


def jsonl_finish(failed: int) -> None:
    if failed:
        raise CommandError(f"{failed} line(s) failed", returncode=2)
