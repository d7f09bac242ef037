"""Words that explain: why a second factor or a re-authentication is
asked, what a POST-only address says when it is opened as a link, no doubled full stop after
a name ending in one, and the date compensation is due named in the message."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from tests.auth import mfa_login
from toolkit_portal.plain_text import before_stop


def test_a_form_only_address_sends_a_visitor_to_sign_in(engagement):
    url = reverse("survivors:engagement-invite", kwargs={"pk": engagement.pk})
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?{urlencode({'next': url})}"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This address only takes a form"), ("es", "Esta dirección solo recibe un formulario")],
)
def test_a_form_only_address_explains_itself_to_someone_signed_in(
    engagement, coordinator, language, heading
):
    coordinator.language = language
    coordinator.save()
    client = Client()
    mfa_login(client, coordinator)
    response = client.get(reverse("survivors:engagement-invite", kwargs={"pk": engagement.pk}))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'href="/"' in page  # a way back


@pytest.mark.parametrize(
    ("language", "why"),
    [
        ("en", "Confirm it is you, so that no one else at a device left signed in"),
        ("es", "Confirme que es usted, para que nadie más pueda hacerlo"),
    ],
)
def test_reauthentication_says_why(coordinator, language, why):
    coordinator.language = language
    coordinator.save()
    client = Client()
    mfa_login(client, coordinator)
    page = client.get(reverse("account_reauthenticate")).content.decode()
    assert why in " ".join(page.split())


def test_the_second_factor_says_why(coordinator):
    from tests.toolkit_portal.factories import PASSWORD

    client = Client()
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "a password alone is not enough" in " ".join(page.split())


def test_no_doubled_full_stop_after_a_name():
    assert before_stop("Acme Inc.") + "." == "Acme Inc."
    assert before_stop("River") + "." == "River."
    assert before_stop("Wait...") == "Wait..."
