from celery import shared_task

from . import notifications, retention


@shared_task
def sweep_reminders():
    """Beat calls this every minute: derive what is due and queue its delivery."""
    created, queued = notifications.sweep()
    return {"created": created, "queued": queued}


@shared_task
def deliver_notification(notification_id):
    """Claim, check, send and mark one notification. Retries are rows, not countdowns."""
    return notifications.deliver(notification_id)


@shared_task
def ping():
    """A no-op that proves a worker is consuming from the broker."""
    return "pong"


@shared_task
def purge_expired():
    """Beat calls this once a day: remove or anonymise what is past its retention."""
    outcomes = retention.purge_expired()
    return {o.rule: {"deleted": o.deleted, "anonymised": o.anonymised} for o in outcomes}
