import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from toolkit_portal.vocabulary import FourP, KeyArea, Sector

# Addresses under /partnerships/ that are not a partnership's slug.
RESERVED_SLUGS = {"coverage", "invitations", "recommendations", "positions", "new", "propose"}


def validate_not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address name is reserved; choose another."))


def four_p_focus():
    """The 4Ps a partnership works on (a partnership's and a proposed one's)."""
    return ArrayField(
        models.CharField(max_length=20, choices=FourP.choices),
        verbose_name=_("4P focus"),
        default=list,
        blank=True,
    )


def four_p_labels(values):
    return [FourP(value).label for value in values if value in FourP.values]


def part_of_partnership(related_name):
    """The key of a record that is part of one partnership and goes when the partnership goes."""
    return models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


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
    # What its coordinators edit on the profile page.
    PROFILE_FIELDS = [
        "name",
        "summary",
        "state",
        "areas_served",
        "focus",
        "year_established",
        "contact_name",
        "contact_email",
        "contact_phone",
        "website",
        "is_listed",
    ]

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address name"), max_length=80, unique=True, validators=[validate_not_reserved]
    )
    summary = models.TextField(_("summary"), blank=True)
    state = models.CharField(_("state"), max_length=60, default="Colorado")
    areas_served = models.CharField(
        _("areas served"),
        max_length=300,
        blank=True,
        help_text=_("Counties, cities or regions, separated by commas."),
    )
    focus = four_p_focus()
    year_established = models.PositiveSmallIntegerField(
        _("year established"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_listed = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("Listed partnerships appear on the public partnerships page."),
    )
    created_at = models.DateTimeField(
        pgettext_lazy("date a partnership was created", "created"), auto_now_add=True
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    def focus_labels(self):
        return four_p_labels(self.focus)

    def areas_list(self):
        return [area.strip() for area in self.areas_served.split(",") if area.strip()]

    def sector_coverage(self):
        """[(sector value, label, organization count)] for every sector, in the toolkit's
        order; a count of 0 is a missing sector."""
        counts = dict(self.organizations.values_list("sector").annotate(n=Count("id")).order_by())
        return [(value, label, counts.get(value, 0)) for value, label in Sector.choices]

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

    partnership = part_of_partnership("memberships")
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


class Organization(models.Model):
    """A member organization of a partnership, with the sector it brings to the table."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")

    partnership = part_of_partnership("organizations")
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    role = models.CharField(
        _("role in the partnership"), max_length=10, choices=Role.choices, default=Role.MEMBER
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    mou_signed_on = models.DateField(_("MOU signed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "role", "name"]
        verbose_name = _("member organization")
        verbose_name_plural = _("member organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="one_organization_name_per_partnership"
            )
        ]

    def __str__(self):
        return self.name


class GoalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Goal.Status.PLANNED, Goal.Status.IN_PROGRESS])

    def past_target(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(target_date__lt=today)


class Goal(models.Model):
    """A goal under one of the 4Ps, with the strategy to reach it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    partnership = part_of_partnership("goals")
    title = models.CharField(_("goal"), max_length=200)
    four_p = models.CharField(_("4P"), max_length=20, choices=FourP.choices)
    strategy = models.TextField(_("strategy"), blank=True)
    owner = models.CharField(
        _("owner"), max_length=120, blank=True, help_text=_("Who carries it: a person or agency.")
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    key_area = models.CharField(
        _("key area"),
        max_length=30,
        choices=KeyArea.choices,
        blank=True,
        help_text=_("The trauma-informed key area this goal strengthens, if any."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["four_p", "target_date", "title"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.title

    def is_past_target(self, today=None):
        today = today or timezone.localdate()
        return (
            self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)
            and self.target_date is not None
            and self.target_date < today
        )


class ProgressNote(models.Model):
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="notes"
    )
    noted_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self):
        return f"{self.noted_on}: {self.text[:60]}"


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.PARTNERSHIP_INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An invitation by email to join a partnership as a coordinator or a member. The link
    carries a signed token; the row says whether it is still good (not accepted, revoked or
    expired)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = part_of_partnership("invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default="coordinator"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.partnership}"

    def get_absolute_url(self):
        return reverse("partnerships:invitation", kwargs={"token": self.token()})

    def state(self, now=None):
        now = now or timezone.now()
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"

    def is_pending(self, now=None):
        return self.state(now) == "pending"

    def is_to_coordinate(self):
        """Only an invitation to coordinate speaks of coordinating and of the approval a new
        coordinator account waits for; a member's speaks of joining as a member."""
        return self.role == Membership.Role.COORDINATOR

    def token(self):
        from django.core import signing

        return signing.dumps(str(self.pk), salt=INVITATION_SALT)


INVITATION_SALT = "partnerships.invitation"


class PositionQuerySet(models.QuerySet):
    def open(self, today=None):
        """Positions still taking applications: closed ones leave the list by themselves."""
        today = today or timezone.localdate()
        return self.filter(closes_on__gte=today)


class Position(models.Model):
    """A paid position open to survivors, posted by a partnership's coordinators."""

    class Schedule(models.TextChoices):
        FULL_TIME = "full_time", _("Full time")
        PART_TIME = "part_time", _("Part time")

    # What a coordinator fills in to post one.
    POSTED_FIELDS = [
        "title",
        "organization",
        "schedule",
        "pay_range",
        "description",
        "how_to_apply",
        "closes_on",
        "lived_experience_counts",
    ]

    partnership = part_of_partnership("positions")
    title = models.CharField(_("title"), max_length=200)
    organization = models.CharField(_("organization"), max_length=200)
    schedule = models.CharField(
        _("full or part time"), max_length=10, choices=Schedule.choices, default=Schedule.FULL_TIME
    )
    pay_range = models.CharField(
        _("pay range"), max_length=100, help_text=_("For example $52,000–$60,000 a year.")
    )
    description = models.TextField(_("description"), blank=True)
    how_to_apply = models.TextField(_("how to apply"))
    closes_on = models.DateField(_("closing date"))
    lived_experience_counts = models.BooleanField(
        _("lived experience counts as equivalent to education or experience"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "title"]
        verbose_name = _("position open to survivors")
        verbose_name_plural = _("positions open to survivors")

    def __str__(self):
        return f"{self.title} ({self.organization})"

    def is_open(self, today=None):
        return self.closes_on >= (today or timezone.localdate())


class PartnershipProposalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PartnershipProposal.Status.OPEN)


class PartnershipProposal(models.Model):
    """The partnership a coordinator awaiting approval says she coordinates. An administrator
    approves her account and creates the partnership from it in one step (admin.py)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting approval")
        APPROVED = "approved", _("Approved")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.CASCADE,
        related_name="partnership_proposals",
    )
    name = models.CharField(_("partnership name"), max_length=200)
    areas_served = models.CharField(
        _("region or areas served"),
        max_length=300,
        help_text=_("Counties, cities or regions, separated by commas."),
    )
    focus = four_p_focus()
    # [{"name": ..., "sector": Sector value}], in the order she gave them.
    organizations = models.JSONField(_("member organizations"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    decided_at = models.DateTimeField(_("approved"), null=True, blank=True)

    objects = PartnershipProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partnership proposal")
        verbose_name_plural = _("partnership proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["proposer"],
                condition=Q(status="open"),
                name="one_open_proposal_per_person",
            )
        ]

    def __str__(self):
        return self.name

    def focus_labels(self):
        return four_p_labels(self.focus)

    def organization_rows(self):
        """[(name, sector label)] for the page and the admin."""
        labels = dict(Sector.choices)
        return [
            (org["name"], labels.get(org["sector"], org["sector"])) for org in self.organizations
        ]
