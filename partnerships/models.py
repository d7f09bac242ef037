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

from toolkit_portal.vocabulary import FourP, FourR, KeyArea, Principle, Sector

# Addresses under /partnerships/ that are not a partnership's slug.
RESERVED_SLUGS = {"coverage", "invitations", "recommendations", "positions", "new"}


def validate_not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address name is reserved; choose another."))


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
    focus = ArrayField(
        models.CharField(max_length=20, choices=FourP.choices),
        verbose_name=_("4P focus"),
        default=list,
        blank=True,
    )
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

    def focus_labels(self):
        return [FourP(value).label for value in self.focus if value in FourP.values]

    def areas_list(self):
        return [area.strip() for area in self.areas_served.split(",") if area.strip()]

    def sector_coverage(self):
        """[(sector value, label, organization count)] for every sector, in the toolkit's
        order; a count of 0 is a missing sector."""
        counts = dict(self.organizations.values_list("sector").annotate(n=Count("id")).order_by())
        return [(value, label, counts.get(value, 0)) for value, label in Sector.choices]

    def coordinator_count(self):
        return self.memberships.filter(role=Membership.Role.COORDINATOR).count()

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


class Organization(models.Model):
    """A member organization of a partnership, with the sector it brings to the table."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="organizations",
    )
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

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="goals"
    )
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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
    """An invitation by email to coordinate a partnership. The link carries a signed token;
    the row says whether it is still good (not accepted, revoked or expired)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default="coordinator"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
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

    def token(self):
        from django.core import signing

        return signing.dumps(str(self.pk), salt=INVITATION_SALT)


INVITATION_SALT = "partnerships.invitation"


class RecommendationQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        return self.filter(partnership__in=Partnership.objects.coordinated_by(user))

    def by_consultant(self, user):
        """The consultant's own recommendations, and those of boards they sit or sat on."""
        if not (user.is_authenticated and user.is_consultant):
            return self.none()
        boards = Board.objects.filter(members__consultant__user=user).values("pk")
        return self.filter(Q(consultant__user=user) | Q(board__in=boards))

    def awaiting_answer(self):
        return self.filter(status=Recommendation.Status.RECEIVED, answered_at__isnull=True)


class Recommendation(models.Model):
    """ "You said, we did": a consultant's recommendation to a partnership and its answer."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
        ADOPTED = "adopted", _("Adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    consultant = models.ForeignKey(
        "survivors.ConsultantProfile",
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    board = models.ForeignKey(
        "Board",
        verbose_name=_("from the board"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    engagement = models.ForeignKey(
        "survivors.Engagement",
        verbose_name=_("after the engagement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("recommendation"), max_length=4000)
    # As with anonymous feedback: coordinators see it unnamed and not tied to an engagement
    # or a day. The consultant stays recorded (only she and admins see that), so she keeps
    # seeing it with its answer and is told when it is answered.
    is_anonymous = models.BooleanField(
        _("send without my name"),
        default=False,
        help_text=_(
            "Coordinators see and answer your recommendation without your name, and without "
            "the engagement or the day it came from. You still see it and its answer here."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    response = models.TextField(_("response"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return _("Recommendation to %(partnership)s") % {"partnership": self.partnership}

    def shown_engagement(self):
        """The engagement coordinators may see it tied to: none when sent without a name."""
        return None if self.is_anonymous else self.engagement


class Board(models.Model):
    """A survivor leader board: paid seats with staggered terms, against tokenization."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="boards"
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    survivor_seats = models.PositiveSmallIntegerField(
        _("survivor seats"), default=3, validators=[MinValueValidator(1)]
    )
    term_months = models.PositiveSmallIntegerField(
        _("term length (months)"),
        default=18,
        validators=[MinValueValidator(6), MaxValueValidator(48)],
        help_text=_("12 to 24 months is common; stagger start dates so not all seats turn over."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "name"]
        verbose_name = _("survivor leader board")
        verbose_name_plural = _("survivor leader boards")

    def __str__(self):
        return self.name

    def needs_tokenization_warning(self):
        return self.survivor_seats < 2


class BoardMemberQuerySet(models.QuerySet):
    def serving(self, today=None):
        today = today or timezone.localdate()
        return self.filter(term_starts_on__lte=today, term_ends_on__gte=today)

    def term_ending_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(term_ends_on__gte=today, term_ends_on__lte=today + timedelta(days=days))

    def held_by(self, user):
        """The seats of the signed-in consultant, and no one else's."""
        if not (user.is_authenticated and user.is_consultant):
            return self.none()
        return self.filter(consultant__user=user)

    def current_or_ahead(self, today=None):
        """Seats whose term has not ended: serving now, or starting later."""
        return self.filter(term_ends_on__gte=today or timezone.localdate())


class BoardMember(models.Model):
    """A consultant seated on a board for one term."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="members"
    )
    consultant = models.ForeignKey(
        "survivors.ConsultantProfile",
        verbose_name=_("consultant"),
        on_delete=models.CASCADE,
        related_name="board_seats",
    )
    term_starts_on = models.DateField(_("term starts"))
    term_ends_on = models.DateField(_("term ends"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BoardMemberQuerySet.as_manager()

    class Meta:
        ordering = ["board", "term_ends_on"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("term_starts_on")),
                name="board_term_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.consultant} — {self.board}"

    def get_absolute_url(self):
        """The member's own page for the seat (under /me/); coordinators use the board's."""
        return reverse("myboards:seat", kwargs={"pk": self.pk})

    def state(self, today=None):
        """ "upcoming", "serving" or "ended"."""
        today = today or timezone.localdate()
        if today < self.term_starts_on:
            return "upcoming"
        return "serving" if today <= self.term_ends_on else "ended"

    def days_left(self, today=None):
        return (self.term_ends_on - (today or timezone.localdate())).days


class BoardMeeting(models.Model):
    """A board meeting; its survivor seats are offered as a paid "board seat" engagement."""

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="meetings"
    )
    engagement = models.OneToOneField(
        "survivors.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="board_meeting",
    )

    class Meta:
        ordering = ["-engagement__starts_at"]
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")

    def __str__(self):
        return str(self.engagement)


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

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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


# The trauma-informed self-assessment ---------------------------------------------------------
# The instrument's wording is data (migration 0004 ships version 1), so it can be revised in a
# new version without losing old answers: each round records the version it used.


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
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
