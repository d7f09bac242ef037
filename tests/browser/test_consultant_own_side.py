"""A consultant on a phone (390 px wide): her own load on the dashboard, her board seat's
page, and a recommendation sent without her name, clicking by the labels she reads."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from survivors.models import ParticipationRequest, Recommendation, month_bounds
from tests.browser.conftest import PHONE, check_accessibility, sign_in_with_password
from tests.partnerships.factories import BoardFactory, BoardMemberFactory
from tests.survivors.factories import (
    ConsultantProfileFactory,
    EngagementFactory,
    ParticipationRequestFactory,
)

pytestmark = pytest.mark.browser


def test_consultant_on_a_phone_sees_her_load_her_seat_and_sends_an_anonymous_recommendation(
    page, live_server, recorder, partnership_x
):
    partnership_x.is_listed = True
    partnership_x.save()
    profile = ConsultantProfileFactory(display_name="River", monthly_capacity=3)
    starts_at = timezone.make_aware(
        datetime.combine(month_bounds(timezone.localdate())[0], time(12))
    )
    ParticipationRequestFactory(
        consultant=profile,
        status=ParticipationRequest.Status.ACCEPTED,
        engagement=EngagementFactory(
            partnership=partnership_x,
            starts_at=starts_at,
            response_deadline=starts_at - timedelta(days=1),
        ),
    )
    board = BoardFactory(
        partnership=partnership_x,
        name="Survivor Voices Board",
        purpose="Advise the task force on how services feel from the inside.",
    )
    BoardMemberFactory(board=board, consultant=profile)

    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    sign_in_with_password(page, profile.user.email)

    expect(page.get_by_role("heading", name="Your load")).to_be_visible()
    expect(page.get_by_text("1 of 3 this month")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Survivor Voices Board").click()
    expect(
        page.get_by_role("heading", name="Your seat on Survivor Voices Board", level=1)
    ).to_be_visible()
    expect(page.get_by_text("how services feel from the inside")).to_be_visible()
    expect(page.get_by_role("heading", name="Your term")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Record a recommendation of your own").click()
    expect(page.get_by_role("heading", name="Record a recommendation")).to_be_visible()
    page.get_by_label("Partnership").select_option(label="Partnership X")
    page.get_by_label("Your recommendation").fill("Offer childcare at every meeting.")
    page.get_by_label("Send without my name").check()
    check_accessibility(page)
    page.get_by_role("button", name="Send recommendation").click()

    expect(page.get_by_text("Your recommendation is recorded.")).to_be_visible()
    expect(page.get_by_text("Sent without your name")).to_be_visible()
    check_accessibility(page)
    recommendation = Recommendation.objects.get()
    assert recommendation.is_anonymous and recommendation.consultant == profile
    assert recorder.page_errors == []
