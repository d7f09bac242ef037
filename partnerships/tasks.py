from celery import shared_task


# A lost invitation is worse than a rare duplicate: retry with backoff; the coordinator can
# also revoke and send a new one from the members page.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_invitation(invitation_id):
    from .services import send_invitation_email

    send_invitation_email(invitation_id)
