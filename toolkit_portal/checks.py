"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def client_address_behind_a_proxy(app_configs, **kwargs):
    """Behind a TLS proxy, the sign-in limits must know where a visitor's own address is:
    with neither setting, every visitor has the proxy's address and shares one count."""
    if (
        settings.SECURE_PROXY_SSL_HEADER
        and not settings.ALLAUTH_TRUSTED_PROXY_COUNT
        and not settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    ):
        return [
            Warning(
                "Behind a TLS proxy, but TRUSTED_PROXY_COUNT is 0 and TRUSTED_CLIENT_IP_HEADER "
                "is empty: the per-client sign-in limit counts every visitor as one.",
                hint="Set TRUSTED_PROXY_COUNT to the number of your proxies that add to "
                "X-Forwarded-For (1 behind one), or TRUSTED_CLIENT_IP_HEADER to the header "
                "your proxy sets; or BEHIND_TLS_PROXY=false when there is no proxy.",
                id="portal.W001",
            )
        ]
    return []


LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


@register(Tags.caches, deploy=True)
def shared_by_every_web_machine(app_configs, **kwargs):
    """What one request needs must be found by whichever web machine answers the next: the
    cache (sign-in limits and throttles live there) and the sessions."""
    errors = []
    if settings.CACHES["default"]["BACKEND"] in LOCAL_CACHES:
        errors.append(
            Error(
                "The cache is local to this machine: each web machine would count sign-in "
                "failures and rate limits on its own.",
                hint="Set REDIS_URL (production uses Redis for the cache).",
                id="portal.E002",
            )
        )
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    ):
        errors.append(
            Error(
                "Sessions are not kept in the database or the shared cache: a session begun "
                "on one web machine would not be known to another.",
                id="portal.E003",
            )
        )
    return errors


@register(Tags.staticfiles)
def trimmed_bootstrap_built(app_configs, **kwargs):
    """Every page links the Bootstrap CSS trimmed at install time (`make css`); without it,
    collectstatic leaves it out and, under production's manifest storage, every page fails."""
    from django.contrib.staticfiles import finders

    if finders.find("css/bootstrap.trimmed.css"):
        return []
    return [
        Warning(
            "build/static/css/bootstrap.trimmed.css is missing: pages link a style sheet "
            "that is not there.",
            hint="Run `make css` (PurgeCSS from npm over the templates) before collectstatic.",
            id="portal.W002",
        )
    ]
