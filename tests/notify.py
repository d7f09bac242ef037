"""Running the reminder sweep and delivery inline, as `manage.py send_reminders` does."""

from django.core.management import call_command


def send_due_notifications():
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
