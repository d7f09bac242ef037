"""The trauma-informed self-assessment: the instrument, rounds, raters, answers and the
priorities a partnership sets from the results.

The models came from `partnerships` (migration assessment 0001 took them over without touching
the database): their tables keep their `partnerships_*` names.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Goal, Partnership
from toolkit_portal.vocabulary import FourR, KeyArea, Principle

# The instrument's wording is data (migration partnerships 0004 ships version 1), so it can be
# revised in a new version without losing old answers: each round records the version it used.


class Level(models.IntegerChoices):
    """The rating scale of every item; an answer without a level is "not applicable"."""

    NOT_YET = 1, _("Not yet")
    BEGINNING = 2, _("Beginning")
    DEVELOPING = 3, _("Developing")
    ESTABLISHED = 4, _("Established")
    SUSTAINED = 5, _("Sustained")


# The pages of the questionnaire: one per key area, then the Four R's.
FOUR_RS_PAGE = "four-rs"


def assessment_pages():
    """[(page slug, label)] in the order a rater goes through them."""
    return [*KeyArea.choices, (FOUR_RS_PAGE, _("The Four R's"))]


class InstrumentVersion(models.Model):
    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), default=timezone.localdate)
    is_current = models.BooleanField(
        _("used for new rounds"),
        default=False,
        help_text=_("New rounds use the current version; older rounds keep theirs."),
    )
    notes = models.TextField(_("what changed"), blank=True)

    class Meta:
        db_table = "partnerships_instrumentversion"  # the table kept its name when the app moved
        ordering = ["-number"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_instrument_version",
            )
        ]

    def __str__(self):
        return _("Version %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def display_title(self, language=None):
        """The title in the active language (Spanish when asked for and given)."""
        from django.utils.translation import get_language

        language = (language or get_language() or "en").lower()
        if language.startswith("es") and self.title_es:
            return self.title_es
        return self.title


class ItemQuerySet(models.QuerySet):
    def in_page(self, page):
        if page == FOUR_RS_PAGE:
            return self.filter(four_r__gt="")
        return self.filter(key_area=page)


class Item(models.Model):
    """One statement of the instrument: a key area under one principle, or one of the Four
    R's. The statement is kept in English and Spanish."""

    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("instrument version"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    code = models.CharField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"))
    key_area = models.CharField(_("key area"), max_length=30, choices=KeyArea.choices, blank=True)
    principle = models.CharField(
        _("principle"), max_length=30, choices=Principle.choices, blank=True
    )
    four_r = models.CharField(_("Four R's"), max_length=20, choices=FourR.choices, blank=True)
    statement_en = models.TextField(_("statement (English)"))
    statement_es = models.TextField(_("statement (Spanish)"))

    objects = ItemQuerySet.as_manager()

    class Meta:
        db_table = "partnerships_item"  # the table kept its name when the app moved
        ordering = ["version", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_item_code_per_version"),
            models.CheckConstraint(
                condition=(Q(key_area__gt="") & Q(principle__gt="") & Q(four_r=""))
                | (Q(key_area="") & Q(principle="") & Q(four_r__gt="")),
                name="item_is_area_and_principle_or_a_four_r",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.statement_en[:80]}"

    def statement(self, language=None):
        """The statement in the active language (Spanish when asked for, else English)."""
        from django.utils.translation import get_language

        language = (language or get_language() or "en").lower()
        if language.startswith("es") and self.statement_es:
            return self.statement_es
        return self.statement_en

    @property
    def page(self):
        return FOUR_RS_PAGE if self.four_r else self.key_area


class AssessmentRoundQuerySet(models.QuerySet):
    def closed(self, today=None):
        """Closed by a coordinator, or past the closing date."""
        today = today or timezone.localdate()
        return self.filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))

    def open(self, today=None):
        today = today or timezone.localdate()
        return self.filter(closed_at__isnull=True, closes_on__gte=today)

    def visible_to(self, user):
        """Rounds of partnerships the user coordinates, and rounds they rate."""
        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        if user.is_pending_coordinator:
            return self.none()
        coordinated = Partnership.objects.coordinated_by(user).values("pk")
        rated = Rater.objects.active().filter(user=user).values("round_id")
        return self.filter(Q(partnership__in=coordinated) | Q(pk__in=rated))


class AssessmentRound(models.Model):
    """One sitting of the self-assessment: raters answer on their own until it closes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="assessment_rounds",
    )
    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("instrument version"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    title = models.CharField(_("title"), max_length=200)
    closes_on = models.DateField(_("closing date"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Survivor consultants are invited through one paid "assessment review" engagement.
    engagement = models.OneToOneField(
        "survivors.Engagement",
        verbose_name=_("engagement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_round",
    )

    objects = AssessmentRoundQuerySet.as_manager()

    class Meta:
        db_table = "partnerships_assessmentround"  # the table kept its name when the app moved
        ordering = ["-opened_at"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self):
        return f"{self.partnership}: {self.title}"

    def get_absolute_url(self):
        return reverse(
            "partnerships:assessment-round",
            kwargs={"slug": self.partnership.slug, "pk": self.pk},
        )

    def is_closed(self, today=None):
        """Closed by a coordinator, or past its closing date."""
        today = today or timezone.localdate()
        return self.closed_at is not None or self.closes_on < today


class RaterQuerySet(models.QuerySet):
    def active(self):
        """Staff raters, and survivor consultants once they accepted the request."""
        from survivors.models import ParticipationRequest

        Status = ParticipationRequest.Status
        return self.filter(
            Q(kind=Rater.Kind.STAFF)
            | Q(participation_request__status__in=[Status.ACCEPTED, Status.COMPLETED])
        )


class Rater(models.Model):
    """A person invited to rate a round: a coordinator or member of the partnership (staff),
    or a survivor consultant through a participation request."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Partnership staff")
        SURVIVOR = "survivor", _("Survivor consultant")

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("assessment round"),
        on_delete=models.CASCADE,
        related_name="raters",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="assessment_raters",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    participation_request = models.OneToOneField(
        "survivors.ParticipationRequest",
        verbose_name=_("participation request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessment_rater",
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)

    objects = RaterQuerySet.as_manager()

    class Meta:
        db_table = "partnerships_rater"  # the table kept its name when the app moved
        ordering = ["round", "kind", "invited_at"]
        verbose_name = _("rater")
        verbose_name_plural = _("raters")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_rater_per_person"),
            models.CheckConstraint(
                condition=Q(kind="staff", participation_request__isnull=True)
                | Q(kind="survivor", participation_request__isnull=False),
                name="survivor_rater_has_a_request",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.round}"


class Answer(models.Model):
    """One rater's answer to one item. No level means "not applicable"."""

    rater = models.ForeignKey(
        Rater, verbose_name=_("rater"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        db_table = "partnerships_answer"  # the table kept its name when the app moved
        ordering = ["rater", "item__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["rater", "item"], name="one_answer_per_item"),
        ]

    def __str__(self):
        level = self.get_level_display() if self.level else _("Not applicable")
        return f"{self.item.code}: {level}"


class Priority(models.Model):
    """A weak key area the partnership chose to work on, with why, and the goal for it."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("assessment round"),
        on_delete=models.CASCADE,
        related_name="priorities",
    )
    key_area = models.CharField(_("key area"), max_length=30, choices=KeyArea.choices)
    reason = models.TextField(_("reason"), max_length=4000)
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="priorities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "partnerships_priority"  # the table kept its name when the app moved
        ordering = ["round", "created_at"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "key_area"], name="one_priority_per_area_and_round"
            ),
        ]

    def __str__(self):
        return f"{self.round}: {self.get_key_area_display()}"
