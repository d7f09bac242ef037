import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from toolkit_portal.storage import private_storage
from toolkit_portal.uploads import (
    CERTIFICATE_EXTENSIONS,
    read_head,
    sniff_certificate_type,
    validate_certificate,
)
from toolkit_portal.vocabulary import KeyArea, Principle

from .choices import Audience, Cost, Delivery, Format, GrowthArea, RequestStatus, Topic
from .fields import ChoiceArrayField

# Paths under /trainings/ that a training's slug must not take.
RESERVED_SLUGS = {"suggest", "requests"}

# A training counts as trauma-informed for the partnership indicator when it carries this topic.
TRAUMA_INFORMED_TOPIC = Topic.TRAUMA_INFORMED_CARE
TRAUMA_INFORMED_YEARS = 3


def years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def unique_slug(model, text, *, exclude_pk=None, max_length=80):
    base = (slugify(text) or "training")[: max_length - 4].strip("-")
    candidate, number = base, 2
    while candidate in RESERVED_SLUGS or (
        model.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists()
    ):
        candidate = f"{base}-{number}"
        number += 1
    return candidate


class Provider(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self):
        return self.name


class TrainingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published trainings for everyone; a suggestion also for its suggester; all for admins."""
        if user.is_authenticated and user.is_portal_admin:
            return self.all()
        if user.is_authenticated:
            return self.filter(Q(is_published=True) | Q(suggested_by=user))
        return self.published()

    def with_ratings(self):
        """rating_average and rating_count over each person's latest rating of the training:
        someone who took it twice and rated it twice counts once. Two correlated subqueries,
        so a list page's query count does not grow with its rows."""
        latest = (
            Evaluation.objects.filter(record__training=OuterRef(OuterRef("pk")))
            .order_by("record__person_id", "-updated_at", "-pk")
            .distinct("record__person_id")
            .values("pk")
        )
        ratings = (
            Evaluation.objects.filter(pk__in=latest).order_by().annotate(one=Value(1)).values("one")
        )
        return self.annotate(
            rating_average=Subquery(ratings.annotate(v=Avg("rating")).values("v")),
            rating_count=Coalesce(Subquery(ratings.annotate(v=Count("pk")).values("v")), Value(0)),
        )

    def trauma_informed(self):
        return self.filter(topics__contains=[TRAUMA_INFORMED_TOPIC])


class Training(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="trainings"
    )
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)
    format = models.CharField(_("format"), max_length=30, choices=Format.choices)
    audiences = ChoiceArrayField(
        models.CharField(max_length=40, choices=Audience.choices),
        verbose_name=_("audiences"),
        blank=True,
        default=list,
    )
    topics = ChoiceArrayField(
        models.CharField(max_length=40, choices=Topic.choices),
        verbose_name=_("topics"),
        blank=True,
        default=list,
    )
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.VARIES)
    on_site = models.BooleanField(
        _("can be held at your organization's site"),
        default=False,
        help_text=_("Partnerships can request an on-site session of these trainings."),
    )
    length_hours = models.DecimalField(
        _("length in hours"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    url = models.URLField(_("web address"), blank=True)
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Where in-person sessions are held.")
    )
    description = models.TextField(_("description"), blank=True)
    toolkit_notes = models.TextField(
        _("the toolkit's notes"),
        blank=True,
        help_text=_("What the Partnership Toolkit says about this training, one note a line."),
    )
    in_toolkit = models.BooleanField(_("listed in the Partnership Toolkit"), default=False)
    key_areas = ChoiceArrayField(
        models.CharField(max_length=40, choices=KeyArea.choices),
        verbose_name=_("key areas it strengthens"),
        blank=True,
        default=list,
    )
    principles = ChoiceArrayField(
        models.CharField(max_length=40, choices=Principle.choices),
        verbose_name=_("principles it strengthens"),
        blank=True,
        default=list,
    )
    growth_areas = ChoiceArrayField(
        models.CharField(max_length=40, choices=GrowthArea.choices),
        verbose_name=_("personal growth it supports"),
        blank=True,
        default=list,
        help_text=_("Used to recommend the training for survivors' growth goals."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggested_trainings",
    )
    # Set when the suggester has been told of publication, so they are told once.
    created_at = models.DateTimeField(
        pgettext_lazy("date a training was created", "created"), auto_now_add=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Weighted so that a word in the title ranks above the same word in the notes or text.
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config="english")
            + SearchVector("toolkit_notes", weight="B", config="english")
            + SearchVector("description", weight="C", config="english")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = [
            GinIndex(fields=["search_vector"], name="training_search_idx"),
            # Misspelled and partial titles use a trigram index where the server has pg_trgm
            # (made by migration 0004, not declared here: not every server has it).
            GinIndex(fields=["topics"], name="training_topics_idx"),
            GinIndex(fields=["key_areas"], name="training_key_areas_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Training, self.title, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trainings:detail", kwargs={"slug": self.slug})

    def can_be_requested(self):
        return self.is_published and self.on_site

    def is_trauma_informed(self):
        return TRAUMA_INFORMED_TOPIC in self.topics

    def toolkit_note_lines(self):
        return [line.strip() for line in self.toolkit_notes.splitlines() if line.strip()]

    def _labels(self, choices, values):
        names = dict(choices)
        return [names.get(value, value) for value in values]

    def audience_labels(self):
        return self._labels(Audience.choices, self.audiences)

    def topic_labels(self):
        return self._labels(Topic.choices, self.topics)

    def key_area_labels(self):
        return self._labels(KeyArea.choices, self.key_areas)

    def principle_labels(self):
        return self._labels(Principle.choices, self.principles)

    def growth_area_labels(self):
        return self._labels(GrowthArea.choices, self.growth_areas)


class TrainingRecordQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(person=user)

    def visible_to(self, user):
        """A person's own records; admins see every record. Anyone else sees none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        return self.filter(person=user)

    def within_years(self, years, *, today=None):
        return self.filter(completed_on__gte=years_ago(today or timezone.localdate(), years))


def certificate_path(record, filename):
    # The person's file name is not kept: it may carry their legal name.
    extension = CERTIFICATE_EXTENSIONS.get(record.certificate_type, "bin")
    return f"certificates/{uuid.uuid4().hex}.{extension}"


class TrainingRecord(models.Model):
    """A person's completed training. Visible only to that person and to admins."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.PROTECT, related_name="records"
    )
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(2000)],
    )
    certificate = models.FileField(
        _("certificate"),
        storage=private_storage,
        upload_to=certificate_path,
        blank=True,
        validators=[validate_certificate],
    )
    certificate_type = models.CharField(
        _("certificate type"), max_length=40, blank=True, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-created_at"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="training_record_hours_positive")
        ]

    def __str__(self):
        # No name: this appears in the admin log and must not identify the person.
        return f"{self.training} ({self.completed_on:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.certificate and not self.certificate._committed:
            kind = sniff_certificate_type(read_head(self.certificate.file))
            self.certificate_type = kind[0] if kind else ""
        elif not self.certificate:
            self.certificate_type = ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("mytrainings:record-detail", kwargs={"pk": self.pk})

    def certificate_download_name(self):
        extension = CERTIFICATE_EXTENSIONS.get(self.certificate_type, "bin")
        return f"certificate-{self.training.slug}-{self.completed_on:%Y-%m-%d}.{extension}"


class Evaluation(models.Model):
    """A person's rating of a training they completed. Shown in the catalog without names."""

    record = models.OneToOneField(
        TrainingRecord,
        verbose_name=_("training record"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    comment_hidden = models.BooleanField(
        _("comment hidden"),
        default=False,
        help_text=_("Hidden comments still count in the rating but are not shown."),
    )
    created_at = models.DateTimeField(
        pgettext_lazy("date a training rating was created", "created"), auto_now_add=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="evaluation_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.record.training} — {self.rating}/5"


class GrowthGoalQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(person=user)

    def active(self):
        return self.filter(achieved_on__isnull=True)


class GrowthGoal(models.Model):
    """What a survivor wants to grow in. Visible only to them and to admins."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="growth_goals",
    )
    area = models.CharField(_("area"), max_length=30, choices=GrowthArea.choices)
    topics = ChoiceArrayField(
        models.CharField(max_length=40, choices=Topic.choices),
        verbose_name=_("topics"),
        blank=True,
        default=list,
    )
    description = models.TextField(_("in your own words"), blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("date a growth goal was created", "created"), auto_now_add=True
    )

    objects = GrowthGoalQuerySet.as_manager()

    class Meta:
        # Open goals (no date reached) first.
        ordering = [models.F("achieved_on").asc(nulls_first=True), "-created_at"]
        verbose_name = _("growth goal")
        verbose_name_plural = _("growth goals")

    def __str__(self):
        return str(self.get_area_display())

    def topic_labels(self):
        names = dict(Topic.choices)
        return [names.get(value, value) for value in self.topics]


class TrainingRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Requests of the partnerships the user coordinates; every request for admins."""
        from partnerships.models import Partnership

        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        return self.filter(partnership__in=Partnership.objects.coordinated_by(user))

    def open(self):
        return self.filter(status__in=[RequestStatus.SENT, RequestStatus.SCHEDULED])


class TrainingRequest(models.Model):
    """A partnership's request for an on-site session of a training."""

    # Allowed moves; the admin records the provider's answer through these.
    TRANSITIONS = {
        RequestStatus.SENT: {RequestStatus.SCHEDULED, RequestStatus.DECLINED},
        RequestStatus.SCHEDULED: {RequestStatus.HELD, RequestStatus.DECLINED},
        RequestStatus.HELD: set(),
        RequestStatus.DECLINED: set(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.PROTECT, related_name="requests"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="training_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="training_requests",
    )
    preferred_from = models.DateField(_("preferred dates from"))
    preferred_until = models.DateField(_("preferred dates until"))
    audience_size = models.PositiveIntegerField(
        _("audience size"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SENT
    )
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    objects = TrainingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("training request")
        verbose_name_plural = _("training requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_until__gte=models.F("preferred_from")),
                name="training_request_dates_in_order",
                violation_error_message=_("The last preferred date comes before the first."),
            )
        ]

    def __str__(self):
        return f"{self.training} — {self.partnership}"

    def get_absolute_url(self):
        return reverse("trainings:request-detail", kwargs={"pk": self.pk})

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    def is_open(self):
        return self.status in {RequestStatus.SENT, RequestStatus.SCHEDULED}
