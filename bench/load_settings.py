"""Settings for the load benchmark's gunicorn and qcluster: production settings (crm.settings,
DEBUG off) plus collected static files in a temporary STATIC_ROOT (bench/load_bench.py runs
collectstatic there, so WhiteNoise serves the manifest as in production)."""

import os
from pathlib import Path

from crm.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
