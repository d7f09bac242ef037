"""The Django admin, as the admin persona, checked with axe-core (WCAG 2.2 A and AA, and
axe's best practices).

With the demo data loaded, the browser visits the admin index and, for every model
registered in `admin.site`: its changelist, its add page (when the admin may add), one
change page and its delete confirmation (when a row exists) and the add page sent with its
fields emptied (the error state); one history page (the same template for every model).
axe runs on each page at 320 x 640 CSS px, and no page may be wider than the window
(WCAG 1.4.10): a wide changelist or inline table scrolls inside its own box instead. A
second pass opens the index and every list on an empty database (only the admin's own
account) at 1280 x 800.

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
DESKTOP = {"width": 1280, "height": 800}

# Django's delete confirmation lists every row the deletion would take with it by its label,
# and its collector reads each row's related rows for that label one query at a time. Allowed
# on the delete confirmations only.
DELETE_CONFIRMATION_LOOKUPS = [
    {"model": "assessment.Answer", "field": "item"},
    {"model": "survivors.BoardMember", "field": "consultant"},
    {"model": "assessment.AssessmentRound", "field": "partnership"},
    {"model": "survivors.ParticipationRequest", "field": "consultant"},
    # An engagement's requests are labelled with their engagement (the row is chosen by the
    # lowest UUID: some runs pick an engagement with several requests).
    {"model": "survivors.ParticipationRequest", "field": "engagement"},
    {"model": "survivors.Compensation", "field": "request"},
    {"model": "assessment.Rater", "field": "user"},
    # AnswerAdmin asks, for each answer listed, whether its round is closed.
    {"model": "assessment.Rater", "field": "round"},
]

# The admin's add and change forms: Django renders them as `<form id="<model>_form">`.
ADMIN_FORM = "#content-main form[method=post]"
SEND_ADMIN_FORM_EMPTIED = SEND_EMPTIED_FORM.replace(
    'document.querySelectorAll("main form[method=post]")[index]',
    f'document.querySelector("{ADMIN_FORM}")',
)


def _admin_pages(user):
    """(what, url) of every admin page to check, model by model. Every model's history page is
    the same template over the same audit rows: the first model with a row stands for all."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    history_checked = False
    yield "index", reverse("admin:index")
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        label, info = model._meta.label, (model._meta.app_label, model._meta.model_name)
        yield f"{label} list", reverse("admin:{}_{}_changelist".format(*info))
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            yield f"{label} change", reverse("admin:{}_{}_change".format(*info), args=[row.pk])
            if not history_checked:
                history = reverse("admin:{}_{}_history".format(*info), args=[row.pk])
                yield f"{label} history", history
                history_checked = True
            if model_admin.has_delete_permission(request, row):
                delete = reverse("admin:{}_{}_delete".format(*info), args=[row.pk])
                yield f"{label} delete confirmation", delete
        if model_admin.has_add_permission(request):
            add = reverse("admin:{}_{}_add".format(*info))
            yield f"{label} add", add
            yield f"{label} add sent empty", add


def _signed_in_page(browser, live_server, admin_user, settings, viewport):
    client = mfa_login(Client(), admin_user)
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=viewport)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _sweep(page, pages, viewport):
    """Visit each page (or send the add form before it emptied), run axe and measure the
    width. Returns what was checked, the failures, how many sent forms showed errors and
    which axe rules ran."""
    checked, failures, errors_shown, rules_run = [], [], 0, set()
    previous = None
    for what, url in pages:
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
        if width > viewport["width"]:
            failures.append(f"[{what}] {url} is {width} px wide: {page.evaluate(WIDEST)}")
    return checked, failures, errors_shown, rules_run


def _fresh_content_types():
    # A running server has the content types cached after its first pages; emptying the
    # tables between tests empties that cache, and each model's first look-up is a `.get()`.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


def _report(checked, failures):
    return f"{len(failures)} failure(s) on {len(checked)} pages:\n\n" + "\n\n".join(failures)


def test_every_admin_page_as_the_admin(
    transactional_db, browser, live_server, admin_user, settings
):
    """The demo data, on a phone: every list, change, history, delete confirmation and add
    page, and each add form sent empty."""
    from portal_site.demo import load_demo

    settings.ZEAL_ALLOWLIST = [
        *settings.ZEAL_ALLOWLIST,
        # Django's ForeignKeyRawIdWidget reads the row it shows with its own `.get()`: a
        # change page with two raw-id fields to users, or an inline of board members each
        # with a raw-id consultant, makes one query per field.
        {"model": "toolkit_portal.User", "field": "get()"},
        {"model": "survivors.ConsultantProfile", "field": "get()"},
    ]
    _fresh_content_types()
    load_demo()
    pages = list(_admin_pages(admin_user))
    deletes = [(what, url) for what, url in pages if what.endswith("delete confirmation")]
    context, page = _signed_in_page(browser, live_server, admin_user, settings, PHONE)
    try:
        checked, failures, errors_shown, rules_run = _sweep(
            page, [entry for entry in pages if entry not in deletes], PHONE
        )
        settings.ZEAL_ALLOWLIST = [*settings.ZEAL_ALLOWLIST, *DELETE_CONFIRMATION_LOOKUPS]
        more_checked, more_failures, _shown, _rules = _sweep(page, deletes, PHONE)
        checked, failures = checked + more_checked, failures + more_failures
    finally:
        context.close()

    assert "target-size" in rules_run, sorted(rules_run)
    assert not failures, _report(checked, failures)
    assert errors_shown, "No add page sent empty showed its errors"
    lists = [what for what in checked if what.endswith(" list")]
    assert len(lists) == len(admin.site._registry), lists
    assert any(what.endswith("delete confirmation") for what in checked), checked


def test_every_admin_page_empty_on_a_desktop(
    transactional_db, browser, live_server, admin_user, settings
):
    """A new installation on a desktop screen: the index and every list, empty but for the
    admin's own account. (The add pages are the same in both states; the phone pass has them
    and their errors.)"""
    _fresh_content_types()
    pages = [
        (what, url)
        for what, url in _admin_pages(admin_user)
        if what == "index" or what.endswith(" list")
    ]
    context, page = _signed_in_page(browser, live_server, admin_user, settings, DESKTOP)
    try:
        checked, failures, _errors_shown, _rules = _sweep(page, pages, DESKTOP)
    finally:
        context.close()

    assert not failures, _report(checked, failures)
    lists = [what for what in checked if what.endswith(" list")]
    assert len(lists) == len(admin.site._registry), lists
