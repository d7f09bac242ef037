"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
