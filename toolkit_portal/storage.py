"""Where private files are kept (training certificates, expense receipts, report PDFs): under
MEDIA_ROOT/private, never given a public URL.

Each app serves its files only from a view that checks access first.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage

PRIVATE_FOLDER = "private"


class PrivateStorage(FileSystemStorage):
    # Read MEDIA_ROOT on every use, so a changed setting (tests, deployments) is followed.
    @property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, PRIVATE_FOLDER)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; they are served by an access-checked view.")


def private_storage():
    return PrivateStorage()
