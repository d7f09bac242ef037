"""The layout's links and files: the addresses `{% url %}` and `{% static %}` give.

Every page's layout names the same dozen pages and five files, whoever reads it; reversing
the names and looking up the files' hashed names cost about 0.5 ms a page. An address
depends only on what the key holds (the URL configuration, the script prefix and the
language; the static files' storage and URL), none of which a request changes, so each is
worked out once a process and every page after the first reads it.
"""

import functools

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

register = template.Library()


@functools.lru_cache(maxsize=256)
def _reversed(name, urlconf, prefix, language):
    return reverse(name, urlconf=urlconf)


@functools.lru_cache(maxsize=64)
def _static(path, storage, static_url):
    return static(path)


@register.simple_tag
def layout_url(name):
    """`{% url name %}` for a page the layout links to (a name without arguments)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(name, urlconf, get_script_prefix(), translation.get_language())


@register.simple_tag
def layout_static(path):
    """`{% static path %}` for a file every page loads."""
    return _static(path, settings.STORAGES["staticfiles"]["BACKEND"], settings.STATIC_URL)
