"""Check the tone of seller replies: `manage.py check_reply --jsonl < replies.jsonl`.

Input lines: {"text": str, "lang": "id"|"en" (optional), "channel": str (optional),
"after_resolution": bool (optional)}. Output lines: crm.tone's verdict object, or
{"error": ..., "line": N} for a bad line. Exit status 2 when any line failed.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from crm import tone
from reviews.management.commands._jsonl import LineError, jsonl_finish, jsonl_run


def _check(item: dict[str, Any]) -> dict[str, Any]:
    text = item.get("text")
    if not isinstance(text, str):
        raise LineError('"text" is required and must be a string')
    lang = item.get("lang")
    if lang not in (None, "id", "en"):
        raise LineError('"lang" must be "id", "en" or null')
    channel = item.get("channel")
    if channel is not None and not isinstance(channel, str):
        raise LineError('"channel" must be a string')
    after = item.get("after_resolution", False)
    if not isinstance(after, bool):
        raise LineError('"after_resolution" must be true or false')
    return tone.check(text, lang=lang, channel=channel, after_resolution=after).as_dict()


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "Check the tone of replies (one JSON object per line on stdin with --jsonl)."

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="*", help="Texts to check (without --jsonl).")
        parser.add_argument("--jsonl", action="store_true", help="Read JSON lines from stdin.")

    def handle(self, *args, **options):
        if options["jsonl"]:
            stdin = options.get("stdin") or sys.stdin
            _answered, failed = jsonl_run(stdin, self.stdout, _check)
            jsonl_finish(failed)
            return
        if not options["text"]:
            raise CommandError("Give a text to check, or use --jsonl with lines on stdin.")
        for text in options["text"]:
            verdict = tone.check(text)
            self.stdout.write(f"{verdict.verdict} ({verdict.score:.2f}): {text}")
            for f in verdict.findings:
                self.stdout.write(
                    f"  {f.category} [{f.start}:{f.end}] {text[f.start : f.end]!r}: {f.explanation}"
                )
