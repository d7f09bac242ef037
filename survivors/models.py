"""Survivor consultants, the engagements they are invited to, and what they are paid.

The rules come from the toolkit (DESIGN.md, rules 1–7): a consultant sets the capacity and
availability others must respect, chooses what is listed, answers with consent and without
giving reasons, and is paid as a professional.
"""

import functools
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField
from simple_history.models import HistoricalRecords

from toolkit_portal.storage import private_storage
from toolkit_portal.uploads import (
    CERTIFICATE_EXTENSIONS,
    read_head,
    sniff_certificate_type,
    validate_certificate,
)
from toolkit_portal.vocabulary import SurvivorRole

from .models_boards import Board, BoardMeeting, BoardMember, Recommendation  # noqa: F401

ZERO = Decimal("0.00")


def _array_text(field):
    """An array column as one comma-separated string, for case-insensitive matching."""
    return models.Func(
        models.F(field),
        models.Value(", "),
        function="array_to_string",
        output_field=models.CharField(),
    )


def choice_label(choices, value):
    """The label of one value: get_FOO_display() translates every label of the field on
    each call, which a list of a hundred rows pays a hundred times. Translated once per
    language and kept: the catalogs do not change while the process runs."""
    return _translated_label(choices, value, translation.get_language())


@functools.lru_cache(maxsize=512)
def _translated_label(choices, value, language):
    # `language` is the active language (the key of the cache); str() translates into it.
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def month_bounds(day):
    """The first day of the month of `day` and the first day of the next month."""
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following


class Availability(models.TextChoices):
    """What a consultant is open to. Capacity applies to every choice; "limited" adds a rule
    of its own (see `ConsultantProfile.takes_only_remote`): only engagements she can join
    remotely, so she can keep working without travel or rooms full of strangers."""

    OPEN = "open", _("Open to requests")
    LIMITED = "limited", _("Limited: remote engagements only")
    PAUSED = "paused", _("Paused")


class RateBasis(models.TextChoices):
    HOURLY = "hourly", _("per hour")
    FLAT = "flat", _("flat fee per engagement")


class ReminderKind(models.TextChoices):
    """Reminders a consultant can receive by email (the inbox always shows them)."""

    NEW_REQUEST = "request_new", _("A new participation request")
    REQUEST_REMINDER = "request_reminder", _("A gentle reminder of an unanswered request")
    REQUEST_CANCELLED = "request_cancelled", _("A request or engagement is cancelled")
    ENGAGEMENT_SOON = "engagement_soon", _("An engagement in two days")
    COMPENSATION_PAID = "compensation_paid", _("A payment is recorded or reopened")
    RECOMMENDATION_ANSWERED = "recommendation_answered", _("A recommendation is answered")
    TERMS_CHANGED = "terms_changed", _("The terms of a request or engagement changed")
    BOARD_TERM_ENDING = "board_term_ending", _("My term on a survivor leader board ends soon")
    EXPENSE_QUERIED = "expense_queried", _("A question about an expense I added")


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
        """Only what a directory card shows: never contact details."""
        return self.only(
            "id",
            "display_name",
            "pronouns",
            "bio",
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
        ConsultantProfile, on_delete=models.CASCADE, related_name="private_details"
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
        ConsultantProfile, on_delete=models.CASCADE, related_name="views_received"
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = _("profile view")
        verbose_name_plural = _("profile views")

    def __str__(self):
        return f"{self.viewer} {self.viewed_at:%Y-%m-%d %H:%M}"


class PaymentMethod(models.TextChoices):
    CHECK = "check", _("Check")
    DIRECT_DEPOSIT = "direct_deposit", _("Direct deposit")
    GIFT_CARD = "gift_card", _("Gift card or voucher")


class EngagementKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    TRAINING = "training", _("Training or speaking")
    PANEL = "panel", _("Panel")
    BOARD_SEAT = "board_seat", _("Board or committee seat")
    ADVISORY_MEETING = "advisory_meeting", _("Advisory meeting")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    MENTORING = "mentoring", _("Mentoring")
    ASSESSMENT_REVIEW = "assessment_review", _("Assessment review")

    @classmethod
    def group_kinds(cls):
        """Kinds where a lone survivor would be the token survivor in the room."""
        return {cls.PANEL, cls.BOARD_SEAT, cls.ADVISORY_MEETING}


class CompensationPolicy(models.Model):
    """A partnership's payment methods; its rate card entries hang off it."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="compensation_policy"
    )
    payment_methods = ArrayField(
        models.CharField(max_length=20, choices=PaymentMethod.choices),
        verbose_name=_("payment methods offered"),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("compensation policy")
        verbose_name_plural = _("compensation policies")

    def __str__(self):
        return _("Compensation policy of %(partnership)s") % {"partnership": self.partnership}

    def offered_methods(self):
        return self.payment_methods or [choice for choice, _label in PaymentMethod.choices]


class RateCardEntry(models.Model):
    """The default rate for a kind of engagement, so no one invents a rate per request."""

    policy = models.ForeignKey(CompensationPolicy, on_delete=models.CASCADE, related_name="rates")
    kind = models.CharField(_("engagement kind"), max_length=30, choices=EngagementKind.choices)
    hourly_rate = models.DecimalField(
        _("hourly rate (USD)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    pays_preparation = models.BooleanField(_("preparation time is paid"), default=True)
    pays_travel = models.BooleanField(_("travel time is paid"), default=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("rate card entry")
        verbose_name_plural = _("rate card")
        constraints = [models.UniqueConstraint(fields=["policy", "kind"], name="one_rate_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.hourly_rate}"


def _managed_by(queryset, user):
    """Rows of the partnerships `user` coordinates. Admins manage every partnership: their
    lists need no join against the partnerships (a count of them stays a plain count).

    The partnership ids are read first and given as values: with a subquery PostgreSQL
    guesses an average partnership's number of rows, and for a partnership holding a
    quarter of the state's records it then joins and sorts them all to show one page.
    """
    from partnerships.models import Partnership

    if user.is_authenticated and user.is_portal_admin:
        return queryset.all()
    ids = list(Partnership.objects.coordinated_by(user).values_list("id", flat=True))
    return queryset.filter(partnership_id__in=ids)


class EngagementQuerySet(models.QuerySet):
    def managed_by(self, user):
        return _managed_by(self, user)


class Engagement(models.Model):
    """An opportunity a partnership offers survivor consultants, with a number of seats."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("In person or remote")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="engagements"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=EngagementKind.choices)
    roles_needed = ArrayField(
        models.CharField(max_length=30, choices=SurvivorRole.choices),
        verbose_name=_("roles needed"),
        default=list,
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.REMOTE)
    location = models.CharField(_("location"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    compensation_amount = models.DecimalField(
        _("compensation offered per consultant (USD)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    compensation_basis = models.CharField(
        _("compensation basis"), max_length=10, choices=RateBasis.choices, default=RateBasis.HOURLY
    )
    seats = models.PositiveSmallIntegerField(
        _("survivor seats"), default=1, validators=[MinValueValidator(1)]
    )
    response_deadline = models.DateTimeField(_("answer requested by"))
    involves_criminal_justice = models.BooleanField(
        _("involves the criminal justice system"),
        default=False,
        help_text=_("Only consultants who opted in to such work can be invited."),
    )
    content_notes = models.TextField(
        _("content notes"),
        blank=True,
        help_text=_("Hard topics invitees should know about before they answer."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="engagement_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "-starts_at"]),
            # The engagement list of an admin (every partnership), newest first.
            models.Index(fields=["-starts_at", "id"], name="engagement_starts_id_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("survivors:engagement-detail", kwargs={"pk": self.pk})

    def role_labels(self):
        return [
            SurvivorRole(role).label for role in self.roles_needed if role in SurvivorRole.values
        ]

    def is_group_kind(self):
        return self.kind in EngagementKind.group_kinds()

    def kind_label(self):
        return choice_label(EngagementKind, self.kind)

    def status_label(self):
        return choice_label(self.Status, self.status)

    def needs_tokenization_warning(self):
        return self.is_group_kind() and self.seats < 2

    def is_open(self):
        return self.status == self.Status.OPEN

    def deadline_passed(self, now=None):
        return (now or timezone.now()) > self.response_deadline

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.starts_at

    def offered_amount_for(self, hours=None):
        """The offered compensation for one consultant (hourly × estimated hours, or flat)."""
        if self.compensation_basis == RateBasis.FLAT:
            return self.compensation_amount
        return (self.compensation_amount * (hours or self.estimated_hours)).quantize(
            Decimal("0.01")
        )

    def promised_pay_date(self):
        return (self.ends_at + timedelta(days=settings.COMPENSATION_DUE_DAYS)).date()

    def rate_card_entry(self):
        """The partnership's rate card entry for this kind, or None. A list of many
        engagements prefetches `partnership__compensation_policy__rates` and asks nothing."""
        try:
            policy = self.partnership.compensation_policy
        except CompensationPolicy.DoesNotExist:
            return None
        return next((entry for entry in policy.rates.all() if entry.kind == self.kind), None)

    def terms(self):
        """The terms a consultant consents to, as JSON-ready data: what a request keeps as
        "what she agreed to", and what services.material_changes compares. The rate card
        entry for the kind is part of it: the offer was made under those rules."""
        entry = self.rate_card_entry()
        return {
            "involves_criminal_justice": self.involves_criminal_justice,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "mode": self.mode,
            "location": self.location.strip(),
            "compensation_amount": str(Decimal(self.compensation_amount).quantize(Decimal("0.01"))),
            "compensation_basis": self.compensation_basis,
            "estimated_hours": str(Decimal(self.estimated_hours).quantize(Decimal("0.01"))),
            "rate_card": None
            if entry is None
            else {
                "hourly_rate": str(entry.hourly_rate),
                "pays_preparation": entry.pays_preparation,
                "pays_travel": entry.pays_travel,
            },
            "content_notes": self.content_notes.strip(),
            "kind": self.kind,
            "roles_needed": sorted(self.roles_needed or []),
            "seats": self.seats,
        }


class ParticipationRequest(models.Model):
    """One invitation of one consultant to one engagement, and its answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        COMPLETED = "completed", _("Completed")
        # She accepted, then the coordinators changed the terms: she confirms or leaves.
        CHANGED = "changed", _("Terms changed: confirm or leave")

        @classmethod
        def counting_against_capacity(cls):
            # A changed request keeps her slot until she confirms or leaves.
            return [cls.PENDING, cls.ACCEPTED, cls.CHANGED, cls.COMPLETED]

        @classmethod
        def holding_a_seat(cls):
            """Requests that keep a survivor seat: a changed one keeps hers until she
            answers, though she is not counted as confirmed."""
            return [cls.ACCEPTED, cls.CHANGED, cls.COMPLETED]

        @classmethod
        def taking_expenses(cls):
            """Requests she can add expenses to: once she accepted, before and after the
            engagement (until it is paid, see ParticipationRequest.takes_expenses)."""
            return [cls.ACCEPTED, cls.CHANGED, cls.COMPLETED]

    # The only allowed changes of status, and who may make each.
    TRANSITIONS = {
        (Status.PENDING, Status.ACCEPTED): "consultant",
        (Status.PENDING, Status.DECLINED): "consultant",
        (Status.PENDING, Status.CANCELLED): "coordinator",
        (Status.PENDING, Status.EXPIRED): "system",
        (Status.ACCEPTED, Status.WITHDRAWN): "consultant",
        (Status.ACCEPTED, Status.CANCELLED): "coordinator",
        (Status.ACCEPTED, Status.COMPLETED): "coordinator",
        # A material change of the engagement (services.update_engagement).
        (Status.ACCEPTED, Status.CHANGED): "coordinator",
        (Status.CHANGED, Status.ACCEPTED): "consultant",
        (Status.CHANGED, Status.WITHDRAWN): "consultant",
        (Status.CHANGED, Status.CANCELLED): "coordinator",
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="requests")
    # Empty once the consultant erased their data: the engagement keeps a "former consultant".
    consultant = models.ForeignKey(
        ConsultantProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Seen only by the coordinators of the engagement's partnership.
    decline_reason = models.TextField(_("reason (optional, private)"), blank=True)
    withdraw_reason = models.TextField(_("reason (optional, private)"), blank=True)
    # Consent, given when accepting and changeable until the engagement starts.
    consent_story_shared = models.BooleanField(_("my story may be shared"), default=False)
    consent_off_limits = models.TextField(_("topics that are off limits"), blank=True)
    consent_recording = models.BooleanField(_("recording is allowed"), default=False)
    consent_media = models.BooleanField(_("media or press may attend"), default=False)
    consent_name_to_use = models.CharField(_("name to use"), max_length=80, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_revoked_at = models.DateTimeField(null=True, blank=True)
    # The engagement's terms (Engagement.terms()) when she accepted or last confirmed them.
    agreed_terms = models.JSONField(default=dict, blank=True)
    # The last material change of the engagement while this request was open, and which
    # terms it changed (codes of services.material_changes).
    terms_changed_at = models.DateTimeField(null=True, blank=True)
    changed_terms = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    # Released by the coordinators because the engagement now involves the criminal justice
    # system and she had not opted in: cancelled with a kind notice, nothing against her.
    released_at = models.DateTimeField(null=True, blank=True)
    # Completion, recorded by the coordinator.
    hours_worked = models.DecimalField(
        _("hours worked"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    preparation_hours = models.DecimalField(
        _("preparation hours"), max_digits=6, decimal_places=2, default=ZERO
    )
    travel_hours = models.DecimalField(
        _("travel hours"), max_digits=6, decimal_places=2, default=ZERO
    )
    thank_you_note = models.TextField(_("thank-you note"), blank=True)
    history = HistoricalRecords(excluded_fields=["decline_reason", "withdraw_reason"])

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("participation request")
        verbose_name_plural = _("participation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "consultant"],
                condition=Q(consultant__isnull=False),
                name="one_request_per_consultant_and_engagement",
            )
        ]
        indexes = [
            models.Index(fields=["status", "sent_at"]),
            # A consultant's load this month (the directory counts it for each card) read
            # from the index alone.
            models.Index(
                fields=["consultant", "status"],
                include=["engagement"],
                name="request_consultant_load_idx",
            ),
            # The engagement list's counts of requests by status, from the index alone.
            models.Index(fields=["engagement", "status"], name="request_engagement_status_idx"),
        ]

    def __str__(self):
        return _("%(consultant)s for %(engagement)s") % {
            "consultant": self.consultant_name,
            "engagement": self.engagement.title,
        }

    def get_absolute_url(self):
        return reverse("survivors:my-request-detail", kwargs={"pk": self.pk})

    @property
    def consultant_name(self):
        if self.consultant is None:
            return _("Former consultant")
        return self.consent_name_to_use or self.consultant.display_name

    def is_open(self):
        return self.status == self.Status.PENDING

    def awaits_confirmation(self):
        return self.status == self.Status.CHANGED

    def can_change_consent(self, now=None):
        return self.status == self.Status.ACCEPTED and not self.engagement.has_started(now)

    def has_consent(self):
        return self.consent_given_at is not None and self.consent_revoked_at is None

    def takes_expenses(self):
        """Whether her expense lines can be added, changed, removed or decided on now: once
        she accepted, until the compensation is recorded paid. (Services lock the request
        and its compensation before they ask.)"""
        if self.status not in self.Status.taking_expenses():
            return False
        compensation = getattr(self, "compensation", None)
        return compensation is None or not compensation.is_paid()

    @classmethod
    def who_may(cls, from_status, to_status):
        return cls.TRANSITIONS.get((from_status, to_status))


def validate_receipt(file):
    """A receipt passes the same checks as a training certificate (toolkit_portal.uploads: a
    PDF or an image recognised by its first bytes, within the same size limit), told in a
    receipt's words."""
    try:
        validate_certificate(file)
    except ValidationError as error:
        messages = {
            "too_large": _("The file is %(size)s; a receipt can be at most %(limit)s."),
            "wrong_type": _("A receipt must be a PDF or an image (PNG, JPEG or WebP)."),
        }
        if error.code not in messages:
            raise
        raise ValidationError(messages[error.code], code=error.code, params=error.params) from None


# A coordinator's question about a line: short, read on a phone.
QUERY_MAX_LENGTH = 500


def receipt_path(expense, filename):
    # Her file name is not kept: it may carry her legal name or address.
    extension = CERTIFICATE_EXTENSIONS.get(expense.receipt_type, "bin")
    return f"receipts/{uuid.uuid4().hex}.{extension}"


class ExpenseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lines the user may see (and whose receipts they may open): her own, those of the
        partnerships an approved coordinator coordinates, and every line for admins."""
        from partnerships.models import Partnership

        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        coordinated = Partnership.objects.coordinated_by(user).values("pk")
        return self.filter(
            Q(request__consultant__user=user) | Q(request__engagement__partnership__in=coordinated)
        )

    def of_consultant(self, user):
        """Her own lines, the only ones she may change."""
        return self.filter(request__consultant__user=user)

    def payable(self):
        """Lines paid with the compensation: approved ones. A submitted or queried line is
        not paid until it is approved."""
        return self.filter(status=Expense.Status.APPROVED)

    def total(self):
        return self.aggregate(total=Sum("amount"))["total"] or ZERO


class Expense(models.Model):
    """One expense line of a consultant on one engagement: entered by her (with an optional
    receipt) and decided on by the partnership's coordinators, or entered by a coordinator
    at completion (approved as entered). Approved lines are paid with the compensation."""

    class Kind(models.TextChoices):
        MILEAGE = "mileage", _("Mileage")
        CHILDCARE = "childcare", _("Childcare")
        MEALS = "meals", _("Meals")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting a decision")
        APPROVED = "approved", _("Approved")
        QUERIED = "queried", _("Queried")

    class Source(models.TextChoices):
        CONSULTANT = "consultant", _("The consultant")
        COORDINATOR = "coordinator", _("A coordinator")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.CASCADE, related_name="expenses"
    )
    kind = models.CharField(_("expense"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (USD)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_by = models.CharField(
        _("added by"), max_length=12, choices=Source.choices, default=Source.CONSULTANT
    )
    status = models.CharField(
        _("decision"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    receipt = models.FileField(
        _("receipt"),
        storage=private_storage,
        upload_to=receipt_path,
        blank=True,
        validators=[validate_receipt],
    )
    receipt_type = models.CharField(_("receipt type"), max_length=40, blank=True, editable=False)
    # The coordinator's question when the line is queried; kept when she changes the line,
    # so the coordinator sees what was asked beside her answer.
    query_message = models.CharField(_("question"), max_length=QUERY_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        indexes = [models.Index(fields=["request", "status"], name="expense_request_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.receipt and not self.receipt._committed:
            kind = sniff_certificate_type(read_head(self.receipt.file))
            self.receipt_type = kind[0] if kind else ""
        elif not self.receipt:
            self.receipt_type = ""
        super().save(*args, **kwargs)

    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    def status_label(self):
        return choice_label(self.Status, self.status)

    def is_approved(self):
        return self.status == self.Status.APPROVED

    def is_queried(self):
        return self.status == self.Status.QUERIED

    def awaits_decision(self):
        return self.status == self.Status.SUBMITTED

    def is_hers(self):
        return self.added_by == self.Source.CONSULTANT

    def is_open_to_her(self):
        """Whether she can still change or remove it: her own line, not approved, on an
        engagement not yet paid. (Lines read through their request know it: no query.)"""
        return self.is_hers() and not self.is_approved() and self.request.takes_expenses()

    def is_open_to_decision(self):
        """Whether the coordinators can still approve or query it."""
        return not self.is_approved() and self.request.takes_expenses()

    def receipt_download_name(self):
        extension = CERTIFICATE_EXTENSIONS.get(self.receipt_type, "bin")
        return f"receipt-{self.kind}-{self.created_at:%Y-%m-%d}.{extension}"


class CompensationQuerySet(models.QuerySet):
    def managed_by(self, user):
        return _managed_by(self, user)

    def owed_to(self, profile):
        return self.filter(consultant=profile)

    def unpaid(self):
        return self.exclude(status=Compensation.Status.PAID)

    def overdue(self, today=None):
        return self.unpaid().filter(due_on__lt=today or timezone.localdate())

    def paid_in_year(self, year):
        return self.filter(status=Compensation.Status.PAID, paid_on__year=year)

    def total(self):
        return self.aggregate(total=Sum("amount"))["total"] or ZERO


class Compensation(models.Model):
    """What one consultant is owed for one completed engagement, and when it was paid."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        PAID = "paid", _("Paid")
        REOPENED = "reopened", _("Reported not received")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(
        ParticipationRequest, on_delete=models.PROTECT, related_name="compensation"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="compensations"
    )
    consultant = models.ForeignKey(
        ConsultantProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="compensations",
    )
    fee = models.DecimalField(_("fee (USD)"), max_digits=9, decimal_places=2)
    expenses_total = models.DecimalField(
        _("expenses (USD)"), max_digits=9, decimal_places=2, default=ZERO
    )
    amount = models.DecimalField(_("amount (USD)"), max_digits=9, decimal_places=2)
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    payment_method = models.CharField(
        _("how to be paid"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_method = models.CharField(
        _("paid by"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    paid_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    marked_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    not_received_note = models.TextField(_("note on the missing payment"), blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CompensationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("compensation record")
        verbose_name_plural = _("compensation records")
        indexes = [
            models.Index(fields=["partnership", "status", "due_on"]),
            # A coordinator's compensation list, by due date.
            models.Index(fields=["partnership", "due_on", "id"], name="compensation_list_idx"),
        ]

    def __str__(self):
        return _("%(amount)s for %(request)s") % {"amount": self.amount, "request": self.request}

    def get_absolute_url(self):
        return reverse("survivors:my-compensation-detail", kwargs={"pk": self.pk})

    def is_paid(self):
        return self.status == self.Status.PAID

    def settle(self):
        """What is owed, summed in one place: the fee plus the approved expense lines (a
        submitted or queried line is not paid until approved). Services call it when the
        record is created, when a line is approved and before a payment is recorded."""
        self.expenses_total = Expense.objects.filter(request_id=self.request_id).payable().total()
        self.amount = self.fee + self.expenses_total
        return self.amount

    def status_label(self):
        return choice_label(self.Status, self.status)

    def payment_method_label(self):
        return choice_label(PaymentMethod, self.payment_method)

    def is_overdue(self, today=None):
        return not self.is_paid() and self.due_on < (today or timezone.localdate())

    def days_to_payment(self):
        completed = self.request.engagement.completed_at
        if not (self.paid_on and completed):
            return None
        return (self.paid_on - timezone.localdate(completed)).days


class Feedback(models.Model):
    """A consultant's feedback to the partnership after an engagement."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(
        ParticipationRequest, on_delete=models.CASCADE, related_name="feedback"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="survivor_feedback"
    )
    is_anonymous = models.BooleanField(
        _("share anonymously"),
        default=True,
        help_text=_("Anonymous feedback is shown to coordinators only in aggregate, unnamed."),
    )
    went_well = models.TextField(_("what went well"), blank=True)
    to_improve = models.TextField(_("what could be better"), blank=True)
    felt_respected = models.PositiveSmallIntegerField(
        _("I felt respected and safe (1–5)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return _("Feedback on %(engagement)s") % {"engagement": self.request.engagement}
