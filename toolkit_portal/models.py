from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Survivor consultant")
    COORDINATOR = "coordinator", _("Partnership coordinator")
    ADMIN = "admin", _("Administrator")


class UserQuerySet(models.QuerySet):
    def admins(self):
        return self.filter(is_active=True).filter(
            models.Q(role=Role.ADMIN) | models.Q(is_superuser=True)
        )

    def pending_coordinators(self):
        return self.filter(role=Role.COORDINATOR, is_active=True, approved_at__isnull=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; the role decides what they see."""

    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONSULTANT)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can sign in to the Django admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Coordinators see no survivor data until an admin approves the account.
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The language of the person's pages, emails and reminders, whoever sends them.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        indexes = [
            # Active accounts, from the index alone: the directory joins each listed profile
            # of its page to its account to keep only active ones.
            models.Index(fields=["id"], condition=models.Q(is_active=True), name="user_active_idx"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_consultant(self):
        return self.role == Role.CONSULTANT

    @property
    def is_coordinator(self):
        return self.role == Role.COORDINATOR

    @property
    def is_portal_admin(self):
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_approved_coordinator(self):
        return self.is_coordinator and self.approved_at is not None

    @property
    def is_pending_coordinator(self):
        return self.is_coordinator and self.approved_at is None

    def requires_mfa(self):
        """Coordinators and admins reach survivor data, so they must use a second factor."""
        return self.is_coordinator or self.is_portal_admin or self.is_staff


class AuditEntry(models.Model):
    """An append-only record of who did what to which record, and when.

    The application never changes or removes an entry: save() refuses updates and delete()
    refuses outright. The actor is kept without a foreign-key constraint so that erasing a
    person never has to touch the trail.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


class Notification(models.Model):
    """One message due to one person about one object on one occasion.

    The database is the source of truth: the sweep writes a row for everything due, the
    unique constraint makes a second row for the same occasion impossible, and delivery
    claims a row before it sends. Every row also shows in the person's in-app inbox.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("a notification's status", "Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("No longer due")

    kind = models.CharField(_("kind"), max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of record"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64)
    occasion = models.CharField(_("occasion"), max_length=100)
    url = models.CharField(_("link"), max_length=300, blank=True)
    subject_label = models.CharField(
        _("about"), max_length=200, blank=True, help_text=_("Shown in the inbox only.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    email_wanted = models.BooleanField(_("send by email"), default=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed for delivery"), null=True, blank=True)
    sent_at = models.DateTimeField(
        pgettext_lazy("date a notification was sent", "sent"), null=True, blank=True
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "content_type", "object_id", "occasion"],
                name="one_notification_per_occasion",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["content_type", "object_id", "kind"]),
            # The inbox's unread count, shown on every signed-in page, from the index alone:
            # its condition is inbox_of's rule (notifications.LEFT_OUT_OF_INBOX, _UNREAD_SQL).
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True) & ~models.Q(status="cancelled"),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id} ({self.occasion})"

    @property
    def is_read(self):
        return self.read_at is not None


class CalendarFeed(models.Model):
    """A private calendar address: the token is the only secret, so it can be replaced."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("access key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"Calendar feed of {self.user}"
