"""Survivor consultants: their profiles, private details, and who looked at a profile."""

import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from toolkit_portal.vocabulary import SurvivorRole

from .models_common import Availability, RateBasis, ReminderKind, _array_text, month_bounds
from .models_engagements import ParticipationRequest


class ConsultantProfileQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True, user__is_active=True)

    def owned_by(self, user):
        return self.filter(user=user)

    def matching(self, filters):
        """The directory's filters (DirectoryFilterForm's cleaned data); empty ones are ignored."""
        profiles = self
        if filters.get("role"):
            profiles = profiles.filter(roles__contains=[filters["role"]])
        if filters.get("language"):
            profiles = profiles.alias(languages_text=_array_text("languages")).filter(
                languages_text__icontains=filters["language"]
            )
        if filters.get("area"):
            profiles = profiles.alias(areas_text=_array_text("areas_served")).filter(
                areas_text__icontains=filters["area"]
            )
        if filters.get("remote") == "yes":
            profiles = profiles.filter(works_remote=True)
        elif filters.get("remote") == "no":
            profiles = profiles.filter(works_in_person=True)
        if filters.get("availability"):
            profiles = profiles.filter(availability=filters["availability"])
        if filters.get("criminal_justice"):
            profiles = profiles.filter(criminal_justice_opt_in=True)
        return profiles

    def for_directory(self):
        """Only what a directory card shows: never contact details (nor the bio, which only
        the profile's page shows)."""
        return self.only(
            "id",
            "display_name",
            "pronouns",
            "roles",
            "languages",
            "areas_served",
            "works_remote",
            "works_in_person",
            "monthly_capacity",
            "availability",
            "paused_until",
            "criminal_justice_opt_in",
            "updated_at",
        ).order_by("display_name", "id")

    def with_load_in(self, day):
        """Annotate `load`: requests that count against capacity in the month of `day`.

        A subquery per profile rather than a join and GROUP BY: PostgreSQL computes it only
        for the rows of the page shown, and a count of the list leaves it out.
        """
        start, following = month_bounds(day)
        # The month as an interval of moments (local midnight to midnight): the same rows as
        # comparing local dates, without converting every start time first.
        start, following = (
            timezone.make_aware(datetime.combine(d, datetime.min.time()))
            for d in (start, following)
        )
        counted = (
            ParticipationRequest.objects.filter(
                consultant=models.OuterRef("pk"),
                status__in=ParticipationRequest.Status.counting_against_capacity(),
                engagement__starts_at__gte=start,
                engagement__starts_at__lt=following,
            )
            .order_by()
            .values("consultant")
            # COUNT(*), not COUNT(id): the covering index answers it without the table.
            .annotate(n=Count("*"))
            .values("n")
        )
        return self.annotate(load=Coalesce(models.Subquery(counted), 0))


class ConsultantProfile(models.Model):
    """What a survivor consultant chooses to tell, and the limits they set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="consultant_profile",
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("The name others see. A pseudonym is fine."),
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    bio = models.TextField(_("short bio"), max_length=1500, blank=True)
    roles = ArrayField(
        models.CharField(max_length=30, choices=SurvivorRole.choices),
        verbose_name=_("roles offered"),
        default=list,
        blank=True,
    )
    languages = ArrayField(
        models.CharField(max_length=40), verbose_name=_("languages"), default=list, blank=True
    )
    areas_served = ArrayField(
        models.CharField(max_length=80), verbose_name=_("areas served"), default=list, blank=True
    )
    works_remote = models.BooleanField(_("works remotely"), default=True)
    works_in_person = models.BooleanField(_("works in person"), default=False)
    preferred_rate = models.DecimalField(
        _("preferred rate (USD)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rate_basis = models.CharField(
        _("rate basis"), max_length=10, choices=RateBasis.choices, default=RateBasis.HOURLY
    )
    monthly_capacity = models.PositiveSmallIntegerField(
        _("engagements a month"),
        default=2,
        help_text=_("Requests beyond this number in a month are refused for you."),
    )
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, default=Availability.OPEN
    )
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    criminal_justice_opt_in = models.BooleanField(
        _("open to criminal-justice work"),
        default=False,
        help_text=_(
            "Only if you choose it: engagements that involve investigations, prosecution or "
            "courts are never sent to you otherwise."
        ),
    )
    is_listed = models.BooleanField(
        _("listed to approved coordinators"),
        default=False,
        help_text=_("Hidden by default. When listed, approved coordinators can find you."),
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Where coordinators' requests reach you. Shown to no one."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    email_muted_kinds = ArrayField(
        models.CharField(max_length=40, choices=ReminderKind.choices),
        verbose_name=_("reminders not sent by email"),
        default=list,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ConsultantProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("consultant profile")
        verbose_name_plural = _("consultant profiles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(availability="paused") | Q(paused_until__isnull=False),
                name="paused_profile_has_an_end_date",
            )
        ]
        indexes = [models.Index(fields=["is_listed", "display_name"])]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("survivors:consultant-detail", kwargs={"pk": self.pk})

    def role_labels(self):
        return [SurvivorRole(role).label for role in self.roles if role in SurvivorRole.values]

    def is_paused_on(self, day):
        return self.availability == Availability.PAUSED and (
            self.paused_until is None or day <= self.paused_until
        )

    def load_in(self, day):
        """Requests that count against capacity in the month of `day`."""
        start, following = month_bounds(day)
        return self.requests.filter(
            status__in=ParticipationRequest.Status.counting_against_capacity(),
            engagement__starts_at__date__gte=start,
            engagement__starts_at__date__lt=following,
        ).count()

    def loads_ahead(self, today=None):
        """[(first day of the month, load)] for this month and the next: what she sees of her
        own load, counted by `load_in` as every refusal counts it."""
        start, following = month_bounds(today or timezone.localdate())
        return [(month, self.load_in(month)) for month in (start, following)]

    def takes_only_remote(self):
        """Limited availability: requests only for engagements she can join remotely."""
        return self.availability == Availability.LIMITED

    def wants_email_for(self, kind):
        return kind not in self.email_muted_kinds

    def reach_email(self):
        return self.contact_email or self.user.email


class PrivateDetails(models.Model):
    """Legal name and payment details: encrypted at rest, read only by the consultant and by
    admins who hold the dedicated permission. Every read is audited."""

    profile = models.OneToOneField(
        ConsultantProfile,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="private_details",
    )
    # The encrypted fields store an empty value as NULL.
    legal_name = EncryptedCharField(_("legal name"), max_length=200, blank=True, null=True)
    mailing_address = EncryptedTextField(_("mailing address"), blank=True, null=True)
    payment_details = EncryptedTextField(
        _("payment details"),
        blank=True,
        null=True,
        help_text=_("For example the account for direct deposit, or where to send a check."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("private details")
        verbose_name_plural = _("private details")
        permissions = [
            ("view_legal_and_payment", _("Can read consultants' legal names and payment details"))
        ]

    def __str__(self):
        return _("Private details of %(name)s") % {"name": self.profile.display_name}


class ProfileView(models.Model):
    """A coordinator opened a consultant's profile: the consultant can see who and when."""

    profile = models.ForeignKey(
        ConsultantProfile,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="views_received",
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewed by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    viewed_at = models.DateTimeField(_("viewed"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = _("profile view")
        verbose_name_plural = _("profile views")

    def __str__(self):
        return f"{self.viewer} {self.viewed_at:%Y-%m-%d %H:%M}"
