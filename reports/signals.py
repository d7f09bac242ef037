from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ReportFile


@receiver(post_delete, sender=ReportFile)
def delete_file(sender, instance, **kwargs):
    # Deleting the row (or the account that asked for it) deletes the PDF on disk.
    if instance.file:
        instance.file.delete(save=False)
