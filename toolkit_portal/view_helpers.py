"""Small helpers every app's views share: pagination, the coordinator's scoping, and the two
shapes of a change: a form page (validate → call a service → show its error on the form or a
message → redirect) and a button (call a service → show its error or a message → redirect).
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .errors import DomainError


def page_of(request, queryset, size=None):
    """The numbered page of `queryset` the request asks for: `size` rows, by default
    settings.PAGE_SIZE."""
    return Paginator(queryset, size or settings.PAGE_SIZE).get_page(request.GET.get("page"))


def uuid_or_none(value):
    """The UUID an address or a form names, or None for anything that is not one."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def pk_url(url_name):
    """A function giving the `url_name` page of a pk (a UUID).

    The address is reversed once, for a placeholder, and each pk put in its place: a
    hundred `reverse()` calls cost about as much as the rest of a list's rows.
    """
    placeholder = uuid.UUID(int=0)
    before, after = reverse(url_name, kwargs={"pk": placeholder}).split(str(placeholder))
    return lambda pk: f"{before}{pk}{after}"


def coordinated_or_404(request, queryset, **lookup):
    """The one row of `queryset` (a manager or queryset with `coordinated_by`) that the user
    coordinates; 404 for anyone else."""
    return get_object_or_404(queryset.coordinated_by(request.user), **lookup)


def fields(form):
    return dict(form.cleaned_data)


def _said(message, result):
    return message(result) if callable(message) else message


def run_form(
    request,
    form,
    action,
    *,
    success_message,
    redirect_to,
    template=None,
    context=None,
    error_field=None,
    warning=None,
    more_forms=(),
    page=None,
    invalid_status=200,
):
    """A form page. On a POST where `form` (and every one of `more_forms`, which the page shows
    through `context`) is valid, `action(form)` calls the service: its DomainError shows on
    the form (on `error_field`, or above the fields), else `success_message` is shown (text,
    or a callable given what the action returned), then `warning(result)` if it gives a text,
    and the browser goes to `redirect_to` (anything `redirect()` takes, or a callable given
    what the action returned). Otherwise the page is rendered with `context` and the form,
    with `invalid_status` after a POST.

    A page that draws itself (several forms on one page, a refusal shown above them all) passes
    `page(form, error)` instead of a template: `error` is the refusal's text, or None."""
    if (
        request.method == "POST"
        and form.is_valid()
        and all([other.is_valid() for other in more_forms])
    ):
        try:
            result = action(form)
        except DomainError as error:
            if page is not None:
                return page(form, str(error))
            form.add_error(error_field, str(error))
        else:
            messages.success(request, _said(success_message, result))
            if warning and (caveat := warning(result)):
                messages.warning(request, caveat)
            return redirect(_said(redirect_to, result))
    if page is not None:
        return page(form, None)
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, {**(context or {}), "form": form}, status=status)


def run_action(
    request,
    action,
    *,
    success_message,
    redirect_to,
    form=None,
    template=None,
    context=None,
):
    """A button that changes one thing and answers with a message. On a POST (once `form`, if
    given, is valid) `action()` calls the service: its DomainError shows as an error message,
    else `success_message` (text, or a callable given what the action returned). An invalid
    `form` changes nothing and shows its `invalid_message`, else its errors.
    Either way the browser goes to `redirect_to`. A GET renders `template` with `context`:
    the page that asks to confirm, for actions that have one (the others are POST only)."""
    if template is not None and request.method != "POST":
        return render(request, template, context or {})
    if form is not None and not form.is_valid():
        messages.error(request, _refused(form))
    else:
        try:
            result = action()
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _said(success_message, result))
    return redirect(redirect_to)


def _refused(form):
    """What a button's refused form says. The page it was posted from shows no field errors, so
    a form may name what it needs in one sentence, its `invalid_message`."""
    message = getattr(form, "invalid_message", None)
    return message or " ".join(str(error) for errors in form.errors.values() for error in errors)
