"""The Django admin, as the admin persona, checked with axe-core (WCAG 2.2 A and AA).

With the demo data loaded, the browser visits the admin index and, for every model
registered in `admin.site`: its changelist, its add page (when the admin may add), one
change page and its history (when a row exists) and the add page sent with its fields
emptied (the error state). axe runs on each page at 320 x 640 CSS px, and no page may be
wider than the window
(WCAG 1.4.10): a wide changelist or inline table scrolls inside its own box instead.

One browser context carries a session made on the server, as `tests/auth.py` signs in the
test client; each page is visited once.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.auth import mfa_login
from tests.browser.conftest import STEP_TIMEOUT_MS, axe_violations, describe_violations
from tests.browser.test_accessibility_sweep import SEND_EMPTIED_FORM, WIDEST

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}

# The admin's add and change forms: Django renders them as `<form id="<model>_form">`.
ADMIN_FORM = "#content-main form[method=post]"
SEND_ADMIN_FORM_EMPTIED = SEND_EMPTIED_FORM.replace(
    'document.querySelectorAll("main form[method=post]")[index]',
    f'document.querySelector("{ADMIN_FORM}")',
)


def _admin_pages(user):
    """(what, url) of every admin page to check, model by model."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    yield "index", reverse("admin:index")
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        label, info = model._meta.label, (model._meta.app_label, model._meta.model_name)
        yield f"{label} list", reverse("admin:{}_{}_changelist".format(*info))
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            yield f"{label} change", reverse("admin:{}_{}_change".format(*info), args=[row.pk])
            yield f"{label} history", reverse("admin:{}_{}_history".format(*info), args=[row.pk])
        if model_admin.has_add_permission(request):
            add = reverse("admin:{}_{}_add".format(*info))
            yield f"{label} add", add
            yield f"{label} add sent empty", add


def test_every_admin_page_as_the_admin(
    transactional_db, browser, live_server, admin_user, settings
):
    from toolkit_portal.demo import load_demo

    # Django's ForeignKeyRawIdWidget reads the row it shows with its own `.get()`: a change
    # page with two raw-id fields to users, or an inline of board members each with a raw-id
    # consultant, makes one query per field.
    settings.ZEAL_ALLOWLIST = [
        *settings.ZEAL_ALLOWLIST,
        {"model": "toolkit_portal.User", "field": "get()"},
        {"model": "survivors.ConsultantProfile", "field": "get()"},
    ]
    # A running server has the content types cached after its first pages; emptying the
    # tables between tests empties that cache, and each model's first look-up is a `.get()`.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())

    load_demo()
    client = mfa_login(Client(), admin_user)
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()

    checked, failures, errors_shown, rules_run = [], [], 0, set()
    try:
        previous = None
        for what, url in _admin_pages(admin_user):
            if what.endswith("sent empty"):
                if previous != url:
                    continue
                with page.expect_navigation():
                    page.evaluate(SEND_ADMIN_FORM_EMPTIED, 0)
                page.wait_for_load_state("load")
                errors_shown += page.locator("#content-main .errorlist").count() > 0
            else:
                response = page.goto(url)
                if response.status != 200:
                    failures.append(f"[{what}] {url} answered {response.status}")
                    previous = None
                    continue
            previous = url
            checked.append(what)
            # static/js/admin-a11y.js names fields and scroll regions once the page has loaded.
            page.locator("html[data-admin-a11y=ready]").wait_for(state="attached")
            found, rules = axe_violations(page)
            rules_run |= rules
            if found:
                failures.append(f"[{what}] " + describe_violations(page.url, found))
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                failures.append(f"[{what}] {url} is {width} px wide: {page.evaluate(WIDEST)}")
    finally:
        context.close()

    assert "target-size" in rules_run, sorted(rules_run)
    assert not failures, f"{len(failures)} failure(s) on {len(checked)} pages:\n\n" + "\n\n".join(
        failures
    )
    assert errors_shown, "No add page sent empty showed its errors"
    lists = [what for what in checked if what.endswith(" list")]
    assert len(lists) == len(admin.site._registry), lists
