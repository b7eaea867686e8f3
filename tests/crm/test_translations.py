"""Indonesian is the default language: every string the code shows must be translated.

The first test reads the committed catalogue; the second extracts the strings of the code
again (Django's makemessages, in a copy of the project) and compares, so a string added to a
template or a view without running `make messages` fails here, naming the string.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ("crm", "customers", "reviews", "followups", "stock", "imports", "insights", "audit")

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext (xgettext, msgfmt) is not installed: apt-get install gettext",
)


def _entries(po: str) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) -> msgstr (the first form for plurals) of a .po file's live entries."""
    entries: dict[tuple[str, str], str] = {}
    for block in re.split(r"\n\s*\n", po):
        if block.lstrip().startswith("#~"):
            continue
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?)\s+"(.*)"$', line)
            if match:
                current = match.group(1).replace("[0]", "")
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
            elif line.startswith("msgstr["):
                current = None
        if fields.get("msgid"):
            entries[(fields.get("msgctxt", ""), fields["msgid"])] = fields.get("msgstr", "")
    return entries


def test_every_message_in_the_catalogue_has_an_indonesian_translation():
    po = CATALOGUE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in po.split("\n\n", 1)[1], "fuzzy entries are not used by gettext"
    missing = [msgid for (_ctx, msgid), msgstr in _entries(po).items() if not msgstr]
    assert not missing, f"{len(missing)} strings without Indonesian: {missing[:10]}"


@needs_gettext
@pytest.mark.slow
def test_every_string_of_the_code_is_in_the_catalogue(tmp_path):
    copy = tmp_path / "rawat"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations", "*.mo")
    for name in (*SOURCE_DIRS, "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale" / "id" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-location", "-v", "0"],
        cwd=copy,
        check=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy)},
        timeout=300,
    )
    extracted = _entries((copy / "locale/id/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    committed = _entries(CATALOGUE.read_text(encoding="utf-8"))
    new = sorted(msgid for key, msgid in ((k, k[1]) for k in extracted) if key not in committed)
    assert not new, (
        f"{len(new)} strings of the code are not in locale/id (run `make messages` and "
        f"translate them): {new[:10]}"
    )
