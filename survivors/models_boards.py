"""Survivor leader boards and "you said, we did" recommendations: the survivor side of a
partnership. The models came from `partnerships` (migration survivors 0007 took them over
without touching the database): their tables keep their `partnerships_*` names.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerships.models import Partnership, part_of_partnership

from .models_engagements import Engagement, PortalText


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
    partnership = part_of_partnership("recommendations")
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
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("date a recommendation was recorded", "recorded"), default=timezone.now
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        db_table = "partnerships_recommendation"  # the table kept its name when the model moved
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

    partnership = part_of_partnership("boards")
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
        db_table = "partnerships_board"  # the table kept its name when the model moved
        ordering = ["partnership", "name"]
        verbose_name = _("survivor leader board")
        verbose_name_plural = _("survivor leader boards")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            # A meeting the portal titled ("<board> meeting") names the board through its
            # subject, so a rename (the board's form or the admin) reaches it; a typed title
            # stays as typed.
            Engagement.objects.filter(
                board_meeting__board=self, portal_text=PortalText.BOARD_MEETING
            ).exclude(portal_text_subject=self.name).update(portal_text_subject=self.name)

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
        db_table = "partnerships_boardmember"  # the table kept its name when the model moved
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
        db_table = "partnerships_boardmeeting"  # the table kept its name when the model moved
        ordering = ["-engagement__starts_at"]
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")

    def __str__(self):
        return str(self.engagement)
