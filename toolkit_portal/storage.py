"""Private files (training certificates, soon expense receipts): never a public address.

They are kept by the `private` storage of settings.STORAGES: on disk under MEDIA_ROOT/private
(the default, for `make run`), or in an S3-compatible bucket when `S3_BUCKET` or
`MEDIA_STORAGE_URL` is set (django-storages), so that every web machine finds a file another
one stored. Either way a file is reached only through a view that checks access first and
then calls `serve_private_file`: it streams the file through the portal, or, with
`PRIVATE_FILES_DELIVERY=redirect` and a bucket, redirects to a presigned address that
expires within a minute. Uploads are checked (size, type sniffed from the content) by the
form and the model before anything is stored.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from toolkit_portal.downloads import as_download, download_disposition
from toolkit_portal.storage_settings import PRESIGNED_MAX_SECONDS, PRIVATE, PRIVATE_FOLDER


class PrivateFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT/private, with no URL. MEDIA_ROOT is read on every use, so a changed
    setting (tests, deployments) is followed."""

    @property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, PRIVATE_FOLDER)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; they are served by an access-checked view.")


class PrivateStorage(Storage):
    """What a model's FileField holds: it hands every call to settings.STORAGES["private"],
    looked up when used, so the field (built once, at import) follows the settings."""

    @staticmethod
    def backend():
        return storages[PRIVATE]

    def open(self, name, mode="rb"):
        return self.backend().open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend().save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend().generate_filename(filename)

    def get_valid_name(self, name):
        return self.backend().get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend().get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self.backend().delete(name)

    def exists(self, name):
        return self.backend().exists(name)

    def listdir(self, path):
        return self.backend().listdir(path)

    def size(self, name):
        return self.backend().size(name)

    def path(self, name):
        return self.backend().path(name)

    def url(self, name):
        raise ValueError("Private files have no URL; they are served by an access-checked view.")

    def get_modified_time(self, name):
        return self.backend().get_modified_time(name)


def private_storage():
    return PrivateStorage()


def is_bucket(storage):
    return hasattr(storage, "bucket_name")


def serve_private_file(fieldfile, *, filename, content_type):
    """The response to a request already allowed to see the file: a download, streamed, or a
    redirect to a presigned address of the bucket (PRIVATE_FILES_DELIVERY=redirect)."""
    backend = PrivateStorage.backend()
    content_type = content_type or "application/octet-stream"
    if settings.PRIVATE_FILES_DELIVERY == "redirect" and is_bucket(backend):
        address = backend.url(
            fieldfile.name,
            parameters={
                "ResponseContentDisposition": download_disposition(filename),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=min(settings.PRIVATE_FILE_URL_SECONDS, PRESIGNED_MAX_SECONDS),
        )
        response = HttpResponseRedirect(address)
    else:
        try:
            file = backend.open(fieldfile.name, "rb")
        except FileNotFoundError:  # also a bucket's "no such key" (django-storages)
            raise Http404 from None
        response = FileResponse(file, content_type=content_type)
        as_download(response, filename)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download_link(fieldfile, url_name, pk):
    """The admin's link to a private file, through its view `url_name` (which checks access),
    or a dash when there is no file."""
    if not fieldfile:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse(url_name, kwargs={"pk": pk}), _("Download"))
