"""Admin actions that apply a service to each selected row."""

from django.contrib import messages

from .errors import DomainError


def run_each(model_admin, request, rows, change, done_message):
    """Apply `change(row)` to each row. A row the service refuses gets its reason as a warning
    and the others still go through; then `done_message(count)` says how many did, if any."""
    done = 0
    for row in rows:
        try:
            change(row)
        except DomainError as error:
            model_admin.message_user(request, str(error), messages.WARNING)
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message(done), messages.SUCCESS)
