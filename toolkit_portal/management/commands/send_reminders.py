from django.core.management.base import BaseCommand

from toolkit_portal import notifications
from toolkit_portal.models import Notification


class Command(BaseCommand):
    help = (
        "Run the reminder sweep and deliver what is due, without a Celery worker "
        "(the same code the beat schedule runs)."
    )

    def handle(self, *args, **options):
        created, _queued = notifications.sweep(enqueue=False)
        delivered = {}
        waiting = Notification.objects.filter(
            notifications._claimable(notifications.timezone.now())
        )
        for pk in waiting.values_list("id", flat=True):
            status = notifications.deliver(pk)
            delivered[status] = delivered.get(status, 0) + 1
        summary = ", ".join(f"{count} {status}" for status, count in delivered.items() if status)
        self.stdout.write(f"{created} new notification(s); delivery: {summary or 'nothing due'}.")
