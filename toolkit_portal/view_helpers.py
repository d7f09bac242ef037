"""Small helpers every app's views share: pagination, the coordinator's scoping, and the one
shape of a form page (validate → call a service → show its error or a message → redirect).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from .errors import DomainError

# Page sizes, per list: what each list shows today.
PAGE_SIZE = 25  # partnerships' lists, boards and recommendations, the inbox
SURVIVOR_PAGE_SIZE = 20  # a consultant's own lists, a partnership's consultants
TRAINING_PAGE_SIZE = 20  # the training catalog, session requests, records, growth goals
COVERAGE_PAGE_SIZE = 50  # the statewide coverage table
# The directory, engagement and compensation lists (keyset pages): a coordinator scans these.
LIST_PAGE_SIZE = 100
PROFILE_VIEWS_PAGE_SIZE = 10  # who looked at a consultant's profile


def page_of(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def coordinated_or_404(request, queryset, **lookup):
    """The one row of `queryset` (a manager or queryset with `coordinated_by`) that the user
    coordinates; 404 for anyone else."""
    return get_object_or_404(queryset.coordinated_by(request.user), **lookup)


def fields(form):
    return dict(form.cleaned_data)


def run_form(
    request,
    form,
    action,
    *,
    success_message,
    redirect_to,
    template,
    context=None,
    error_field=None,
):
    """A form page. On a valid POST, `action(form)` calls the service: its DomainError shows on
    the form (on `error_field`, or above the fields), else `success_message` is shown and the
    browser goes to `redirect_to` (anything `redirect()` takes, or a callable given what the
    action returned). Otherwise the page is rendered with `context` and the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form)
        except DomainError as error:
            form.add_error(error_field, str(error))
        else:
            messages.success(request, success_message)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    return render(request, template, {**(context or {}), "form": form})
