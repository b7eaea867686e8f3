"""Settings for the processes the fault tests start (qcluster, gunicorn, the tool).

The project's settings, plus: every email written whole to its own file under FAULTS_MAILDIR
(so the test can count deliveries, not statuses), optionally slowly (to kill a sender mid-send),
a cluster name of the test's own, and django-q2's timeout/retry from the environment (the
outage test needs a retry of seconds, not the production 300 s; timeout < retry still holds).
"""

import os

from crm.settings import *  # noqa: F403
from crm.settings import Q_CLUSTER

EMAIL_BACKEND = "tests.followups.mailbackend.FilePerMessageBackend"
EMAIL_FILE_PATH = os.environ["FAULTS_MAILDIR"]
Q_CLUSTER = {
    **Q_CLUSTER,
    "name": os.environ["FAULTS_Q_NAME"],
    "workers": int(os.environ.get("FAULTS_Q_WORKERS", "2")),
    "poll": 0.1,
    "timeout": int(os.environ.get("FAULTS_Q_TIMEOUT", Q_CLUSTER["timeout"])),
    "retry": int(os.environ.get("FAULTS_Q_RETRY", Q_CLUSTER["retry"])),
}
assert Q_CLUSTER["timeout"] < Q_CLUSTER["retry"]
# gunicorn under DEBUG=0 without collectstatic: plain static URLs instead of the manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
