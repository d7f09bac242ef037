from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSiteConfig(AppConfig):
    """The shell is an app only so that its management commands (load_demo, seed_scale) are
    found. It has no models."""

    name = "portal_site"
    verbose_name = _("Portal site")
