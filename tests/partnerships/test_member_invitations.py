"""An invitation to join as a member speaks of a member: its email, the page its link opens
and the word after joining say nothing of coordinating or of a coordinator's approval, in
English or Spanish. An invitation to coordinate still says that approval follows."""

import pytest
from django.conf import settings
from django.core import mail

from partnerships import services
from partnerships.models import Membership
from tests.auth import mfa_login
from tests.toolkit_portal.factories import CoordinatorFactory, PendingCoordinatorFactory

from .factories import InvitationFactory

COORDINATOR_WORDS = {
    "en": ("coordinat", "approv"),
    "es": ("coordina", "aprob", "aprueb"),
}


def _speaks_of_coordinating(text, language):
    return [word for word in COORDINATOR_WORDS[language] if word in text.lower()]


def _member_invitation(partnership, **fields):
    return InvitationFactory(partnership=partnership, role=Membership.Role.MEMBER, **fields)


def _email_body(invitation, language):
    invitation.invited_by.language = language
    invitation.invited_by.save(update_fields=["language"])
    services.send_invitation_email(invitation.pk)
    message = mail.outbox[-1]
    # The last line signs off with the portal's name ("Task Force Partnership Portal").
    return message.subject, message.body.rsplit("\n\n", 1)[0]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_member_invitation_email_says_nothing_of_coordinator_approval(
    coordinator, partnership_x, language
):
    invitation = _member_invitation(partnership_x, invited_by=coordinator)
    subject, body = _email_body(invitation, language)
    assert _speaks_of_coordinating(subject + body, language) == []
    assert ("as a member" if language == "en" else "como miembro") in body
    assert f" {settings.PARTNERSHIP_INVITATION_DAYS} " in body  # how long the link works


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_coordinator_invitation_email_still_says_approval_follows(
    coordinator, partnership_x, language
):
    invitation = InvitationFactory(partnership=partnership_x, invited_by=coordinator)
    subject, body = _email_body(invitation, language)
    assert ("approval" if language == "en" else "aprobación") in body


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_member_invitation_page_says_nothing_of_coordinator_approval(
    client, partnership_x, language
):
    invitation = _member_invitation(partnership_x)
    client.cookies["django_language"] = language
    page = client.get(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    main = text[text.index("<main") : text.index("</main>")]
    assert ("as a member" if language == "en" else "como miembro") in main
    assert _speaks_of_coordinating(main, language) == []


def test_a_member_joins_and_is_told_she_is_a_member(client, partnership_x):
    newcomer = PendingCoordinatorFactory(email="member@example.org")
    invitation = _member_invitation(partnership_x, email=newcomer.email)
    client.force_login(newcomer)
    response = client.post(invitation.get_absolute_url(), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert message == "You are now a member of this partnership."
    assert partnership_x.memberships.filter(user=newcomer, role=Membership.Role.MEMBER).exists()


def test_an_approved_member_joins_and_lands_on_the_partnership(client, partnership_x):
    newcomer = CoordinatorFactory(email="member@example.org")
    invitation = _member_invitation(partnership_x, email=newcomer.email)
    mfa_login(client, newcomer)
    response = client.post(invitation.get_absolute_url())
    assert response.url == partnership_x.get_absolute_url()
    followed = client.get(response.url)
    assert [str(m) for m in followed.context["messages"]] == [
        "You are now a member of this partnership."
    ]
