"""settings.STORAGES for an S3-compatible bucket (read by settings.py, so no Django models or
views here). See toolkit_portal/storage.py for how private files are kept and served."""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

PRIVATE = "private"
PRIVATE_FOLDER = "private"
# A presigned address works for this long at most.
PRESIGNED_MAX_SECONDS = 60


def s3_options_from_url(url):
    """S3Storage options from MEDIA_STORAGE_URL, e.g.
    s3://ACCESS_KEY:SECRET@bucket-name?endpoint_url=https://s3.example.org&region=us-east-1
    (keys percent-encoded; no endpoint_url means Amazon S3)."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must look like s3://KEY:SECRET@bucket?endpoint_url=…&region=…"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "bucket_name": parts.hostname,
        "access_key": unquote(parts.username or "") or None,
        "secret_key": unquote(parts.password or "") or None,
        "endpoint_url": query.get("endpoint_url") or None,
        "region_name": query.get("region") or None,
    }


def s3_storages(options, *, url_seconds):
    """STORAGES entries for a bucket: private files under private/, the rest under media/.
    No ACL is sent (the bucket's own, private, applies) and every address is presigned."""
    common = {
        **options,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": min(url_seconds, PRESIGNED_MAX_SECONDS),
        "file_overwrite": False,
        "signature_version": "s3v4",
        # Path-style addresses work with every S3-compatible server (SeaweedFS, MinIO).
        "addressing_style": "path",
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "media"},
        },
        PRIVATE: {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": PRIVATE_FOLDER},
        },
    }
