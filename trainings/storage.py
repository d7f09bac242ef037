"""Where certificates are kept: under MEDIA_ROOT/private, never given a public URL.

The files are served only by trainings.views_me.certificate, after the access check.
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
