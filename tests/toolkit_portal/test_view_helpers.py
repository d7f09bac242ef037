"""The button shape every app's views share: a service's refusal as an error message, else the
success message, and the same address either way; an invalid form changes nothing."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from toolkit_portal import view_helpers
from toolkit_portal.errors import DomainError
from toolkit_portal.view_helpers import run_action


class NoteForm(forms.Form):
    note = forms.CharField(error_messages={"required": "Write a note."})


class ButtonNoteForm(NoteForm):
    invalid_message = "Write the note first."


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request._messages = CookieStorage(request)
    return request


def _said(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_a_done_action_says_so_and_goes_on():
    request = _request()
    calls = []
    response = run_action(
        request,
        lambda: calls.append("done") or 3,
        success_message=lambda n: f"{n} done.",
        redirect_to="/next/",
    )
    assert calls == ["done"]
    assert response.status_code == 302 and response.url == "/next/"
    assert _said(request) == [("success", "3 done.")]


def test_a_refusal_is_shown_as_an_error_and_goes_to_the_same_place():
    def refuse():
        raise DomainError("Not now: the deadline has passed.")

    request = _request()
    response = run_action(request, refuse, success_message="Done.", redirect_to="/next/")
    assert response.url == "/next/"
    assert _said(request) == [("error", "Not now: the deadline has passed.")]


def test_an_invalid_form_changes_nothing_and_says_why():
    request = _request()
    calls = []
    response = run_action(
        request,
        lambda: calls.append("done"),
        form=NoteForm({}),
        success_message="Done.",
        redirect_to="/next/",
    )
    assert calls == [] and response.url == "/next/"
    assert _said(request) == [("error", "Write a note.")]

    request = _request()
    run_action(
        request,
        lambda: calls.append("done"),
        form=ButtonNoteForm({}),
        success_message="Done.",
        redirect_to="/next/",
    )
    assert calls == [] and _said(request) == [("error", "Write the note first.")]


def test_a_get_shows_the_page_that_asks_to_confirm(monkeypatch):
    shown = []
    monkeypatch.setattr(
        view_helpers, "render", lambda request, template, context: shown.append((template, context))
    )
    calls = []
    run_action(
        _request("get"),
        lambda: calls.append("done"),
        success_message="Done.",
        redirect_to="/next/",
        template="survivors/engagement_cancel.html",
        context={"engagement": "the engagement"},
    )
    assert calls == []
    assert shown == [("survivors/engagement_cancel.html", {"engagement": "the engagement"})]
