from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PartnershipQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)

    def coordinated_by(self, user):
        """Partnerships the user may manage: approved coordinators of it, and admins."""
        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        if not user.is_approved_coordinator:
            return self.none()
        return self.filter(
            memberships__user=user, memberships__role=Membership.Role.COORDINATOR
        ).distinct()

    def visible_to(self, user):
        """Listed partnerships for everyone; unlisted ones for their members and admins."""
        if user.is_authenticated and user.is_portal_admin:
            return self.all()
        if user.is_authenticated:
            return self.filter(Q(is_listed=True) | Q(memberships__user=user)).distinct()
        return self.listed()


class Partnership(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    is_listed = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("Listed partnerships appear on the public partnerships page."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    def is_coordinated_by(self, user):
        if not user.is_authenticated:
            return False
        if user.is_portal_admin:
            return True
        return (
            user.is_approved_coordinator
            and self.memberships.filter(user=user, role=Membership.Role.COORDINATOR).exists()
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["partnership", "role", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="one_membership_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.partnership} ({self.get_role_display()})"
