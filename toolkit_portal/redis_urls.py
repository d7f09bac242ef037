"""One Redis, two spellings: kombu (the Celery broker) and redis-py (the cache, the worker's
watchdog) name a unix socket differently."""

KOMBU_SOCKET = "redis+socket://"


def is_redis(url):
    """Whether a broker URL points at Redis, over TCP, TLS or a unix socket."""
    return url.startswith(("redis://", "rediss://", KOMBU_SOCKET))


def for_redis_py(url):
    """The URL redis-py understands: kombu's "redis+socket:///path" is "unix:///path"."""
    if url.startswith(KOMBU_SOCKET):
        return "unix://" + url.removeprefix(KOMBU_SOCKET)
    return url
