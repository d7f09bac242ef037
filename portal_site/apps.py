from django.apps import AppConfig


class PortalSiteConfig(AppConfig):
    """The shell is an app only so that its management commands (load_demo, seed_scale) are
    found. It has no models."""

    name = "portal_site"
    verbose_name = "Portal site"  # never shown: the shell has no models
