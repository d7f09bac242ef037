"""State changes and questions of the training catalog.

Every change is atomic, takes the acting person as a keyword, raises TrainingError with a
message a person can read, records an audit entry and queues its emails on commit.
"""

import functools
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import ExtractYear, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Membership, Partnership
from toolkit_portal.audit import record_audit
from toolkit_portal.errors import DomainError
from toolkit_portal.vocabulary import KeyArea, Principle

from .choices import Cost, RequestStatus, Topic
from .models import (
    TRAUMA_INFORMED_YEARS,
    Evaluation,
    GrowthGoal,
    Provider,
    Training,
    TrainingRecord,
    TrainingRequest,
)


class TrainingError(DomainError):
    """A change that cannot be made, with a message a person can read."""


# ---------------------------------------------------------------------------------------------
# Search


SEARCH_CONFIG = "english"
SORTS = {
    "relevance": None,  # by rank when searching, else by title
    "title": ("title",),
    "rating": (F("rating_average").desc(nulls_last=True), "title"),
    "shortest": (F("length_hours").asc(nulls_last=True), "title"),
    "newest": ("-published_at", "-created_at", "title"),
}


# Word similarity (0–1) from which a title or provider counts as what was meant: "Gundersn"
# and "Gunderson" reach about 0.7 against "Gundersen", an unrelated word stays under 0.3.
SIMILAR_ENOUGH = 0.5


@functools.cache
def trigram_available():
    """Whether this database has pg_trgm (migration 0004 adds it where the server ships it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def search_trainings(queryset, q="", sort="relevance"):
    """Full-text search with ranking, beside a forgiving match on title and provider.

    Trigram word similarity finds a misspelled or partial name ("Gunderson", "Gundersn",
    "traum" for the toolkit's "Gundersen" and "trauma"); the plain match keeps queries that
    parse to nothing (only stop words or punctuation) working. An exact title still ranks
    first, then the text's own rank, then how close the spelling is.
    """
    q = (q or "").strip()
    if q:
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        matches = Q(search_vector=query) | Q(title__icontains=q) | Q(provider__name__icontains=q)
        if trigram_available():
            closeness = Greatest(
                TrigramWordSimilarity(q, "title"), TrigramWordSimilarity(q, "provider__name")
            )
            matches |= Q(closeness__gte=SIMILAR_ENOUGH)
        else:
            closeness = Value(0.0)
        queryset = (
            queryset.annotate(closeness=closeness)
            .filter(matches)
            .annotate(
                rank=SearchRank(F("search_vector"), query)
                + F("closeness") / 2
                # An exact title comes first whatever the text says.
                + Case(When(title__iexact=q, then=Value(10.0)), default=Value(0.0))
            )
        )
    order = SORTS.get(sort) or SORTS["title"]
    if sort == "relevance" or sort not in SORTS:
        order = ("-rank", "title") if q else SORTS["title"]
    return queryset.order_by(*order)


# ---------------------------------------------------------------------------------------------
# Suggest and publish


@transaction.atomic
def suggest_training(*, actor, provider_name, provider_website="", **fields):
    """A coordinator or consultant suggests a training; it waits unpublished for an admin."""
    if not (actor.is_consultant or actor.is_approved_coordinator or actor.is_portal_admin):
        raise TrainingError(_("Only consultants and approved coordinators can suggest trainings."))
    provider_name = provider_name.strip()
    if not provider_name:
        raise TrainingError(_("Say who offers the training."))
    provider = Provider.objects.filter(name__iexact=provider_name).first()
    if provider is None:
        provider = Provider.objects.create(name=provider_name, website=provider_website)
        record_audit(actor, "trainings.provider.suggested", provider)
    training = Training(**fields, provider=provider, suggested_by=actor, is_published=False)
    training.save()
    record_audit(actor, "trainings.training.suggested", training)
    return training  # the reminder sweep tells the admins (trainings/reminders.py)


@transaction.atomic
def publish_training(*, training, actor):
    training = Training.objects.select_for_update().get(pk=training.pk)
    if training.is_published:
        raise TrainingError(_("“%(title)s” is already published.") % {"title": training.title})
    training.is_published = True
    training.published_at = training.published_at or timezone.now()
    training.save(update_fields=["is_published", "published_at", "updated_at"])
    record_audit(actor, "trainings.training.published", training)
    return training  # the sweep tells the suggester, once (trainings/reminders.py)


@transaction.atomic
def unpublish_training(*, training, actor):
    training = Training.objects.select_for_update().get(pk=training.pk)
    if not training.is_published:
        raise TrainingError(_("“%(title)s” is not published.") % {"title": training.title})
    training.is_published = False
    training.save(update_fields=["is_published", "updated_at"])
    record_audit(actor, "trainings.training.unpublished", training)
    return training


# ---------------------------------------------------------------------------------------------
# Training records and evaluations


@transaction.atomic
def record_training(*, actor, training, completed_on, hours, certificate=None, note=""):
    """The signed-in person records a training they completed."""
    if not actor.is_authenticated:
        raise TrainingError(_("Sign in to record a training."))
    if not (training.is_published or training.suggested_by_id == actor.pk):
        raise TrainingError(_("This training is not in the catalog."))
    if completed_on > timezone.localdate():
        raise TrainingError(_("The completion date cannot be in the future."))
    record = TrainingRecord(
        person=actor, training=training, completed_on=completed_on, hours=hours, note=note
    )
    if certificate:
        record.certificate = certificate
    record.full_clean()
    record.save()
    record_audit(actor, "trainings.record.created", record)
    return record


def _owned_by(row, actor, refusal):
    """A record or a growth goal is changed only by the person it belongs to."""
    if row.person_id != actor.pk:
        raise TrainingError(refusal)


@transaction.atomic
def delete_training_record(*, record, actor):
    _owned_by(record, actor, _("Only the person who recorded a training can delete it."))
    storage, name = record.certificate.storage, record.certificate.name
    record_audit(actor, "trainings.record.deleted", record)
    record.delete()
    if name:
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def evaluate_training(*, record, actor, rating, comment=""):
    """Rate a completed training (1–5) with an optional comment; a second rating replaces it."""
    _owned_by(record, actor, _("Only the person who completed a training can rate it."))
    if rating not in range(1, 6):
        raise TrainingError(_("Choose a rating from 1 to 5."))
    evaluation, created = Evaluation.objects.update_or_create(
        record=record, defaults={"rating": rating, "comment": comment.strip()}
    )
    record_audit(
        actor,
        "trainings.evaluation.created" if created else "trainings.evaluation.changed",
        evaluation,
    )
    return evaluation


def hours_by_year(records):
    """[(year, total hours)] for a person's records, newest year first, in one query."""
    return list(
        records.order_by()
        .annotate(year=ExtractYear("completed_on"))
        .values("year")
        .annotate(total=Sum("hours"))
        .order_by("-year")
        .values_list("year", "total")
    )


# ---------------------------------------------------------------------------------------------
# Growth goals and recommendations


@transaction.atomic
def save_growth_goal(*, actor, goal=None, area, topics, description=""):
    if not actor.is_consultant:
        raise TrainingError(_("Growth goals are for survivor consultants."))
    if goal is not None:
        _owned_by(goal, actor, _("This goal is someone else's."))
    created = goal is None
    goal = goal or GrowthGoal(person=actor)
    goal.area, goal.topics, goal.description = area, list(topics), description.strip()
    goal.save()
    record_audit(actor, "trainings.goal.created" if created else "trainings.goal.changed", goal)
    return goal


@transaction.atomic
def mark_goal_achieved(*, goal, actor):
    _owned_by(goal, actor, _("This goal is someone else's."))
    if goal.achieved_on:
        raise TrainingError(_("This goal is already marked as reached."))
    goal.achieved_on = timezone.localdate()
    goal.save(update_fields=["achieved_on"])
    record_audit(actor, "trainings.goal.achieved", goal)
    return goal


@transaction.atomic
def delete_growth_goal(*, goal, actor):
    _owned_by(goal, actor, _("This goal is someone else's."))
    record_audit(actor, "trainings.goal.deleted", goal)
    goal.delete()


def _free_first():
    return Case(When(cost=Cost.FREE, then=0), default=1, output_field=IntegerField())


def recommend_for_person(person, *, limit=5):
    """Published trainings that match the person's open growth goals, free ones first.

    A training matching a goal's topic ranks above one that only matches its area
    (knowledge and skills, confidence, leadership). Trainings already completed are left out.
    """
    goals = list(GrowthGoal.objects.owned_by(person).active().values_list("area", "topics"))
    if not goals:
        return []
    areas = sorted({area for area, _topics in goals})
    topics = sorted({topic for _area, goal_topics in goals for topic in goal_topics})
    matches = Q(growth_areas__overlap=areas)
    if topics:
        matches |= Q(topics__overlap=topics)
    topic_match = (
        Case(When(topics__overlap=topics, then=0), default=1, output_field=IntegerField())
        if topics
        else Value(1)
    )
    return list(
        Training.objects.published()
        .filter(matches)
        .exclude(records__person=person)
        .select_related("provider")
        .annotate(free_rank=_free_first(), topic_rank=topic_match)
        .order_by("free_rank", "topic_rank", "title")[:limit]
    )


# What a key area is closest to, for an area no training names yet: the principles of a
# trauma-informed approach its statements in the self-assessment mostly test, and the catalog's
# topics that teach it. Principles come first: they are the toolkit's own words.
KEY_AREA_PRINCIPLES = {
    KeyArea.GOVERNANCE: [Principle.TRUSTWORTHINESS, Principle.EMPOWERMENT, Principle.COLLABORATION],
    KeyArea.POLICY: [Principle.TRUSTWORTHINESS, Principle.SAFETY, Principle.CULTURAL],
    KeyArea.PHYSICAL_ENVIRONMENT: [Principle.SAFETY, Principle.CULTURAL],
    KeyArea.ENGAGEMENT: [
        Principle.SURVIVOR_SUPPORT,
        Principle.EMPOWERMENT,
        Principle.COLLABORATION,
    ],
    KeyArea.CROSS_SECTOR: [Principle.COLLABORATION, Principle.TRUSTWORTHINESS],
    KeyArea.SCREENING: [Principle.SAFETY, Principle.SURVIVOR_SUPPORT, Principle.CULTURAL],
    KeyArea.TRAINING: [Principle.EMPOWERMENT, Principle.CULTURAL],
    KeyArea.PROGRESS_MONITORING: [Principle.TRUSTWORTHINESS, Principle.COLLABORATION],
    KeyArea.FINANCING: [Principle.TRUSTWORTHINESS, Principle.COLLABORATION],
    KeyArea.EVALUATION: [Principle.TRUSTWORTHINESS, Principle.EMPOWERMENT],
}
KEY_AREA_TOPICS = {
    KeyArea.GOVERNANCE: [Topic.ORGANIZATIONAL_CHANGE, Topic.SURVIVOR_LEADERSHIP],
    KeyArea.POLICY: [Topic.ORGANIZATIONAL_CHANGE],
    KeyArea.PHYSICAL_ENVIRONMENT: [Topic.STAFF_WELLNESS],
    KeyArea.ENGAGEMENT: [Topic.SURVIVOR_LEADERSHIP, Topic.ADVOCACY],
    KeyArea.CROSS_SECTOR: [Topic.CRIMINAL_JUSTICE, Topic.CHILD_PROTECTION],
    KeyArea.SCREENING: [Topic.ACES, Topic.TRAUMA_INFORMED_CARE],
    KeyArea.TRAINING: [Topic.TRAUMA_INFORMED_CARE, Topic.PROFESSIONAL_DEVELOPMENT],
    KeyArea.PROGRESS_MONITORING: [Topic.ORGANIZATIONAL_CHANGE],
    KeyArea.FINANCING: [Topic.ORGANIZATIONAL_CHANGE],
    KeyArea.EVALUATION: [Topic.ORGANIZATIONAL_CHANGE],
}


class AreaTrainings(NamedTuple):
    value: str
    label: str
    trainings: list
    # "" when the trainings name the key area; "principles" or "topics" when none does and
    # these are the closest by what they teach.
    closest_by: str = ""


def _closest(trainings, area):
    """Trainings sharing the most principles with the area; failing that, the most topics."""
    principles, topics = KEY_AREA_PRINCIPLES[area], KEY_AREA_TOPICS[area]
    for field, wanted in (("principles", principles), ("topics", topics)):
        scored = [(len(set(wanted) & set(getattr(t, field))), t) for t in trainings]
        scored = [(score, t) for score, t in scored if score]
        if scored:
            # Stable sort: within a score, free first and by title, as the query ordered them.
            return field, [t for _score, t in sorted(scored, key=lambda pair: -pair[0])]
    return "", []


def recommend_for_key_areas(key_areas, *, per_area=3):
    """Published trainings for each of the given key areas, in the order given.

    For a partnership's weakest key areas of its last self-assessment: [AreaTrainings], free
    trainings first, one query for all areas. An area no training names gets the closest
    trainings by the principles (or else topics) they teach, marked as such (`closest_by`).
    """
    key_areas = [KeyArea(area) for area in key_areas]
    if not key_areas:
        return []
    principles = sorted({str(p) for area in key_areas for p in KEY_AREA_PRINCIPLES[area]})
    topics = sorted({str(t) for area in key_areas for t in KEY_AREA_TOPICS[area]})
    trainings = list(
        Training.objects.published()
        .filter(
            Q(key_areas__overlap=[str(area) for area in key_areas])
            | Q(principles__overlap=principles)
            | Q(topics__overlap=topics)
        )
        .select_related("provider")
        .annotate(free_rank=_free_first())
        .order_by("free_rank", "title")
    )
    result = []
    for area in key_areas:
        chosen = [training for training in trainings if area in training.key_areas]
        closest_by = ""
        if not chosen:
            closest_by, chosen = _closest(trainings, area)
        result.append(AreaTrainings(area.value, area.label, chosen[:per_area], closest_by))
    return result


# ---------------------------------------------------------------------------------------------
# The partnership indicator


@dataclass(frozen=True)
class TrainingShare:
    people: int
    trained: int
    years: int

    @property
    def percent(self):
        return round(100 * self.trained / self.people) if self.people else 0


def training_share_for_partnership(partnership, *, today=None):
    """The share of a partnership's coordinators and members with a trauma-informed training
    completed in the last three years. Counts only, never names."""
    people = Membership.objects.filter(partnership=partnership).values("user")
    trained = (
        TrainingRecord.objects.filter(
            person__in=people, training__in=Training.objects.trauma_informed()
        )
        .within_years(TRAUMA_INFORMED_YEARS, today=today)
        .values("person")
        .distinct()
    )
    return TrainingShare(
        people=people.count(), trained=trained.count(), years=TRAUMA_INFORMED_YEARS
    )


# ---------------------------------------------------------------------------------------------
# Requests for on-site sessions


@transaction.atomic
def request_training_session(
    *, actor, training, partnership, preferred_from, preferred_until, audience_size, notes=""
):
    """A coordinator asks for an on-site session of a training for their partnership."""
    if not Partnership.objects.coordinated_by(actor).filter(pk=partnership.pk).exists():
        raise TrainingError(_("You can request sessions only for partnerships you coordinate."))
    if not training.can_be_requested():
        raise TrainingError(_("This training cannot be held at your site."))
    if preferred_from < timezone.localdate():
        raise TrainingError(_("The preferred dates must be in the future."))
    if preferred_until < preferred_from:
        raise TrainingError(_("The last preferred date comes before the first."))
    if audience_size < 1:
        raise TrainingError(_("The audience needs at least one person."))
    request = TrainingRequest.objects.create(
        training=training,
        partnership=partnership,
        requested_by=actor,
        preferred_from=preferred_from,
        preferred_until=preferred_until,
        audience_size=audience_size,
        notes=notes.strip(),
    )
    record_audit(actor, "trainings.request.sent", request)
    return request  # the sweep tells the admins


@transaction.atomic
def change_request_status(*, training_request, status, actor, scheduled_for=None):
    """An admin records the provider's answer: scheduled, held or declined."""
    if not actor.is_portal_admin:
        raise TrainingError(_("Only administrators record a provider's answer."))
    request = TrainingRequest.objects.select_for_update().get(pk=training_request.pk)
    status = RequestStatus(status)
    if not request.can_move_to(status):
        raise TrainingError(
            _("A request that is %(current)s cannot become %(new)s.")
            % {"current": request.get_status_display().lower(), "new": status.label.lower()}
        )
    request.status = status
    request.status_changed_at = timezone.now()
    fields = ["status", "status_changed_at"]
    if scheduled_for is not None:
        request.scheduled_for = scheduled_for
        fields.append("scheduled_for")
    request.save(update_fields=fields)
    record_audit(actor, f"trainings.request.{status.value}", request)
    return request  # the sweep tells the coordinator who asked


def export_person_data(person):
    """A person's training records, evaluations and growth goals, for their data export."""
    records = TrainingRecord.objects.filter(person=person).select_related("training")
    evaluations = {e.record_id: e for e in Evaluation.objects.filter(record__in=records)}
    return {
        "training_records": [
            {
                "training": record.training.title,
                "completed_on": record.completed_on.isoformat(),
                "hours": str(record.hours),
                "note": record.note,
                "has_certificate": bool(record.certificate),
                "rating": evaluations[record.pk].rating if record.pk in evaluations else None,
                "comment": evaluations[record.pk].comment if record.pk in evaluations else "",
            }
            for record in records
        ],
        "growth_goals": [
            {
                "area": goal.area,
                "topics": list(goal.topics),
                "description": goal.description,
                "achieved_on": goal.achieved_on.isoformat() if goal.achieved_on else None,
            }
            for goal in GrowthGoal.objects.filter(person=person)
        ],
    }


@transaction.atomic
def erase_person_data(*, person, actor):
    """Erase a person's records (with their certificate files) and growth goals; the
    catalog's aggregate ratings lose their evaluations too."""
    for record in TrainingRecord.objects.filter(person=person):
        # Deleted as the person: only the owner may delete a record (and its file).
        delete_training_record(record=record, actor=person)
    GrowthGoal.objects.filter(person=person).delete()
