"""After "Leave this site", Back shows no portal page with the person's details, however
many pages were visited: the quick exit ends the session on its way out (static/js/
quick-exit.js posts to /quick-exit/), signed-in pages are never stored (Cache-Control:
no-store), so every portal page Back reaches is fetched again and shows the sign-in page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from survivors.models import Compensation, ParticipationRequest
from tests.browser.conftest import sign_in_with_password
from tests.survivors.factories import (
    ConsultantProfileFactory,
    EngagementFactory,
    ParticipationRequestFactory,
)

pytestmark = pytest.mark.browser

NAME = "Rosa Quintana"
OWED = "987.65"


@pytest.fixture
def exit_url(settings, live_server):
    # No internet here: the "neutral site" is a page of the live server itself.
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return settings.QUICK_EXIT_URL


def _personal(page):
    # The text on screen and what the form fields hold (the profile's name is in one).
    text = page.evaluate(
        """() => document.body ? document.body.innerText + " " + Array.from(
            document.querySelectorAll("input, textarea"), (field) => field.value).join(" ")
            : "" """
    )
    return [secret for secret in (NAME, OWED, "Panel on outreach") if secret in text]


def test_back_after_leave_this_site_shows_nothing_personal(
    page, live_server, exit_url, partnership_x, recorder
):
    profile = ConsultantProfileFactory(display_name=NAME)
    done = ParticipationRequestFactory(
        consultant=profile,
        engagement=EngagementFactory(partnership=partnership_x, title="Panel on outreach"),
        status=ParticipationRequest.Status.COMPLETED,
    )
    Compensation.objects.create(
        request=done,
        partnership=partnership_x,
        consultant=profile,
        fee=Decimal(OWED),
        amount=Decimal(OWED),
        due_on=timezone.localdate() - timedelta(days=2),
    )
    page.goto("/accounts/login/")
    sign_in_with_password(page, profile.user.email)
    expect(page.get_by_role("heading", name=f"Welcome, {NAME}")).to_be_visible()
    visited = ["/", "/me/requests/", "/me/compensation/", "/me/profile/"]
    for address in visited:
        page.goto(address)
        assert page.url == f"{live_server.url}{address}"
    page.goto("/me/compensation/")
    assert OWED in page.inner_text("body")  # what Back must not show again
    page.goto("/me/profile/")
    assert _personal(page), "the journey shows personal details before leaving"

    page.get_by_role("link", name="Leave this site").click()
    expect(page).to_have_url(exit_url)

    reached = []
    for _ in range(len(visited) + 4):
        if page.go_back(wait_until="load") is None and page.url in reached[-1:]:
            break
        page.wait_for_load_state("load")
        reached.append(page.url)
        assert _personal(page) == [], f"Back reached {page.url} with personal details"
    # Back went through the portal's addresses and found only the sign-in page there.
    portal = [url for url in reached if url.startswith(live_server.url)]
    assert len(portal) >= 4, reached
    assert any("/accounts/login/" in url for url in portal), reached
    assert recorder.csp_violations == [] and recorder.page_errors == []
