"""Private uploads (training certificates, expense receipts): a PDF or an image, recognised by
its content, within a size limit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# (content type, extension): the file's first bytes decide, never its name.
PDF = ("application/pdf", "pdf")
PNG = ("image/png", "png")
JPEG = ("image/jpeg", "jpg")
WEBP = ("image/webp", "webp")


def certificate_max_bytes():
    return getattr(settings, "TRAINING_CERTIFICATE_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff_certificate_type(head):
    """The (content type, extension) the first bytes of a file show, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def read_head(file, length=16):
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(length)
    file.seek(position)
    return head


def validate_certificate(file):
    """Refuse anything but a PDF, PNG, JPEG or WebP file, and anything over the size limit."""
    limit = certificate_max_bytes()
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; certificates can be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    if sniff_certificate_type(read_head(file)) is None:
        raise ValidationError(
            _("A certificate must be a PDF or an image (PNG, JPEG or WebP)."),
            code="wrong_type",
        )


CERTIFICATE_EXTENSIONS = {
    content_type: extension for content_type, extension in [PDF, PNG, JPEG, WEBP]
}
# What a file picker offers: the same kinds.
ACCEPT = ",".join(CERTIFICATE_EXTENSIONS)
