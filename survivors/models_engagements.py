"""Engagements, the participation requests that invite consultants to them, a partnership's
pay policy and rate card, and a consultant's feedback.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from toolkit_portal.vocabulary import SurvivorRole

from .models_common import (
    ZERO,
    EngagementKind,
    PaymentMethod,
    RateBasis,
    _managed_by,
    choice_label,
)


class CompensationPolicy(models.Model):
    """A partnership's payment methods; its rate card entries hang off it."""

    partnership = models.OneToOneField(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="compensation_policy",
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


class PortalText(models.TextChoices):
    """Engagements the portal sets up itself (an assessment round's review, a board's
    meeting): it keeps what their title is made of, not its words, so each reader sees the
    title (and a review's description) in their own language, whoever created it."""

    NONE = "", _("none: typed by a coordinator")
    ASSESSMENT_REVIEW = "assessment_review", _("a self-assessment round's review")
    BOARD_MEETING = "board_meeting", _("a board's meeting")


PORTAL_TITLES = {
    PortalText.ASSESSMENT_REVIEW: (_("Self-assessment review: %(title)s"), "title"),
    PortalText.BOARD_MEETING: (_("%(board)s meeting"), "board"),
}
PORTAL_DESCRIPTIONS = {
    PortalText.ASSESSMENT_REVIEW: _(
        "Rate the partnership on the trauma-informed self-assessment, on your own "
        "and at your own pace, until the closing date. No one sees your answers; "
        "results show survivors' ratings only when at least three survivors rated."
    ),
}


def _portal_title(portal_text, subject):
    pattern, name = PORTAL_TITLES[portal_text]
    return str(pattern) % {name: subject}


# Lazy: put into an email, a calendar or the inbox, the title takes the language active when
# it is finally written out (the recipient's), not the one of the code that picked it.
portal_title = lazy(_portal_title, str)


def shown_title(title, portal_text, subject):
    """An engagement's title as its reader sees it: what a coordinator typed, or else the
    portal's own title in the active language. Lists that read rows as dicts call it too."""
    if title or portal_text not in PORTAL_TITLES:
        return title
    return portal_title(portal_text, subject)


# Stands in for the subject while a title's words are looked up, then is cut out again.
_SUBJECT = "\x00subject\x00"


def _title_words(portal_text, language):
    """The words of a portal title around its subject, in `language`: ["Revisión: ", ""]."""
    with translation.override(language):
        return _portal_title(portal_text, _SUBJECT).split(_SUBJECT)


def shown_title_expression(language, engagement=""):
    """`shown_title` as SQL over an engagement's columns (`engagement`: the path to it, e.g.
    "request__engagement__"), in the reader's language: `language` is an expression (their
    `User.language`), or a language code. A reader whose language is none of LANGUAGES reads
    the default one, as `translation.override` with an empty language would give."""
    title = F(f"{engagement}title")
    subject = F(f"{engagement}portal_text_subject")
    codes = [code for code, _name in settings.LANGUAGES]

    def in_language(text, code):
        words = _title_words(text, code)
        pieces = [piece for word in words for piece in (Value(word), subject)][:-1]
        return Concat(*pieces)

    def for_reader(text):
        if not hasattr(language, "resolve_expression"):
            return in_language(text, language if language in codes else settings.LANGUAGE_CODE)
        return Case(
            *[When(Exact(language, code), then=in_language(text, code)) for code in codes],
            default=in_language(text, settings.LANGUAGE_CODE),
            output_field=models.CharField(),
        )

    return Case(
        *[
            When(
                Q(**{f"{engagement}title": "", f"{engagement}portal_text": text}),
                then=for_reader(text),
            )
            for text in PORTAL_TITLES
        ],
        default=title,
        output_field=models.CharField(),
    )


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

    # What a coordinator sets when offering one, in the order the form asks.
    OFFERED_FIELDS = [
        "partnership",
        "title",
        "kind",
        "roles_needed",
        "description",
        "content_notes",
        "mode",
        "location",
        "starts_at",
        "ends_at",
        "estimated_hours",
        "compensation_amount",
        "compensation_basis",
        "seats",
        "response_deadline",
        "involves_criminal_justice",
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Blank when the portal's own title applies (portal_text), so it can follow the reader's
    # language; `display_title` is what every page, email and calendar shows.
    title = models.CharField(_("title"), max_length=200, blank=True)
    portal_text = models.CharField(
        _("set up by the portal for"),
        max_length=30,
        choices=PortalText.choices,
        blank=True,
        default=PortalText.NONE,
    )
    portal_text_subject = models.CharField(
        _("what the portal's title names"),
        max_length=200,
        blank=True,
        help_text=_("The self-assessment round's title or the board's name."),
    )
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
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
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
            ),
            models.CheckConstraint(
                condition=~Q(title="") | ~Q(portal_text=""), name="engagement_has_a_title"
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "-starts_at"]),
            # The engagement list of an admin (every partnership), newest first.
            models.Index(fields=["-starts_at", "id"], name="engagement_starts_id_idx"),
        ]

    def __str__(self):
        return str(self.display_title)

    def get_absolute_url(self):
        return reverse("survivors:engagement-detail", kwargs={"pk": self.pk})

    def clean(self):
        if not self.title.strip() and not self.portal_text:
            raise ValidationError({"title": _("Give the engagement a title.")})

    @property
    def display_title(self):
        return shown_title(self.title, self.portal_text, self.portal_text_subject)

    @property
    def display_description(self):
        """What a coordinator wrote, or else the portal's own description (a review's)."""
        if self.description or self.portal_text not in PORTAL_DESCRIPTIONS:
            return self.description
        return PORTAL_DESCRIPTIONS[self.portal_text]

    def portal_words(self, field):
        """The portal's title or description of this engagement in every language, or an
        empty set: a form that posts one of them back leaves the portal's in place."""
        if field == "title" and self.portal_text in PORTAL_TITLES:
            text = portal_title(self.portal_text, self.portal_text_subject)
        elif field == "description" and self.portal_text in PORTAL_DESCRIPTIONS:
            text = PORTAL_DESCRIPTIONS[self.portal_text]
        else:
            return set()
        words = set()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                words.add(str(text).strip())
        return words

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
    engagement = models.ForeignKey(
        Engagement, verbose_name=_("engagement"), on_delete=models.CASCADE, related_name="requests"
    )
    # Empty once the consultant erased their data: the engagement keeps a "former consultant".
    consultant = models.ForeignKey(
        "survivors.ConsultantProfile",
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Seen only by the coordinators of the engagement's partnership.
    decline_reason = models.TextField(_("reason (optional, private)"), blank=True)
    withdraw_reason = models.TextField(_("reason (optional, private)"), blank=True)
    # Consent, given when accepting and changeable until the engagement starts.
    consent_story_shared = models.BooleanField(_("my story may be shared"), default=False)
    consent_off_limits = models.TextField(_("topics that are off limits"), blank=True)
    consent_recording = models.BooleanField(_("recording is allowed"), default=False)
    consent_media = models.BooleanField(_("media or press may attend"), default=False)
    consent_name_to_use = models.CharField(_("name to use"), max_length=80, blank=True)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_revoked_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    # The engagement's terms (Engagement.terms()) when she accepted or last confirmed them.
    agreed_terms = models.JSONField(_("agreed terms"), default=dict, blank=True)
    # The last material change of the engagement while this request was open, and which
    # terms it changed (codes of services.material_changes).
    terms_changed_at = models.DateTimeField(_("terms changed"), null=True, blank=True)
    changed_terms = ArrayField(
        models.CharField(max_length=30),
        verbose_name=_("terms that changed"),
        default=list,
        blank=True,
    )
    # Released by the coordinators because the engagement now involves the criminal justice
    # system and she had not opted in: cancelled with a kind notice, nothing against her.
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
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
            "engagement": self.engagement.display_title,
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


class Feedback(models.Model):
    """A consultant's feedback to the partnership after an engagement."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(
        ParticipationRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="survivor_feedback",
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
