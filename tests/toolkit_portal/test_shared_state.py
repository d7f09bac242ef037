"""What one request leaves behind is found by whichever web machine answers the next: the
cache (sign-in limits, rate limits) and the sessions are shared; `check --deploy` says so when
they are not. `make cluster` (tests/cluster) shows a session and the sign-in limit moving
between two real web machines."""

from toolkit_portal.checks import shared_by_every_web_machine

REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


def _ids(settings):
    return [message.id for message in shared_by_every_web_machine(None)]


def test_a_shared_cache_and_database_sessions_pass(settings):
    settings.CACHES = REDIS_CACHE
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert _ids(settings) == []


def test_a_cache_local_to_one_machine_is_an_error(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert _ids(settings) == ["portal.E002"]


def test_sessions_in_files_or_only_in_memory_are_an_error(settings):
    settings.CACHES = REDIS_CACHE
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.file"
    assert _ids(settings) == ["portal.E003"]
