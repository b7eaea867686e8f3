"""A test email backend: one file per message, written atomically, optionally slowly."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class FilePerMessageBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        directory = Path(settings.EMAIL_FILE_PATH)
        delay = float(os.environ.get("FOLLOWUPS_TEST_SEND_DELAY", "0"))
        for message in email_messages:
            if delay:
                time.sleep(delay)
            followup = message.extra_headers.get("X-Rawat-FollowUp", "none")
            name = f"{followup}-{uuid.uuid4().hex}.eml"
            temporary = directory / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes())
            os.replace(temporary, directory / name)  # a message file exists whole or not at all
        return len(email_messages)
