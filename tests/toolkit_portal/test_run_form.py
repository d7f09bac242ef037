"""The form-page shape: a page that draws itself gets the form and the refusal's text, and a
refused POST can be answered with another status."""

from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from toolkit_portal import view_helpers
from toolkit_portal.errors import DomainError
from toolkit_portal.view_helpers import run_form


class NoteForm(forms.Form):
    note = forms.CharField()


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request._messages = CookieStorage(request)
    return request


def _refuse(form):
    raise DomainError("Not now: the deadline has passed.")


def test_a_page_that_draws_itself_gets_the_refusal_beside_the_form():
    drawn = []
    run_form(
        _request(data={"note": "Hello"}),
        NoteForm({"note": "Hello"}),
        _refuse,
        success_message="Done.",
        redirect_to="/next/",
        page=lambda form, error: drawn.append((form, error)) or "the page",
    )
    [(form, error)] = drawn
    assert error == "Not now: the deadline has passed."
    assert form.errors == {}  # the page shows the refusal where it shows it, not on the form


def test_a_page_that_draws_itself_gets_an_invalid_form_without_a_refusal():
    drawn = []
    answer = run_form(
        _request(),
        NoteForm({}),
        _refuse,
        success_message="Done.",
        redirect_to="/next/",
        page=lambda form, error: drawn.append((form, error)) or "the page",
    )
    assert answer == "the page"
    [(form, error)] = drawn
    assert error is None and "note" in form.errors


def test_a_refused_post_can_answer_with_another_status(monkeypatch):
    statuses = []
    monkeypatch.setattr(
        view_helpers,
        "render",
        lambda request, template, context, status: statuses.append(status),
    )
    for method, data in [("post", {"note": "Hello"}), ("get", None)]:
        run_form(
            _request(method, data),
            NoteForm(data),
            _refuse,
            success_message="Done.",
            redirect_to="/next/",
            template="any.html",
            invalid_status=400,
        )
    assert statuses == [400, 200]


def test_a_done_form_says_the_message_made_from_the_result_and_goes_on():
    request = _request(data={"note": "Hello"})
    response = run_form(
        request,
        NoteForm({"note": "Hello"}),
        lambda form: form.cleaned_data["note"],
        success_message=lambda note: f"Saved: {note}.",
        redirect_to=lambda note: f"/notes/{note}/",
        page=lambda form, error: "the page",
    )
    assert response.status_code == 302 and response.url == "/notes/Hello/"
    assert [m.message for m in request._messages] == ["Saved: Hello."]
