"""The layout's links and files are the addresses `{% url %}` and `{% static %}` give."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.test import override_settings
from django.urls import set_script_prefix

BASE = Path(settings.BASE_DIR) / "templates" / "base.html"


def _layout_names(tag):
    return sorted(set(re.findall("{% " + tag + r" '([^']+)' %}", BASE.read_text())))


def _render(source):
    return Template("{% load layout static %}" + source).render(Context())


def test_every_link_of_the_layout_is_the_reversed_address():
    names = _layout_names("layout_url")
    assert "home" in names and "survivors:directory" in names
    for name in names:
        assert _render(f"{{% layout_url '{name}' %}}") == _render(f"{{% url '{name}' %}}")


def test_every_file_of_the_layout_is_the_static_address():
    paths = _layout_names("layout_static")
    assert "css/portal.css" in paths
    for path in paths:
        assert _render(f"{{% layout_static '{path}' %}}") == _render(f"{{% static '{path}' %}}")


def test_the_addresses_follow_the_script_prefix_and_the_static_url():
    try:
        set_script_prefix("/portal/")
        assert _render("{% layout_url 'home' %}") == "/portal/"
    finally:
        set_script_prefix("/")
    assert _render("{% layout_url 'home' %}") == "/"
    with override_settings(STATIC_URL="/files/"):
        assert _render("{% layout_static 'css/portal.css' %}") == "/files/css/portal.css"
