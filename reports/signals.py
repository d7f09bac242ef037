from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ReportFile


@receiver(post_delete, sender=ReportFile)
def delete_file(sender, instance, **kwargs):
    # Deleting the row (retention, or the account that asked for it) deletes the PDF in
    # storage, once the deletion is committed: a rolled-back one (a dry run of retention)
    # must find its file still there.
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
