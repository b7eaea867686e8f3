"""Settings for the processes the follow-up integration tests start (qcluster, senders).

The project's settings, plus: every email written to its own file under EMAIL_FILE_PATH (so the
test process can count them), an optional delay per email (to kill a sender mid-batch), and a
cluster name of the test's own so parallel runs never share a Redis queue.
"""

import os

from crm.settings import *  # noqa: F403
from crm.settings import Q_CLUSTER

EMAIL_BACKEND = "tests.followups.mailbackend.FilePerMessageBackend"
EMAIL_FILE_PATH = os.environ["FOLLOWUPS_TEST_MAILDIR"]
Q_CLUSTER = {
    **Q_CLUSTER,
    "name": os.environ.get("FOLLOWUPS_TEST_Q_NAME", "rawat-test"),
    "workers": 1,
    "poll": 0.1,
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
