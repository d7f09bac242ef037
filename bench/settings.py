"""The production settings, with the benchmark's reference views mounted.

Used only by `make bench` and `make load` (DJANGO_SETTINGS_MODULE=bench.settings): the
project's own settings and URLs never include the bench views.
"""

from portal_site.settings import *  # noqa: F403
from portal_site.settings import VAR_DIR

ROOT_URLCONF = "bench.urls"
# Collected apart from a real deployment's static files.
STATIC_ROOT = VAR_DIR / "bench-static"
# Request lines would cost as much as the pages measured.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
